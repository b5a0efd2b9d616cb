"""The local side of sync: applying pulled changes, the outbox, conflicts, pending documents.

Everything here runs inside the caller's Session, so that a page of changes and its cursor,
or an op's answer and its effect on the submission, are committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from idm_desktop.core.errors import NotFoundError
from idm_desktop.core.i18n import _
from idm_desktop.core.merge import TITLE_KEY, merge3
from idm_desktop.core.submissions import SaveReason, SubmissionStatus, body_sha256
from idm_desktop.core.sync import Conflict, OutboxItem, SyncSummary
from idm_desktop.storage.catalog import get_meta, set_meta
from idm_desktop.storage.models import (
    ConflictRow,
    DocumentRow,
    MetaRow,
    OutboxRow,
    PendingDocumentRow,
    SubmissionRow,
    TemplateRow,
    WorkshopRow,
)
from idm_desktop.storage.submissions import _append_history, _index

CURSOR_KEY = "sync.cursor"
_CONTENT_FIELDS = ("workshop_id", "language", "title", "template_id", "template_version")


# -- content and base snapshots ----------------------------------------------------------------

def content_of(row: SubmissionRow) -> dict[str, Any]:
    """The editable content in the wire shape of a save op's body (protocol.SubmissionBody)."""
    return {
        "workshop_id": row.workshop_id,
        "country": row.country,
        "language": row.language,
        "title": row.title,
        "template_id": row.template_id,
        "template_version": row.template_version,
        "body": dict(row.body),
    }


def base_rev(row: SubmissionRow) -> int | None:
    return int(row.base["rev"]) if row.base else None


def _base_content(row: SubmissionRow) -> dict[str, Any] | None:
    return dict(row.base["content"]) if row.base else None


def _set_base(row: SubmissionRow, rev: int, content: Mapping[str, Any]) -> None:
    row.base = {"rev": rev, "content": dict(content)}
    row.rev = rev


def is_dirty(row: SubmissionRow) -> bool:
    """True when the text has changes the server has not accepted yet."""
    if row.status not in (SubmissionStatus.DRAFT.value, SubmissionStatus.SUBMITTED.value):
        return False
    return _base_content(row) != content_of(row)


def _set_content(row: SubmissionRow, content: Mapping[str, Any]) -> None:
    for name in _CONTENT_FIELDS:
        setattr(row, name, content[name])
    row.body = dict(content["body"])


def get_cursor(session: Session) -> str | None:
    return get_meta(session, CURSOR_KEY)


def set_cursor(session: Session, cursor: str | None) -> None:
    if cursor is None:
        session.execute(delete(MetaRow).where(MetaRow.key == CURSOR_KEY))
    else:
        set_meta(session, CURSOR_KEY, cursor)


# -- applying pulled changes -------------------------------------------------------------------

class Applied(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    MERGED = "merged"
    CONFLICT = "conflict"
    UNCHANGED = "unchanged"
    DELETED = "deleted"
    PENDING = "pending"  # a document waiting for its file


def apply_workshop(session: Session, ident: str, data: Mapping[str, Any], deleted: bool) -> Applied:
    row = session.get(WorkshopRow, ident)
    if deleted:
        return Applied.UNCHANGED  # workshops stay: submissions refer to them
    start = data.get("start")
    values = {"kind": data["kind"], "year": int(data["year"]),
              "start_date": dt.date.fromisoformat(start) if start else None,
              "data": dict(data), "source": "server"}
    if row is None:
        session.add(WorkshopRow(id=ident, **values))
        return Applied.NEW
    if row.data == dict(data) and row.source == "server":
        return Applied.UNCHANGED
    for key, value in values.items():
        setattr(row, key, value)
    return Applied.UPDATED


def apply_template(session: Session, data: Mapping[str, Any], deleted: bool) -> Applied:
    if deleted:
        return Applied.UNCHANGED  # a template version is never taken back from a draft using it
    key = (str(data["id"]), int(data["version"]))
    row = session.get(TemplateRow, key)
    if row is None:
        session.add(TemplateRow(id=key[0], version=key[1], data=dict(data), source="server"))
        return Applied.NEW
    return Applied.UNCHANGED  # immutable


def apply_document(session: Session, ident: str, rev: int, data: Mapping[str, Any] | None,
                   deleted: bool) -> Applied:
    """A pulled document enters the library once its file is here: until then it is pending."""
    row = session.scalars(select(DocumentRow).where(DocumentRow.id == ident)).first()
    pending = session.get(PendingDocumentRow, ident)
    if deleted or data is None:
        if pending is not None:
            session.delete(pending)
        if row is not None and row.origin == "server":
            session.delete(row)
            return Applied.DELETED
        return Applied.UNCHANGED
    if row is not None and row.rev is not None and row.rev >= rev:
        return Applied.UNCHANGED
    if row is not None and row.sha256 == data["sha256"]:
        update_document_metadata(row, rev, data)
        return Applied.UPDATED
    if pending is None:
        session.add(PendingDocumentRow(document_id=ident, rev=rev, data=dict(data), attempts=0))
    else:
        pending.rev, pending.data, pending.error = rev, dict(data), None
    return Applied.PENDING


def apply_documents(session: Session, changes: Sequence[tuple[str, int, Mapping[str, Any] | None, bool]]
                    ) -> list[Applied]:
    """:func:`apply_document` for a page's documents: the new ones (most, in a first pull) are
    queued with one insert."""
    ids = [ident for ident, _rev, _data, _deleted in changes]
    known = set(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(ids))))
    known |= set(session.scalars(select(PendingDocumentRow.document_id)
                                 .where(PendingDocumentRow.document_id.in_(ids))))
    out, fresh, seen = [], [], set()
    for ident, rev, data, deleted in changes:
        if ident in known or ident in seen or deleted or data is None:
            out.append(apply_document(session, ident, rev, data, deleted))
            continue
        seen.add(ident)
        fresh.append({"document_id": ident, "rev": rev, "data": dict(data), "attempts": 0, "error": None})
        out.append(Applied.PENDING)
    if fresh:
        session.execute(insert(PendingDocumentRow), fresh)
    return out


