"""What the window's Settings and Help menus do: keep the interface language chosen, show About."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from idm_desktop import __version__
from idm_desktop.app import DesktopApp
from idm_desktop.config.settings import save_settings
from idm_desktop.core.i18n import _
from idm_desktop.core.languages import language_name
from idm_desktop.ui.errors import show_error


def choose_language(parent: QWidget, app: DesktopApp, code: str, chosen: Callable[[str], None]) -> None:
    """Keep ``code`` as the interface language for the next start, tell ``chosen``, and say so
    (a settings file that cannot be written is told instead)."""
    if code == app.settings.ui_language:
        return
    app.settings = app.settings.with_(ui_language=code)
    try:
        save_settings(app.paths.settings, app.settings)
    except Exception as exc:  # noqa: BLE001 - shown to the user, nothing else to do
        show_error(parent, exc, app.paths.logs)
        return
    chosen(code)
    QMessageBox.information(
        parent, _("Interface language"),
        _("The interface will be in {language} the next time you start IDM Delegate Desktop.")
        .format(language=language_name(code)))


def show_about(parent: QWidget, app: DesktopApp) -> None:
    QMessageBox.about(
        parent, _("About IDM Delegate Desktop"),
        _("IDM Delegate Desktop {version}\n\nDraft, check and export your government’s "
          "submission to the International Dialogue on Migration, with or without a "
          "connection.\n\nLibrary: {path}").format(version=__version__, path=app.paths.home))
