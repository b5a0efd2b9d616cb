"""A library file that cannot be opened: the window still appears, and says so once."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import StorageError
from idm_desktop.ui import errors
from idm_desktop.ui.main_window import MainWindow
from idm_desktop.ui.tasks import TaskManager


def test_a_damaged_library_is_reported_once_and_left_untouched(
        qtbot: QtBot, tasks: TaskManager, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    garbage = b"not a database at all " * 200
    (home / "library.sqlite3").write_bytes(garbage)
    shown: list[BaseException] = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, folder: shown.append(exc))
    app = DesktopApp.open(home, lazy=True)
    window = MainWindow(app, tasks)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(shown) and tasks.active() == 0, timeout=10_000)
    assert len(shown) == 1
    assert isinstance(shown[0], StorageError)
    assert "damaged or not a library" in str(shown[0])
    assert (home / "library.sqlite3").read_bytes() == garbage
    window.close()
    tasks.wait_idle()
    app.close()