def _metadata(rev: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """A pulled document's columns, from its change's data (everything but file and text)."""
    return {
        "rev": rev, "symbol": data["symbol"], "title": data["title"],
        "workshop_id": data.get("workshop_id"), "kind": data["kind"], "language": data["language"],
        "original_language": data.get("original_language"),
        "languages_available": list(data.get("languages") or [data["language"]]),
        "date": dt.date.fromisoformat(data["date"]) if data.get("date") else None,
        "page_count": int(data.get("page_count") or 1), "origin": "server",
    }


def update_document_metadata(row: DocumentRow, rev: int, data: Mapping[str, Any]) -> None:
    for name, value in _metadata(rev, data).items():
        setattr(row, name, value)


def pending_documents(session: Session) -> list[PendingDocumentRow]:
    return list(session.scalars(select(PendingDocumentRow).order_by(PendingDocumentRow.document_id)))


def add_pulled_document(session: Session, pending_id: str, text: str, now: dt.datetime) -> None:
    """The file of a pending document arrived and was read: put the document in the library."""
    pending = session.get(PendingDocumentRow, pending_id)
    if pending is None:
        return  # withdrawn meanwhile
    data = pending.data
    row = session.scalars(select(DocumentRow).where(DocumentRow.id == pending_id)).first()
    if row is None:
        row = DocumentRow(id=pending_id, imported_at=now, filename=data.get("filename") or "document",
                          mime=data["mime"], sha256=data["sha256"], size=int(data["size"]), text=text)
        session.add(row)
    else:
        row.sha256, row.size, row.mime, row.text = data["sha256"], int(data["size"]), data["mime"], text
    update_document_metadata(row, pending.rev, data)
    session.delete(pending)


def add_pulled_documents(session: Session, items: list[tuple[str, str]], now: dt.datetime) -> None:
    """:func:`add_pulled_document` for many at once: one insert for the new ones (a pull brings
    hundreds, and the row-by-row way costs more than reading them)."""
    ids = [ident for ident, _text in items]
    pending = {p.document_id: p for p in session.scalars(
        select(PendingDocumentRow).where(PendingDocumentRow.document_id.in_(ids)))}
    existing = set(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(ids))))
    rows = []
    for ident, text in items:
        found = pending.get(ident)
        if found is None:
            continue  # withdrawn meanwhile
        if ident in existing:
            add_pulled_document(session, ident, text, now)
            continue
        data = found.data
        rows.append({
            "id": ident, "imported_at": now, "filename": data.get("filename") or "document",
            "mime": data["mime"], "sha256": data["sha256"], "size": int(data["size"]), "text": text,
            "supersedes": None, **_metadata(found.rev, data),
        })
    if rows:
        session.execute(insert(DocumentRow), rows)
    session.execute(delete(PendingDocumentRow).where(PendingDocumentRow.document_id.in_(ids)))


def note_document_failure(session: Session, pending_id: str, message: str) -> None:
    pending = session.get(PendingDocumentRow, pending_id)
    if pending is not None:
        pending.attempts += 1
        pending.error = message


