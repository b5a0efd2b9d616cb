"""Qt's own strings (stock dialogs, context menus) in the UI language, and Qt's log in ours."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

log = logging.getLogger("qt")


def install_qt_translations(qapp: QApplication, lang: str) -> list[QTranslator]:
    """Load qtbase_<lang>.qm so QMessageBox buttons, file dialogs etc. speak ``lang``."""
    QLocale.setDefault(QLocale(lang))
    translators: list[QTranslator] = []
    if lang == "en":
        return translators
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase", "qt"):
        translator = QTranslator(qapp)
        if translator.load(f"{name}_{lang}", folder):
            qapp.installTranslator(translator)
            translators.append(translator)
            log.info("Qt's own strings in %s: %s", lang, translator.filePath())
            break
    else:
        log.warning("Qt's translations for %s are missing from %s: its dialogs stay in English",
                    lang, folder)
    return translators


_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def route_qt_messages() -> None:
    """Send Qt's own messages into Python logging (and so into the log file)."""

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        log.log(_LEVELS.get(kind, logging.WARNING), "%s", message)
        if kind == QtMsgType.QtFatalMsg:
            # Qt aborts the process right after this message: say why where the user looks.
            first = message.strip().splitlines()[0] if message.strip() else "fatal error"
            sys.stderr.write(f"idm-desktop: Qt cannot go on: {first}\n")
            sys.stderr.flush()

    qInstallMessageHandler(handler)
