"""Submissions and their append-only history.

Every save writes the new text and a history entry in one transaction; the caller's
Session commit is the durability point (synchronous=FULL).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from idm_desktop.core.errors import NotFoundError
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import (
    HistoryEntry,
    SaveReason,
    Submission,
    SubmissionStatus,
    content_sha256,
    ensure_editable,
)
from idm_desktop.core.templates import Template
from idm_desktop.storage.lookup import by_id_or_prefix
from idm_desktop.storage.models import HistoryRow, SubmissionRow
from idm_desktop.storage.search import submissions_fts


def to_submission(row: SubmissionRow) -> Submission:
    return Submission(
        id=row.id,
        workshop_id=row.workshop_id,
        country=row.country,
        language=row.language,
        title=row.title,
        template_id=row.template_id,
        template_version=row.template_version,
        body=dict(row.body),
        status=SubmissionStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        rev=row.rev,
        content_sha256=row.content_sha256,
        supersedes=row.supersedes,
        receipt_no=row.receipt_no,
        received_at=row.received_at,
        return_note=row.return_note,
        superseded_by=row.superseded_by,
    )


def _to_entry(row: HistoryRow, version: int = 0, numbers: Mapping[int, int] | None = None
              ) -> HistoryEntry:
    restored = row.restored_from
    return HistoryEntry(seq=row.seq, submission_id=row.submission_id, at=row.at, author=row.author,
                        reason=SaveReason(row.reason), title=row.title, body=dict(row.body),
                        version=version, name=row.name, suggested_by=row.suggested_by,
                        restored_from=(numbers or {}).get(restored) if restored is not None
                        else None)


def index_submission(session: Session, row: SubmissionRow) -> None:
    """Put the submission's current title and text in the full-text search (replacing the old)."""
    session.execute(delete(submissions_fts).where(submissions_fts.c.submission_id == row.id))
    session.execute(insert(submissions_fts).values(
        submission_id=row.id, title=row.title, text="\n\n".join(v for v in row.body.values() if v)
    ))


def record_version(session: Session, row: SubmissionRow, author: str, reason: SaveReason,
                   now: dt.datetime, restored_from: int | None = None,
                   suggested_by: str | None = None) -> None:
    """Append the submission's current title and text to its history (every save, merge, sync)."""
    session.add(HistoryRow(submission_id=row.id, at=now, author=author, reason=reason.value,
                           title=row.title, body=dict(row.body), restored_from=restored_from,
                           suggested_by=suggested_by))


def create_submission(session: Session, *, workshop_id: str, country: str, language: str,
                      title: str, template: Template, author: str, now: dt.datetime,
                      supersedes: str | None = None, body: Mapping[str, str] | None = None
                      ) -> Submission:
    start = {key: "" for key in template.keys}
    start.update(body or {})
    row = SubmissionRow(
        id=str(uuid.uuid4()), workshop_id=workshop_id, country=country, language=language,
        title=title, template_id=template.id, template_version=template.version, body=start,
        status=SubmissionStatus.DRAFT.value, rev=None, base=None, content_sha256=None,
        supersedes=supersedes, receipt_no=None, received_at=None, created_at=now, updated_at=now,
    )
    session.add(row)
    session.flush()
    record_version(session, row, author, SaveReason.CREATE, now)
    index_submission(session, row)
    return to_submission(row)


def _row(session: Session, ident: str) -> SubmissionRow:
    return by_id_or_prefix(session, SubmissionRow, SubmissionRow.id, ident, _("submissions"))


def get_submission(session: Session, ident: str) -> Submission:
    """A submission by id or unique id prefix."""
    return to_submission(_row(session, ident))


def receipt_signature(session: Session, ident: str) -> tuple[str, str] | None:
    """The service's signature of a submission's receipt: (key id, signature), if it has one."""
    row = _row(session, ident)
    if row.receipt_key_id is None or row.receipt_signature is None:
        return None
    return row.receipt_key_id, row.receipt_signature


def list_submissions(session: Session, workshop_id: str | None = None) -> list[Submission]:
    query = select(SubmissionRow).order_by(SubmissionRow.updated_at.desc())
    if workshop_id:
        query = query.where(SubmissionRow.workshop_id == workshop_id)
    return [to_submission(r) for r in session.scalars(query)]


def count_submissions(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SubmissionRow)) or 0


