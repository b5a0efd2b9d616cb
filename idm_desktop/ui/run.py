"""The window's door: the one way in from the command line (``idm-desktop`` with no command).

It imports no Qt itself. First it asks whether Qt can start here at all — a screen to draw on,
the libraries of Qt's platform plugin (:mod:`idm_desktop.ui.display`) — then it loads Qt, turning
a Qt library that cannot load (libGL, libEGL, fontconfig missing on a minimal system) into the
same kind of one-line message instead of an "unexpected error". Only then does the window start
(:mod:`idm_desktop.ui.window`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from idm_desktop.core.i18n import _
from idm_desktop.ui.display import DisplayError, check_display, install_advice

if TYPE_CHECKING:
    from idm_desktop.app import DesktopApp

# What the dynamic loader says of a library it cannot use: missing, or damaged / truncated.
_MISSING_LIBRARY = re.compile(
    r"(?:^|/)(lib[\w.+-]+\.so[\w.]*): (?:cannot open shared object file|file too short|invalid ELF header)")


def run_window(app: DesktopApp, lang: str, argv: Sequence[str] | None = None) -> int:
    """Show the main window until the user closes it; returns the exit code.

    Raises :class:`~idm_desktop.ui.display.DisplayError` (one line, exit 1) where Qt would abort
    or fail to load for want of a screen or of a library.
    """
    if not _qapplication_exists():
        check_display()
    window = _load_window_module()
    result: int = window.run_window(app, lang, argv)
    return result


def make_qapplication(argv: Sequence[str], lang: str, *, dress: bool = True) -> Any:
    """The QApplication of the window (see :func:`idm_desktop.ui.window.make_qapplication`)."""
    return _load_window_module().make_qapplication(argv, lang, dress=dress)


def _qapplication_exists() -> bool:
    widgets = sys.modules.get("PySide6.QtWidgets")
    return widgets is not None and widgets.QApplication.instance() is not None


def _load_window_module() -> Any:
    try:
        from idm_desktop.ui import window
    except ImportError as err:
        match = _MISSING_LIBRARY.search(str(err))
        if match is None:
            raise
        lib = match.group(1)
        raise DisplayError(_(
            "The window cannot open: Qt needs a library this computer lacks ({library}); {how}. "
            "The command line works without it (idm-desktop --help).").format(
                library=lib, how=install_advice([lib]))) from None
    return window