def apply_submission(session: Session, ident: str, rev: int, data: Mapping[str, Any] | None,
                     deleted: bool, *, author: str, now: dt.datetime) -> Applied:
    """Take the server's version of a submission, merging it with unsent local edits."""
    if deleted or data is None:
        return Applied.UNCHANGED  # the server never deletes submissions; keep the local text
    theirs = {k: data[k] for k in ("workshop_id", "country", "language", "title", "template_id",
                                   "template_version", "body")}
    row = session.get(SubmissionRow, ident)
    if row is None:
        row = SubmissionRow(
            id=ident, country=theirs["country"], status=SubmissionStatus.DRAFT.value, rev=rev, base=None,
            content_sha256=None, supersedes=None, receipt_no=None, received_at=None,
            created_at=now, updated_at=now, superseded_by=None, **{k: theirs[k] for k in _CONTENT_FIELDS},
            body=dict(theirs["body"]))
        session.add(row)
        _set_base(row, rev, theirs)
        _take_status(row, data)
        session.flush()
        _append_history(session, row, author, SaveReason.SYNC, now)
        _index(session, row)
        return Applied.NEW
    outcome = Applied.UNCHANGED
    known = base_rev(row)
    if known is None or rev > known:
        if not is_dirty(row):
            if content_of(row) != theirs:
                _set_content(row, theirs)
                row.updated_at = now
                _append_history(session, row, author, SaveReason.SYNC, now)
                _index(session, row)
                outcome = Applied.UPDATED
            _set_base(row, rev, theirs)
        elif content_of(row) == theirs:
            _set_base(row, rev, theirs)  # e.g. our op was applied but its answer was lost
        else:
            outcome = merge_into(session, row, theirs, rev, author=author, now=now)
    _take_status(row, data)
    return outcome


def merge_into(session: Session, row: SubmissionRow, theirs: Mapping[str, Any], theirs_rev: int, *,
               author: str, now: dt.datetime) -> Applied:
    """Three-way merge of the server's text into a submission with unsent edits (DESIGN §5)."""
    base = _base_content(row) or _in_flight_body(session, row.id) or {"title": "", "body": {}}
    mine = content_of(row)
    result = merge3(base["title"], base["body"], mine["title"], mine["body"], theirs["title"], theirs["body"])
    merged = dict(mine)
    for name in ("workshop_id", "language", "template_id", "template_version"):
        if mine[name] == base.get(name):
            merged[name] = theirs[name]  # only they changed it
    merged["title"] = result.title
    merged["body"] = dict(result.body)
    _set_content(row, merged)
    _set_base(row, theirs_rev, theirs)
    row.updated_at = now
    for conflict in result.conflicts:
        session.merge(ConflictRow(submission_id=row.id, key=conflict.key, base=conflict.base,
                                  mine=conflict.mine, theirs=conflict.theirs, theirs_rev=theirs_rev,
                                  created_at=now))
    _append_history(session, row, author, SaveReason.MERGE, now)
    _index(session, row)
    return Applied.MERGED if result.clean else Applied.CONFLICT


def _in_flight_body(session: Session, submission_id: str) -> dict[str, Any] | None:
    op = session.scalars(select(OutboxRow).where(OutboxRow.submission_id == submission_id,
                                                 OutboxRow.kind == "save",
                                                 OutboxRow.sent_at.is_not(None))).first()
    return dict(op.body) if op else None


def _take_status(row: SubmissionRow, data: Mapping[str, Any]) -> None:
    status = data.get("status")
    if status in ("received", "published", "withdrawn"):
        row.status = status
        row.receipt_no = data.get("receipt_no")
        received = data.get("received_at")
        row.received_at = dt.datetime.fromisoformat(received) if received else None
        row.content_sha256 = data.get("content_sha256") or row.content_sha256
    elif status == "draft" and row.status in ("received", "published"):
        row.status = status  # the server is the authority once it has answered
    row.supersedes = data.get("supersedes", row.supersedes)
    row.superseded_by = data.get("superseded_by")


# -- conflicts ---------------------------------------------------------------------------------

def conflicts(session: Session, submission_id: str | None = None) -> list[Conflict]:
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
    _append_history(session, sub, author, SaveReason.MERGE, now)
    _index(session, sub)
    return session.scalar(select(func.count()).select_from(ConflictRow)
                          .where(ConflictRow.submission_id == submission_id)) or 0


# -- the outbox --------------------------------------------------------------------------------

