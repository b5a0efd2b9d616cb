"""A submission the secretariat returned for correction, in the window: the editor shows the
secretariat's note, and "Prepare a correction" opens a new draft with the text that supersedes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import InvalidInputError
from idm_desktop.storage.models import SubmissionRow
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, close_view, open_editor, shown_view

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


def returned(desktop: DesktopApp, note: str) -> str:
    """A submission as a sync leaves it once the secretariat has returned it for correction."""
    sid = desktop.new_submission(INTEGRATION, "MEX", "en", "Integration in Mexico").id
    desktop.edit(sid, {FIRST: "Our context, as sent."})
    with desktop.db.session() as s:
        row = s.get(SubmissionRow, sid)
        assert row is not None
        row.status, row.rev, row.receipt_no, row.return_note = "returned", 3, "IDM-2026-MEX-00001", note
        row.received_at = dt.datetime(2026, 6, 20, 9, tzinfo=dt.UTC)
    return sid


def test_returned_shows_the_note_and_prepares_a_correction(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    sid = returned(desktop, "Please add your partnerships.")
    editor = open_editor(qtbot, view, sid)
    assert editor.banner.isVisible()
    assert "returned it for correction: “Please add your partnerships.”" in editor.banner.text()
    assert editor.correct_button.isVisible()
    assert editor.correct_button.isEnabled()

    editor.correct_button.click()
    qtbot.waitUntil(lambda: editor.data is not None and editor.data.submission.id != sid, timeout=20_000)
    assert editor.data is not None
    new = editor.data.submission
    assert (new.status.value, new.supersedes) == ("draft", sid)
    assert new.text_of(FIRST) == "Our context, as sent."
    assert not editor.correct_button.isVisible()
    assert not editor.read_only

    # One correction for each sent text.
    with pytest.raises(InvalidInputError, match=r"A correction of .* already exists"):
        desktop.prepare_correction(sid)
