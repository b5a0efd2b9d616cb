"""The outbox: ops waiting to be sent (at most one pending save per submission; submits after the
save they depend on), their answers, and the user's view of them (DESIGN §5).

Everything here runs inside the caller's Session, so that an op's answer and its effect on the
submission are committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idm_desktop.core.submissions import SubmissionStatus, body_sha256
from idm_desktop.core.sync import OutboxItem
from idm_desktop.storage.conflicts import conflicts, merge_into
from idm_desktop.storage.models import ConflictRow, OutboxRow, SubmissionRow
from idm_desktop.storage.snapshots import (
    WORKING_STATUSES,
    Applied,
    base_rev,
    content_of,
    is_dirty,
    set_base,
)


@dataclass(frozen=True, slots=True)
class SaveOp:
    """A save op to send: the submission's content (``body``) based on ``base_rev``."""

    op_id: str
    submission_id: str
    base_rev: int | None
    body: dict[str, Any]
    sha256: str
    sent: bool  # sent before (its answer never came): frozen, resent as it is


@dataclass(frozen=True, slots=True)
class SubmitOp:
    """A submit op: the frozen text's hash, the rev it is at (None while the text itself still
    travels in an offline bundle) and the submission it corrects, if any."""

    op_id: str
    submission_id: str
    rev: int | None
    sha256: str
    supersedes: str | None


def _save_op(op: OutboxRow) -> SaveOp:
    return SaveOp(op.op_id, op.submission_id, op.base_rev, dict(op.body), op.sha256, op.sent_at is not None)


def prepare_saves(session: Session, now: dt.datetime) -> int:
    """Make one save op for each submission with unsent edits and nothing in the way (an op
    already out, a conflict waiting, a refusal the user has not seen). Returns how many."""
    busy = set(session.scalars(select(OutboxRow.submission_id).where(OutboxRow.kind == "save")))
    blocked = set(session.scalars(select(ConflictRow.submission_id)))
    made = 0
    for row in session.scalars(select(SubmissionRow).where(SubmissionRow.status.in_(WORKING_STATUSES))):
        if row.id in busy or row.id in blocked or not is_dirty(row):
            continue
        body = content_of(row)
        session.add(OutboxRow(op_id=str(uuid.uuid4()), kind="save", submission_id=row.id,
                              base_rev=base_rev(row), body=body, sha256=body_sha256(body),
                              created_at=now, attempts=0, failed=False))
        made += 1
    session.flush()
    return made


def enqueue_submit(session: Session, submission_id: str, now: dt.datetime) -> None:
    """After the local freeze: send the submission once its text is on the server."""
    row = session.get(SubmissionRow, submission_id)
    assert row is not None
    assert row.content_sha256 is not None
    session.add(OutboxRow(op_id=str(uuid.uuid4()), kind="submit", submission_id=submission_id,
                          base_rev=None, body={"supersedes": row.supersedes}, sha256=row.content_sha256,
                          created_at=now, attempts=0, failed=False))


@dataclass(frozen=True, slots=True)
class WithdrawOp:
    """A withdrawal of a sent submission, with the reason the delegation gives."""

    op_id: str
    submission_id: str
    reason: str


def enqueue_withdraw(session: Session, submission_id: str, reason: str, now: dt.datetime) -> bool:
    """Queue the withdrawal of a sent submission; False when one already waits (kept as it is)."""
    waiting = session.scalar(select(func.count()).select_from(OutboxRow).where(
        OutboxRow.submission_id == submission_id, OutboxRow.kind == "withdraw"))
    if waiting:
        return False
    body = {"reason": reason}
    session.add(OutboxRow(op_id=str(uuid.uuid4()), kind="withdraw", submission_id=submission_id,
                          base_rev=None, body=body, sha256=body_sha256(body), created_at=now, attempts=0,
                          failed=False))
    session.flush()
    return True


def pending_withdrawal(session: Session, submission_id: str) -> bool:
    """Whether a withdrawal of the submission waits to be sent (refused ones included)."""
    return bool(session.scalar(select(func.count()).select_from(OutboxRow).where(
        OutboxRow.submission_id == submission_id, OutboxRow.kind == "withdraw")))


def ready_withdrawals(session: Session) -> list[WithdrawOp]:
    """Withdrawals not refused, oldest first."""
    query = select(OutboxRow).where(OutboxRow.kind == "withdraw", OutboxRow.failed.is_(False))
    return [WithdrawOp(op.op_id, op.submission_id, str(op.body.get("reason", "")))
            for op in session.scalars(query.order_by(OutboxRow.seq))]


