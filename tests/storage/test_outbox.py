"""The outbox: one pending save per submission, frozen once sent, submits after their save."""

from __future__ import annotations

from idm_desktop.core.submissions import SubmissionStatus
from idm_desktop.storage import outbox
from idm_desktop.storage import submissions as subs
from idm_desktop.storage.database import Database
from idm_desktop.storage.models import SubmissionRow
from idm_desktop.storage.snapshots import is_dirty
from tests.storage.conftest import NOW
from tests.storage.sync_tools import new_draft


def test_ten_saves_make_one_op_whose_body_is_frozen_once_sent(db: Database) -> None:
    with db.session() as s:
        row = new_draft(s, "first")
        assert outbox.prepare_saves(s, NOW) == 1
        assert outbox.prepare_saves(s, NOW) == 0  # one pending save per submission
        (op,) = outbox.sendable_saves(s)
        assert (op.submission_id, op.base_rev, op.sent) == (row.id, None, False)
        assert op.body["body"]["context"] == "first"
        outbox.mark_sent(s, [op.op_id], NOW)
        (again,) = outbox.sendable_saves(s)
        assert again.sent
        assert again.op_id == op.op_id
        (item,) = outbox.outbox(s)
        assert (item.kind, item.title, item.sent, item.attempts) == ("save", "Overview", True, 1)


def test_an_applied_save_becomes_the_base(db: Database) -> None:
    with db.session() as s:
        row = new_draft(s, "first")
        outbox.prepare_saves(s, NOW)
        (op,) = outbox.sendable_saves(s)
        outbox.on_applied(s, op.op_id, 1)
        assert row.rev == 1
        assert not is_dirty(row)
        assert outbox.outbox(s) == []


def test_a_submit_waits_for_its_save_then_carries_the_rev_and_gets_the_receipt(db: Database) -> None:
    with db.session() as s:
        row = new_draft(s, "final text")
        subs.freeze(s, row.id, author="ana", now=NOW)
        outbox.enqueue_submit(s, row.id, NOW)
        outbox.prepare_saves(s, NOW)
        assert outbox.ready_submits(s) == []  # its text is not on the server yet
        (bundled,) = outbox.bundle_submits(s)
        assert bundled.rev is None  # the text travels in the bundle with it
        (save,) = outbox.sendable_saves(s)
        outbox.on_applied(s, save.op_id, 4)
        (ready,) = outbox.ready_submits(s)
        assert (ready.submission_id, ready.rev, ready.sha256) == (row.id, 4, row.content_sha256)
        outbox.on_receipt(s, ready.op_id, "IDM-2006-0001", NOW, ready.sha256)
        received = s.get(SubmissionRow, row.id)
        assert received is not None
        assert (received.status, received.receipt_no) == (SubmissionStatus.RECEIVED.value, "IDM-2006-0001")
        assert outbox.outbox(s) == []


def test_a_refused_op_waits_for_the_user_and_a_retry_makes_a_fresh_one(db: Database) -> None:
    with db.session() as s:
        new_draft(s, "x")
        outbox.prepare_saves(s, NOW)
        (op,) = outbox.sendable_saves(s)
        outbox.note_attempt_failed(s, [op.op_id], "offline")
        assert outbox.outbox(s)[0].error == "offline"
        outbox.on_refused(s, op.op_id, "invalid", "bad section")
        assert outbox.sendable_saves(s) == []
        assert outbox.outbox(s)[0].failed
        assert outbox.prepare_saves(s, NOW) == 0  # a refusal the user has not seen blocks it
        assert outbox.retry_failed(s) == 1
        assert outbox.prepare_saves(s, NOW) == 1
        (fresh,) = outbox.sendable_saves(s)
        assert fresh.op_id != op.op_id
