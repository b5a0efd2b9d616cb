"""Notices and deadline reminders in the window: above the programme in the Workshops view, and
counted in the status bar, until read. The integration workshop's deadline (26 June 2006) is 3
days away on the clock of these libraries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.storage import notices as notices_repo
from idm_desktop.ui.main_window import MainWindow
from idm_desktop.ui.tasks import TaskManager
from idm_desktop.ui.workshops.view import WorkshopsView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
JUNE_23 = dt.datetime(2006, 6, 23, 9, 0, tzinfo=dt.UTC)
WORKSHOP = "Migrants and the Host Society: Partnerships for Success"


@pytest.fixture
def library(tmp_path: Path) -> Iterator[DesktopApp]:
    app = DesktopApp.open(tmp_path / "home", clock=lambda: JUNE_23)
    with app.db.session() as s:  # as a sync leaves them
        notices_repo.apply_notice(s, "n-everyone-1", 1, {
            "workshop_id": None, "text": {"en": "A new template is available.", "fr": "Un nouveau modèle."},
            "created_at": "2006-06-20T08:00:00+00:00"}, False)
        notices_repo.apply_notice(s, "n-integration-2", 1, {
            "workshop_id": "idm2006-integration", "text": {"en": "Bring your overview on paper too."},
            "created_at": "2006-06-21T08:00:00+00:00"}, False)
    yield app
    app.close()


def settle(qtbot: QtBot, tasks: TaskManager) -> None:
    qtbot.waitUntil(lambda: tasks.active() == 0)


def test_workshops_view_shows_reminders_and_notices_until_read(
        library: DesktopApp, qtbot: QtBot, tasks: TaskManager) -> None:
    view = WorkshopsView(library, tasks)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.notices.isVisible())
    texts = [label.text() for label in view.notices.findChildren(QLabel)]
    assert texts[0] == f"Deadline in 3 days: {WORKSHOP} (26 June 2006)."
    assert f"{WORKSHOP}: Bring your overview on paper too." in texts
    assert "A new template is available." in texts
    buttons = [b for b in view.notices.findChildren(QPushButton) if b.text() == "Mark as read"]
    assert len(buttons) == 2
    with qtbot.waitSignal(view.sig_notices_read, timeout=5000):
        buttons[0].click()  # the newest: the integration workshop's
    qtbot.waitUntil(lambda: "Bring your overview on paper too." not in
                    " ".join(label.text() for label in view.notices.findChildren(QLabel)), timeout=5000)
    assert [n.id for n in library.notices()] == ["n-everyone-1"]
    settle(qtbot, tasks)


def test_status_bar_counts_notices_and_deadlines(library: DesktopApp, qtbot: QtBot,
                                                 tasks: TaskManager) -> None:
    window = MainWindow(library, tasks)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.notices_label.isVisible(), timeout=5000)
    assert window.notices_label.text() == "2 notices · 1 deadline this week"
    library.mark_notices_read()
    window.refresh_counts()
    qtbot.waitUntil(lambda: window.notices_label.text() == "1 deadline this week", timeout=5000)
    settle(qtbot, tasks)
    window.close()
    settle(qtbot, tasks)
