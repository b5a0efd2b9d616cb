"""Where the library stands with the server: the feed's cursor and the summary counts."""

from __future__ import annotations

from idm_desktop.storage import outbox, sync_state
from idm_desktop.storage.database import Database
from tests.storage.conftest import NOW
from tests.storage.sync_tools import new_draft


def test_the_cursor_is_kept_and_cleared(db: Database) -> None:
    with db.session() as s:
        assert sync_state.get_cursor(s) is None
        sync_state.set_cursor(s, "c-42")
    with db.session() as s:
        assert sync_state.get_cursor(s) == "c-42"
        sync_state.set_cursor(s, None)  # another server: its feed starts from the beginning
    with db.session() as s:
        assert sync_state.get_cursor(s) is None


def test_the_summary_counts_unsent_work_once_and_refusals(db: Database) -> None:
    with db.session() as s:
        new_draft(s, "one")
        new_draft(s, "two")
        first = sync_state.summary(s)
        outbox.prepare_saves(s, NOW)  # an edited draft and its pending op count once
        (op, _other) = outbox.sendable_saves(s)
        outbox.on_refused(s, op.op_id, "invalid", "bad section")
        second = sync_state.summary(s)
    assert (first.waiting, first.failed, first.conflicts, first.pending_documents) == (2, 0, 0, 0)
    assert (second.waiting, second.failed) == (1, 1)
