"""Deleting a draft from the list (button or Del), Undo bringing it back, and a sent one refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.storage.models import SubmissionRow
from idm_desktop.ui.submissions.model import ID_ROLE
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, close_view, shown_view

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


def _titles(view: SubmissionsView) -> list[str]:
    return [str(view.proxy.index(r, 0).data()) for r in range(view.proxy.rowCount())]


def test_delete_a_draft_then_undo_brings_it_back_with_its_history(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    keep = desktop.new_submission(INTEGRATION, "MEX", "es", "Integración")
    gone = desktop.new_submission(INTEGRATION, "CHE", "fr", "Brouillon")
    desktop.edit(gone.id, sections={FIRST: "Un texte à garder."})
    view.refresh()
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 2)
    view.select(gone.id)
    assert view.deleter.button.isEnabled()
    view.table.setFocus()
    with qtbot.waitSignal(view.deleter.sig_changed, timeout=5000):
        qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: _titles(view) == ["Integración"])
    assert view.deleter.banner.isVisible()
    assert view.deleter.label.text() == "Draft “Brouillon” deleted."
    assert [s.id for s in desktop.submissions()] == [keep.id]
    with qtbot.waitSignal(view.deleter.sig_changed, timeout=5000):
        view.deleter.undo_button.click()
    qtbot.waitUntil(lambda: len(_titles(view)) == 2)
    assert not view.deleter.banner.isVisible()
    back = desktop.submission(gone.id)
    assert back.text_of(FIRST) == "Un texte à garder."
    assert [e.version for e in desktop.history(gone.id)] == [1, 2]
    qtbot.waitUntil(lambda: [i.data(ID_ROLE) for i in view.table.selectionModel().selectedRows()]
                    == [gone.id])  # the draft that came back is selected


def test_a_draft_already_on_the_server_is_not_deleted(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    sub = desktop.new_submission(INTEGRATION, "CHE", "fr", "Déjà envoyé")
    with desktop.db.session() as s:
        row = s.get(SubmissionRow, sub.id)
        assert row is not None
        row.rev = 2
    view.refresh()
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 1)
    view.select(sub.id)
    view.deleter.button.click()
    qtbot.waitUntil(view.deleter.banner.isVisible, timeout=5000)
    assert "cannot be deleted" in view.deleter.label.text()
    assert not view.deleter.undo_button.isVisible()
    assert desktop.submission(sub.id).id == sub.id
