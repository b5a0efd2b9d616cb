"""Fixtures for window tests: a real library in tmp_path, the real task manager, and a check
that no background work or timer is left running when a test ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from idm_desktop.app import DesktopApp
from idm_desktop.ui.tasks import TaskManager


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[DesktopApp]:
    app = DesktopApp.open(tmp_path / "home")
    yield app
    app.close()


@pytest.fixture
def tasks(qapp: QApplication) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    # A test must wait for what it started: nothing may still run or wait to be delivered.
    assert manager.wait_idle(10_000), "background tasks still running after the test"
    QApplication.processEvents()
    assert manager.active() == 0, "background results never delivered"
    manager.shutdown()
    manager.deleteLater()


@pytest.fixture(autouse=True)
def _no_dangling_timers(qapp: QApplication) -> Iterator[None]:
    yield
    # The clipboard owns what a test put on it; left there, Qt deletes it after Python has
    # shut down, and the interpreter crashes on exit.
    QApplication.clipboard().clear()
    QApplication.processEvents()
    running = [t for t in qapp.findChildren(QTimer) if t.isActive()]
    for widget in QApplication.topLevelWidgets():
        running += [t for t in widget.findChildren(QTimer) if t.isActive() and widget.isVisible()]
    assert not running, f"timers left running: {[t.objectName() or t for t in running]}"
