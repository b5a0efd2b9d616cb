"""Start the window: QApplication, translations, logging of Qt's messages, the main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import _
from idm_desktop.ui.errors import install_excepthook
from idm_desktop.ui.main_window import MainWindow, active_window
from idm_desktop.ui.qt_i18n import install_qt_translations, route_qt_messages
from idm_desktop.ui.tasks import TaskManager

log = logging.getLogger(__name__)


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
    install_qt_translations(qapp, lang)
    return qapp


def run_window(app: DesktopApp, lang: str, argv: Sequence[str] | None = None) -> int:
    """Show the main window until the user closes it; returns the exit code."""
    route_qt_messages()
    qapp = make_qapplication(argv if argv is not None else sys.argv[:1], lang)
    tasks = TaskManager()
    install_excepthook(active_window, app.paths.logs)
    window = MainWindow(app, tasks)
    window.show()
    try:
        return qapp.exec()
    finally:
        tasks.shutdown()
