"""Deleting a draft that was never sent, and bringing it back (undo).

Only a draft the server has never seen can go: its status is draft, it has no server ``rev``,
and no save of it has left the outbox. Its history, its search entry and its unsent outbox ops go
with it; the caller keeps the returned :class:`DeletedDraft` to undo (the window keeps it for the
session; the command line has no undo).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from idm_desktop.core.errors import FrozenSubmissionError
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import Submission, SubmissionStatus
from idm_desktop.storage.models import HistoryRow, OutboxRow, SubmissionRow
from idm_desktop.storage.search import submissions_fts
from idm_desktop.storage.submissions import get_submission, index_submission, to_submission

_HISTORY_FIELDS = ("at", "author", "reason", "title", "body", "name")


@dataclass(frozen=True, slots=True)
class DeletedDraft:
    """Everything needed to put a deleted draft back as it was."""

    submission: Submission
    row: dict[str, Any]
    history: tuple[dict[str, Any], ...]  # oldest first, with "seq" and "restored_from"
    superseded: tuple[str, ...]  # submissions whose correction this draft was


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def delete_draft(session: Session, ident: str) -> DeletedDraft:
    """Delete a draft never sent; refuse anything the server has or may have."""
    sub = get_submission(session, ident)
    row = session.get(SubmissionRow, sub.id)
    assert row is not None
    sent = session.scalar(select(OutboxRow.seq).where(OutboxRow.submission_id == sub.id,
                                                      OutboxRow.sent_at.is_not(None)).limit(1))
    if sub.status is not SubmissionStatus.DRAFT or row.rev is not None or sent is not None:
        raise FrozenSubmissionError(
            _("“{title}” has been sent to the server, so it cannot be deleted here: a draft can "
              "be deleted only while it has never left this computer.").format(
                title=sub.title or sub.id[:8]))
    history = tuple(_columns(h) for h in session.scalars(
        select(HistoryRow).where(HistoryRow.submission_id == sub.id).order_by(HistoryRow.seq)))
    superseded = tuple(session.scalars(select(SubmissionRow.id)
                                       .where(SubmissionRow.superseded_by == sub.id)))
    snapshot = DeletedDraft(sub, _columns(row), history, superseded)
    session.execute(update(SubmissionRow).where(SubmissionRow.superseded_by == sub.id)
                    .values(superseded_by=None))
    session.execute(delete(OutboxRow).where(OutboxRow.submission_id == sub.id))
    session.execute(delete(HistoryRow).where(HistoryRow.submission_id == sub.id))
    session.execute(delete(submissions_fts).where(submissions_fts.c.submission_id == sub.id))
    session.delete(row)
    session.flush()
    return snapshot


def restore_draft(session: Session, draft: DeletedDraft, now: dt.datetime) -> Submission:
    """Put a deleted draft back, with its whole history (undo of :func:`delete_draft`)."""
    del now  # the draft comes back as it was, times included
    row = SubmissionRow(**draft.row)
    session.add(row)
    session.flush()
    new_seq: dict[int, int] = {}
    for old in draft.history:
        entry = HistoryRow(submission_id=row.id, **{k: old[k] for k in _HISTORY_FIELDS},
                           restored_from=new_seq.get(old["restored_from"])
                           if old["restored_from"] is not None else None)
        session.add(entry)
        session.flush()
        new_seq[old["seq"]] = entry.seq
    if draft.superseded:
        session.execute(update(SubmissionRow).where(SubmissionRow.id.in_(draft.superseded))
                        .values(superseded_by=row.id))
    index_submission(session, row)
    session.flush()
    return to_submission(row)
