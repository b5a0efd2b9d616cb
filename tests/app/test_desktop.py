"""DesktopApp: built once per library, its parts built once."""

from __future__ import annotations

from pathlib import Path

from idm_desktop.app import DesktopApp


def test_the_parts_are_built_once_and_share_the_library(tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "home", lazy=True)
    try:
        assert app.sync is app.sync
        assert app.db is app.library.db
        assert app.paths.home == tmp_path / "home"
    finally:
        app.close()


def test_settings_changed_in_the_window_are_the_library_s(tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "home", lazy=True)
    try:
        app.settings = app.settings.with_(author="Ana")
        assert app.author == "Ana"
        assert app.library.settings.author == "Ana"
    finally:
        app.close()