def save(session: Session, ident: str, *, author: str, reason: SaveReason, now: dt.datetime,
         sections: Mapping[str, str] | None = None, title: str | None = None,
         restored_from: int | None = None, suggested_by: str | None = None) -> Submission:
    """Change some sections and/or the title of a draft, and record the version in history
    (``suggested_by``: the reviewer whose suggestion the ``author`` accepted).

    A save that changes nothing writes nothing (an autosave after no typing is free).
    """
    row = _row(session, ident)
    ensure_editable(to_submission(row))
    body = dict(row.body)
    body.update(sections or {})
    new_title = row.title if title is None else title
    if body == row.body and new_title == row.title:
        return to_submission(row)
    row.body = body
    row.title = new_title
    row.updated_at = now
    if row.status != SubmissionStatus.DRAFT.value:
        row.status = SubmissionStatus.DRAFT.value  # an edit voids a review asked for or a clearance
    record_version(session, row, author, reason, now, restored_from, suggested_by)
    index_submission(session, row)
    session.flush()
    return to_submission(row)


def move_template(session: Session, ident: str, template: Template, *, author: str,
                  now: dt.datetime) -> Submission:
    """Put a draft on ``template``: sections map by key; text under a key the template no longer
    has stays in the body under that key (shown apart, exported after the template's sections)."""
    row = _row(session, ident)
    ensure_editable(to_submission(row))
    body = {key: row.body.get(key, "") for key in template.keys}
    body.update({key: text for key, text in row.body.items() if key not in body and text.strip()})
    row.body = body
    row.template_id, row.template_version = template.id, template.version
    row.updated_at = now
    if row.status != SubmissionStatus.DRAFT.value:
        row.status = SubmissionStatus.DRAFT.value  # an edit voids a review asked for or a clearance
    record_version(session, row, author, SaveReason.TEMPLATE, now)
    index_submission(session, row)
    session.flush()
    return to_submission(row)


def history(session: Session, ident: str) -> list[HistoryEntry]:
    """Every version, oldest first, numbered 1, 2, … within this submission."""
    row = _row(session, ident)
    rows = list(session.scalars(select(HistoryRow).where(HistoryRow.submission_id == row.id)
                                .order_by(HistoryRow.seq)))
    numbers = {r.seq: n for n, r in enumerate(rows, start=1)}
    return [_to_entry(r, numbers[r.seq], numbers) for r in rows]


def version_seq(session: Session, ident: str, version: int) -> int:
    """The history id (seq) of this submission's version number ``version``."""
    entries = history(session, ident)
    if not 1 <= version <= len(entries):
        raise NotFoundError(
            _("Version {n} is not in the history of this submission: see “submission history”.")
            .format(n=version))
    return entries[version - 1].seq


def name_version(session: Session, ident: str, seq: int, name: str | None) -> HistoryEntry:
    """Give version ``seq`` a name (None removes it); the text of the version is unchanged."""
    row = _row(session, ident)
    entry = session.get(HistoryRow, seq)
    if entry is None or entry.submission_id != row.id:
        raise NotFoundError(
            _("Version {seq} is not in the history of this submission: see “submission history”.")
            .format(seq=seq))
    entry.name = name
    session.flush()
    return next(e for e in history(session, row.id) if e.seq == seq)


def restore(session: Session, ident: str, seq: int, *, author: str, now: dt.datetime) -> Submission:
    """Make version ``seq`` the current text again; the restore is itself a new version."""
    row = _row(session, ident)
    entry = session.get(HistoryRow, seq)
    if entry is None or entry.submission_id != row.id:
        raise NotFoundError(
            _("Version {seq} is not in the history of this submission: see “submission history”.")
            .format(seq=seq)
        )
    return save(session, row.id, author=author, reason=SaveReason.RESTORE, now=now,
                sections=dict(entry.body), title=entry.title, restored_from=entry.seq)


def freeze(session: Session, ident: str, *, author: str, now: dt.datetime) -> Submission:
    """Mark a draft submitted: its text is frozen and its content hash fixed, before any sending."""
    row = _row(session, ident)
    ensure_editable(to_submission(row))
    row.status = SubmissionStatus.SUBMITTED.value
    row.content_sha256 = content_sha256(row.title, row.language, row.body)
    row.updated_at = now
    record_version(session, row, author, SaveReason.SUBMIT, now)
    session.flush()
    return to_submission(row)
