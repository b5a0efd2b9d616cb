"""Errors shown to the user through one function, and a crash dialog for our own bugs.

STYLE habit 6: an :class:`IdmError` is the environment's or the user's (a clear sentence with
what to do); anything else is our bug: logged with context, and the user is offered the log.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _

log = logging.getLogger(__name__)


class OncePerProblem:
    """Shows each distinct problem once while it lasts: when the library cannot be opened, every
    view's first task fails the same way, and the user needs to read it once; the same problem
    later (after the user acted) is new."""

    def __init__(self, parent: QWidget, log_folder: Path | None) -> None:
        self._parent = parent
        self._log_folder = log_folder
        self._shown: set[str] = set()

    def show(self, exc: BaseException) -> None:
        key = f"{type(exc).__name__}: {exc}"
        if key in self._shown:
            log.info("not shown again: %s", key)
            return
        self._shown.add(key)
        try:
            show_error(self._parent, exc, self._log_folder)
        finally:
            QTimer.singleShot(10_000, self._parent, lambda: self._shown.discard(key))


def show_error(parent: QWidget | None, exc: BaseException, log_folder: Path | None = None) -> None:
    """Tell the user what went wrong and what to do."""
    if isinstance(exc, IdmError):
        log.info("shown to the user: %s", exc)
        box = QMessageBox(QMessageBox.Icon.Warning, _("IDM Delegate Desktop"), str(exc),
                          QMessageBox.StandardButton.Ok, parent)
        box.setAccessibleName(_("Problem"))
        box.exec()
        return
    log.error("unexpected error", exc_info=exc)
    show_crash(parent, exc, log_folder)


def show_crash(parent: QWidget | None, exc: BaseException, log_folder: Path | None) -> None:
    """Our bug: say so plainly, keep the user's work, offer the log."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("IDM Delegate Desktop"))
    box.setText(_("Something went wrong inside IDM Delegate Desktop. Your saved text is safe."))
    box.setInformativeText(_("The details are in the log file; please send it to the support team."))
    box.setDetailedText("".join(traceback.format_exception(exc)))
    open_log = box.addButton(_("Open the log folder"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is open_log and log_folder is not None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_folder)))


def install_excepthook(parent_getter: object, log_folder: Path) -> None:
    """Route uncaught exceptions in Qt slots to the log and the crash dialog (not to a silent stderr)."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.critical("uncaught exception", exc_info=(kind, exc, tb))
        parent = parent_getter() if callable(parent_getter) else None
        show_error(parent, exc, log_folder)

    sys.excepthook = hook
