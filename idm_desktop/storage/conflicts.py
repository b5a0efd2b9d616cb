"""Conflicts: the three-way merge of the server's text into unsent edits, and settling what clashed.

Edits to different sections merge silently; the same section edited on both sides becomes a
conflict row the user settles (DESIGN §5). Runs inside the caller's Session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idm_desktop.core.errors import NotFoundError
from idm_desktop.core.i18n import _
from idm_desktop.core.merge import TITLE_KEY, merge3
from idm_desktop.core.submissions import SaveReason
from idm_desktop.core.sync import Conflict
from idm_desktop.storage.models import ConflictRow, OutboxRow, SubmissionRow
from idm_desktop.storage.snapshots import Applied, base_content, content_of, set_base, set_content
from idm_desktop.storage.submissions import index_submission, record_version


def merge_into(session: Session, row: SubmissionRow, theirs: Mapping[str, Any], theirs_rev: int, *,
               author: str, now: dt.datetime) -> Applied:
    """Three-way merge of the server's text into a submission with unsent edits (DESIGN §5)."""
    base = base_content(row) or _in_flight_body(session, row.id) or {"title": "", "body": {}}
    mine = content_of(row)
    result = merge3(base["title"], base["body"], mine["title"], mine["body"], theirs["title"], theirs["body"])
    merged = dict(mine)
    for name in ("workshop_id", "language", "template_id", "template_version"):
        if mine[name] == base.get(name):
            merged[name] = theirs[name]  # only they changed it
    merged["title"] = result.title
    merged["body"] = dict(result.body)
    set_content(row, merged)
    set_base(row, theirs_rev, theirs)
    row.updated_at = now
    for conflict in result.conflicts:
        session.merge(ConflictRow(submission_id=row.id, key=conflict.key, base=conflict.base,
                                  mine=conflict.mine, theirs=conflict.theirs, theirs_rev=theirs_rev,
                                  created_at=now))
    record_version(session, row, author, SaveReason.MERGE, now)
    index_submission(session, row)
    return Applied.MERGED if result.clean else Applied.CONFLICT


def _in_flight_body(session: Session, submission_id: str) -> dict[str, Any] | None:
    op = session.scalars(select(OutboxRow).where(OutboxRow.submission_id == submission_id,
                                                 OutboxRow.kind == "save",
                                                 OutboxRow.sent_at.is_not(None))).first()
    return dict(op.body) if op else None


def conflicts(session: Session, submission_id: str | None = None) -> list[Conflict]:
    """The conflicts waiting for the user (of one submission, or all)."""
    query = select(ConflictRow).order_by(ConflictRow.submission_id, ConflictRow.created_at, ConflictRow.key)
    if submission_id:
        query = query.where(ConflictRow.submission_id == submission_id)
    return [Conflict(r.submission_id, r.key, r.base, r.mine, r.theirs, r.theirs_rev)
            for r in session.scalars(query)]


def resolve_conflict(session: Session, submission_id: str, key: str, text: str, *,
                     author: str, now: dt.datetime) -> int:
    """Settle one conflicting section (or the title) on ``text``; returns how many remain."""
    row = session.get(ConflictRow, (submission_id, key))
    sub = session.get(SubmissionRow, submission_id)
    if row is None or sub is None:
        raise NotFoundError(_("No conflict waits in section “{key}” of this submission.").format(key=key))
    if key == TITLE_KEY:
        sub.title = text
    else:
        body = dict(sub.body)
        body[key] = text
        sub.body = body
    sub.updated_at = now
    session.delete(row)
    session.flush()
    record_version(session, sub, author, SaveReason.MERGE, now)
    index_submission(session, sub)
    return session.scalar(select(func.count()).select_from(ConflictRow)
                          .where(ConflictRow.submission_id == submission_id)) or 0