def prepare_saves(session: Session, now: dt.datetime) -> int:
    """Make one save op for each submission with unsent edits and nothing in the way (an op
    already out, a conflict waiting, a refusal the user has not seen). Returns how many."""
    busy = set(session.scalars(select(OutboxRow.submission_id).where(OutboxRow.kind == "save")))
    blocked = set(session.scalars(select(ConflictRow.submission_id)))
    made = 0
    for row in session.scalars(select(SubmissionRow).where(
            SubmissionRow.status.in_((SubmissionStatus.DRAFT.value, SubmissionStatus.SUBMITTED.value)))):
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


def sendable_saves(session: Session) -> list[OutboxRow]:
    return list(session.scalars(select(OutboxRow).where(OutboxRow.kind == "save",
                                                        OutboxRow.failed.is_(False))
                                .order_by(OutboxRow.seq)))


def server_documents(session: Session, ids: set[str]) -> tuple[int, int]:
    """How many pulled documents the library holds, and how many of ``ids`` are among them."""
    held = session.scalar(select(func.count()).select_from(DocumentRow)
                          .where(DocumentRow.origin == "server")) or 0
    among = session.scalar(select(func.count()).select_from(DocumentRow)
                           .where(DocumentRow.origin == "server", DocumentRow.id.in_(ids))) or 0
    return held, among


def ready_submits(session: Session) -> list[tuple[str, str, int, str, str | None]]:
    """Submit ops whose text the server already has (no unsent edits, no save out, no conflict):
    ``(op_id, submission_id, rev, sha256, supersedes)``."""
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
        ready.append((op.op_id, op.submission_id, rev, op.sha256, op.body.get("supersedes")))
    return ready


def bundle_submits(session: Session) -> list[tuple[str, str, int | None, str, str | None]]:
    """Every submit op not refused, for an offline bundle: ``(op_id, submission_id, rev or None,
    sha256, supersedes)`` -- the rev is None while the text itself still travels in the bundle."""
    out = []
    for op in session.scalars(select(OutboxRow).where(OutboxRow.kind == "submit", OutboxRow.failed.is_(False))
                              .order_by(OutboxRow.seq)):
        row = session.get(SubmissionRow, op.submission_id)
        rev = base_rev(row) if row is not None and not is_dirty(row) else None
        out.append((op.op_id, op.submission_id, rev, op.sha256, op.body.get("supersedes")))
    return out


def mark_sent(session: Session, op_ids: list[str], now: dt.datetime) -> None:
    for op in session.scalars(select(OutboxRow).where(OutboxRow.op_id.in_(op_ids))):
        op.attempts += 1
        if op.sent_at is None:
            op.sent_at = now


def on_applied(session: Session, op_id: str, rev: int) -> None:
    op = session.scalars(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
    if op is None:
        return
    row = session.get(SubmissionRow, op.submission_id)
    if row is not None and (base_rev(row) or 0) < rev:
        _set_base(row, rev, op.body)
    session.delete(op)


def on_conflict(session: Session, op_id: str, current_rev: int, current: Mapping[str, Any], *,
                author: str, now: dt.datetime) -> Applied:
    op = session.scalars(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
    if op is None:
        return Applied.UNCHANGED
    row = session.get(SubmissionRow, op.submission_id)
    session.delete(op)
    if row is None:
        return Applied.UNCHANGED
    if content_of(row) == dict(current):
        _set_base(row, current_rev, current)
        return Applied.UNCHANGED
    return merge_into(session, row, current, current_rev, author=author, now=now)


def on_refused(session: Session, op_id: str, code: str, message: str) -> None:
    op = session.scalars(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
    if op is not None:
        op.failed, op.error_code, op.error = True, code, message


def on_receipt(session: Session, op_id: str, receipt_no: str, received_at: dt.datetime, sha256: str) -> None:
    op = session.scalars(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
    if op is None:
        return
    row = session.get(SubmissionRow, op.submission_id)
    if row is not None:
        row.status = SubmissionStatus.RECEIVED.value
        row.receipt_no, row.received_at, row.content_sha256 = receipt_no, received_at, sha256
    session.delete(op)


def note_attempt_failed(session: Session, op_ids: list[str], message: str) -> None:
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
    items = []
    for op in session.scalars(select(OutboxRow).order_by(OutboxRow.seq)):
        sub = session.get(SubmissionRow, op.submission_id)
        items.append(OutboxItem(op.op_id, op.kind, op.submission_id, sub.title if sub else "",
                                op.sent_at is not None, op.attempts, op.failed, op.error))
    return items


def summary(session: Session) -> SyncSummary:
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

