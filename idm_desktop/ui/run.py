"""Start the window: QApplication, translations, logging of Qt's messages, the main window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import _
from idm_desktop.core.resources import resource
from idm_desktop.ui.display import check_display
from idm_desktop.ui.errors import install_excepthook
from idm_desktop.ui.main_window import MainWindow, active_window
from idm_desktop.ui.qt_i18n import install_qt_translations, route_qt_messages
from idm_desktop.ui.tasks import TaskManager

log = logging.getLogger(__name__)

QUIT_AFTER_ENV = "IDM_DESKTOP_QUIT_AFTER_MS"
"""Close the window this many milliseconds after it is shown, as the user would: a smoke test of
a built program (packaging/) checks that the window opens and closes cleanly."""


def make_qapplication(argv: Sequence[str], lang: str) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    qapp = QApplication(list(argv))
    qapp.setApplicationName("IDM Delegate Desktop")
    qapp.setOrganizationName("IDM")
    qapp.setApplicationDisplayName(_("IDM Delegate Desktop"))
    # Taskbars match the window to packaging/idm-desktop.desktop by this name, and show the icon.
    qapp.setDesktopFileName("idm-desktop")
    qapp.setWindowIcon(QIcon(str(resource("icons", "idm-desktop.png"))))
    install_qt_translations(qapp, lang)
    return qapp


def run_window(app: DesktopApp, lang: str, argv: Sequence[str] | None = None) -> int:
    """Show the main window until the user closes it; returns the exit code.

    Raises :class:`~idm_desktop.ui.display.DisplayError` (one line, exit 1) where Qt would
    abort for want of a screen or of a library.
    """
    if QApplication.instance() is None:
        check_display()
    route_qt_messages()
    qapp = make_qapplication(argv if argv is not None else sys.argv[:1], lang)
    tasks = TaskManager()
    install_excepthook(active_window, app.paths.logs)
    window = MainWindow(app, tasks)
    window.show()
    quit_after = _quit_after_ms()
    if quit_after is not None:
        log.info("closing the window after %d ms (%s)", quit_after, QUIT_AFTER_ENV)
        QTimer.singleShot(quit_after, window.close)
    try:
        return qapp.exec()
    finally:
        tasks.shutdown()


def _quit_after_ms() -> int | None:
    value = os.environ.get(QUIT_AFTER_ENV, "").strip()
    if not value:
        return None
    try:
        return max(0, int(value))
    except ValueError:
        log.warning("%s=%r is not a number of milliseconds: ignored", QUIT_AFTER_ENV, value)
        return None
