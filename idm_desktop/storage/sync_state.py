"""Where this library stands with the server: the changes feed's cursor and the summary counts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idm_desktop.core.sync import SyncSummary
from idm_desktop.storage import quickread
from idm_desktop.storage.meta import delete_meta, get_meta, set_meta
from idm_desktop.storage.models import ConflictRow, OutboxRow, PendingDocumentRow, SubmissionRow
from idm_desktop.storage.snapshots import is_dirty

CURSOR_KEY = quickread.CURSOR_KEY


def get_cursor(session: Session) -> str | None:
    """Where the changes feed resumes (None: from the beginning)."""
    return get_meta(session, CURSOR_KEY)


def set_cursor(session: Session, cursor: str | None) -> None:
    """Store the feed's next cursor, in the transaction that applied its page."""
    if cursor is None:
        delete_meta(session, CURSOR_KEY)
    else:
        set_meta(session, CURSOR_KEY, cursor)


def summary(session: Session) -> SyncSummary:
    """What waits, what conflicts, what was refused, and how many files are still to fetch."""
    ops = list(session.scalars(select(OutboxRow)))
    with_ops = {op.submission_id for op in ops if op.kind == "save"}
    dirty = sum(1 for row in session.scalars(select(SubmissionRow))
                if row.id not in with_ops and is_dirty(row))
    return SyncSummary(
        waiting=dirty + sum(1 for op in ops if not op.failed),
        conflicts=len(set(session.scalars(select(ConflictRow.submission_id)))),
        failed=sum(1 for op in ops if op.failed),
        pending_documents=session.scalar(select(func.count()).select_from(PendingDocumentRow)) or 0,
        cursor=get_cursor(session),
    )