def on_withdrawn(session: Session, op_id: str) -> None:
    """The service withdrew the submission: so does this computer."""
    op = session.scalars(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
    if op is None:
        return
    row = session.get(SubmissionRow, op.submission_id)
    if row is not None:
        row.status = SubmissionStatus.WITHDRAWN.value
    session.delete(op)


def sendable_saves(session: Session) -> list[SaveOp]:
    """The save ops not refused, oldest first."""
    query = select(OutboxRow).where(OutboxRow.kind == "save", OutboxRow.failed.is_(False))
    return [_save_op(op) for op in session.scalars(query.order_by(OutboxRow.seq))]


def ready_submits(session: Session) -> list[SubmitOp]:
    """Submit ops whose text the server already has (no unsent edits, no save out, no conflict);
    their ``rev`` is never None."""
    ready = []
    for op in session.scalars(select(OutboxRow).where(OutboxRow.kind == "submit", OutboxRow.failed.is_(False))
                              .order_by(OutboxRow.seq)):
        row = session.get(SubmissionRow, op.submission_id)
        if row is None or is_dirty(row) or base_rev(row) is None:
            continue
        if session.scalar(select(func.count()).select_from(OutboxRow).where(
                OutboxRow.submission_id == op.submission_id, OutboxRow.kind == "save")):
            continue
        if conflicts(session, op.submission_id):
            continue
        rev = base_rev(row)
        assert rev is not None
        ready.append(SubmitOp(op.op_id, op.submission_id, rev, op.sha256, op.body.get("supersedes")))
    return ready


def bundle_submits(session: Session) -> list[SubmitOp]:
    """Every submit op not refused, for an offline bundle; the rev is None while the text itself
    still travels in the bundle."""
    out = []
    for op in session.scalars(select(OutboxRow).where(OutboxRow.kind == "submit", OutboxRow.failed.is_(False))
                              .order_by(OutboxRow.seq)):
        row = session.get(SubmissionRow, op.submission_id)
        rev = base_rev(row) if row is not None and not is_dirty(row) else None
        out.append(SubmitOp(op.op_id, op.submission_id, rev, op.sha256, op.body.get("supersedes")))
    return out


def mark_sent(session: Session, op_ids: list[str], now: dt.datetime) -> None:
    """The ops are about to go out: from now on their id and body are frozen."""
    for op in session.scalars(select(OutboxRow).where(OutboxRow.op_id.in_(op_ids))):
        op.attempts += 1
        if op.sent_at is None:
            op.sent_at = now


def on_applied(session: Session, op_id: str, rev: int) -> None:
    """The server applied the op (or had already): its body is the base at ``rev``."""
    op = session.scalars(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
    if op is None:
        return
    if op.kind == "review":  # the review's new state comes with the next pull
        session.delete(op)
        return
    row = session.get(SubmissionRow, op.submission_id)
    if row is not None and (base_rev(row) or 0) < rev:
        set_base(row, rev, op.body)
    session.delete(op)


def on_conflict(session: Session, op_id: str, current_rev: int, current: Mapping[str, Any], *,
                author: str, now: dt.datetime) -> Applied:
    """The server holds another text at ``current_rev``: merge it into the local text."""
    op = session.scalars(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
    if op is None:
        return Applied.UNCHANGED
    row = session.get(SubmissionRow, op.submission_id)
    session.delete(op)
    if row is None:
        return Applied.UNCHANGED
    if content_of(row) == dict(current):
        set_base(row, current_rev, current)
        return Applied.UNCHANGED
    return merge_into(session, row, current, current_rev, author=author, now=now)


def on_refused(session: Session, op_id: str, code: str, message: str) -> None:
    """The server refused the op for good: it waits for the user (see :func:`retry_failed`)."""
    op = session.scalars(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
    if op is not None:
        op.failed, op.error_code, op.error = True, code, message


def on_receipt(session: Session, op_id: str, receipt_no: str, received_at: dt.datetime, sha256: str,
               signature: tuple[str, str] | None = None) -> None:
    """The secretariat received the submission: keep its receipt and the service's signature of it
    (key id, signature)."""
    op = session.scalars(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
    if op is None:
        return
    row = session.get(SubmissionRow, op.submission_id)
    if row is not None:
        row.status = SubmissionStatus.RECEIVED.value
        row.receipt_no, row.received_at, row.content_sha256 = receipt_no, received_at, sha256
        row.receipt_key_id, row.receipt_signature = signature or (None, None)
    session.delete(op)


def note_attempt_failed(session: Session, op_ids: list[str], message: str) -> None:
    """The ops could not be sent this time (the link): they stay, with the reason shown."""
    for op in session.scalars(select(OutboxRow).where(OutboxRow.op_id.in_(op_ids))):
        op.error = message


def retry_failed(session: Session, submission_id: str | None = None) -> int:
    """The user asks to try refused ops again (after fixing the cause)."""
    query = select(OutboxRow).where(OutboxRow.failed.is_(True))
    if submission_id:
        query = query.where(OutboxRow.submission_id == submission_id)
    n = 0
    for op in session.scalars(query):
        if op.kind == "save":
            session.delete(op)  # a fresh op is made from the current text
        else:
            op.failed, op.error_code, op.error = False, None, None
        n += 1
    return n


def outbox(session: Session) -> list[OutboxItem]:
    """Every op of the outbox, oldest first, as the user sees it."""
    items = []
    for op in session.scalars(select(OutboxRow).order_by(OutboxRow.seq)):
        sub = session.get(SubmissionRow, op.submission_id)
        items.append(OutboxItem(op.op_id, op.kind, op.submission_id, sub.title if sub else "",
                                op.sent_at is not None, op.attempts, op.failed, op.error, op.error_code))
    return items
