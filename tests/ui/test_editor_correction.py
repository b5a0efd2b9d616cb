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


def test_a_newer_template_is_offered_and_the_text_it_drops_stays_in_view(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    import copy
    import json
    from pathlib import Path

    from idm_desktop.storage import pulled

    sid = desktop.new_submission(INTEGRATION, "MEX", "en", "Integration in Mexico").id
    desktop.edit(sid, {FIRST: "Our national context.", "practices": "Good practice: language classes."})
    v1 = json.loads((Path(__file__).resolve().parents[2] / "resources" / "templates" / "submission-v1.json")
                    .read_text(encoding="utf-8"))
    v2 = copy.deepcopy(v1)
    v2["version"] = 2
    v2["sections"] = [s for s in v2["sections"] if s["key"] != "practices"]
    v2["sections"][0]["title"] = {"en": "Context and priorities", "fr": "Contexte", "es": "Contexto"}
    with desktop.db.session() as s:
        pulled.apply_template(s, v2, False)  # as a sync brings it

    editor = open_editor(qtbot, view, sid)
    assert editor.template_button.isVisible()
    assert editor.template_button.text() == "Use the newer template (version 2)…"
    assert not editor.kept_label.isVisible()
    assert desktop.submission(sid).template_version == 1  # offered, not forced

    editor.template_button.click()
    qtbot.waitUntil(lambda: editor.data is not None and editor.data.template.version == 2, timeout=20_000)
    assert not editor.template_button.isVisible()
    assert editor.kept_label.isVisible()
    assert "Kept from the earlier template — “practices”:" in editor.kept_label.text()
    assert "Good practice: language classes." in editor.kept_label.text()
    assert "practices" not in editor.sections
    assert editor.sections[FIRST].edit.toPlainText() == "Our national context."
    assert desktop.submission(sid).body["practices"] == "Good practice: language classes."


def test_withdraw_asks_why_names_what_happens_and_queues_it(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    from idm_desktop.ui.submissions.withdrawing import WithdrawDialog

    sid = returned(desktop, "Please add your partnerships.")
    with desktop.db.session() as s:
        row = s.get(SubmissionRow, sid)
        assert row is not None
        row.status = "published"
    editor = open_editor(qtbot, view, sid)
    assert editor.withdraw_button.isVisible()
    editor.withdraw_button.click()
    dialog = editor.withdrawer.dialog
    assert isinstance(dialog, WithdrawDialog)
    assert dialog.isVisible()
    texts = " ".join(label.text() for label in dialog.findChildren(type(editor.banner)))
    assert "Withdraw “Integration in Mexico” (receipt IDM-2026-MEX-00001)?" in texts
    assert "It is taken out of the public migration policy database." in texts
    assert not dialog.withdraw_button.isEnabled()  # a reason first
    dialog.reason_edit.setPlainText("  The ministry   revises it. ")
    assert dialog.withdraw_button.isEnabled()
    dialog.withdraw_button.click()
    qtbot.waitUntil(lambda: editor.data is not None and editor.data.withdrawal_pending, timeout=20_000)
    assert editor.banner.text() == "Withdrawal asked for: it is sent to the secretariat with the next sync."
    assert not editor.withdraw_button.isVisible()
    (item,) = [i for i in desktop.sync.outbox() if i.kind == "withdraw"]
    assert item.submission_id == sid
    with desktop.db.session() as s:
        from idm_desktop.storage import outbox
        (op,) = outbox.ready_withdrawals(s)
    assert op.reason == "The ministry revises it."


def test_withdraw_cancelled_changes_nothing(qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    sid = returned(desktop, "Please add your partnerships.")
    editor = open_editor(qtbot, view, sid)
    editor.withdraw_button.click()
    dialog = editor.withdrawer.dialog
    assert dialog is not None
    dialog.reason_edit.setPlainText("Changed my mind.")
    dialog.reject()
    assert editor.withdrawer.dialog is None
    assert desktop.sync.outbox() == []
