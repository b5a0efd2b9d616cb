"""Applying pulled changes: workshops, templates, documents (pending until their file is read) and
submissions (merged with unsent edits).

Everything here runs inside the caller's Session, so that a page of changes and its cursor are
committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from idm_desktop.core.submissions import SaveReason, SubmissionStatus
from idm_desktop.storage.conflicts import merge_into
from idm_desktop.storage.models import (
    DocumentRow,
    HistoryRow,
    OutboxRow,
    PendingDocumentRow,
    SubmissionRow,
    TemplateRow,
    WorkshopRow,
)
from idm_desktop.storage.snapshots import (
    CONTENT_FIELDS,
    Applied,
    base_rev,
    content_of,
    is_dirty,
    set_base,
    set_content,
)
from idm_desktop.storage.submissions import index_submission, record_version


@dataclass(frozen=True, slots=True)
class DocumentChange:
    """One pulled change of a document (``data`` None or ``deleted``: withdrawn)."""

    id: str
    rev: int
    data: Mapping[str, Any] | None
    deleted: bool


@dataclass(frozen=True, slots=True)
class PendingDocument:
    """A pulled document waiting for its file: its id and its change's data (sha256, size...)."""

    document_id: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """The file of a pending document, fetched and read: its text for the library's search."""

    document_id: str
    text: str


@dataclass(frozen=True, slots=True)
class ServerDocuments:
    """How many pulled documents the library holds, and how many of some ids are among them."""

    held: int
    among: int


def apply_workshop(session: Session, ident: str, data: Mapping[str, Any], deleted: bool) -> Applied:
    """Take the server's version of a workshop (never removed: submissions refer to it)."""
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
    """Add a template version the library does not have (versions are immutable)."""
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
    if row is not None and row.origin != "server":
        # A document imported here never came from the service: no change of its may touch it
        # (a forged change could otherwise make it look pulled, then withdraw it).
        return Applied.REFUSED
    if deleted or data is None:
        if pending is not None:
            session.delete(pending)
        if row is not None:
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


def apply_documents(session: Session, changes: Sequence[DocumentChange]) -> list[Applied]:
    """:func:`apply_document` for a page's documents: the new ones (most, in a first pull) are
    queued with one insert."""
    ids = [change.id for change in changes]
    known = set(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(ids))))
    known |= set(session.scalars(select(PendingDocumentRow.document_id)
                                 .where(PendingDocumentRow.document_id.in_(ids))))
    out, fresh, seen = [], [], set()
    for change in changes:
        ident, rev, data, deleted = change.id, change.rev, change.data, change.deleted
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
    """Take a pulled change's metadata (all but the file and its text) into a document's row."""
    for name, value in _metadata(rev, data).items():
        setattr(row, name, value)


def pending_documents(session: Session) -> list[PendingDocument]:
    """The pulled documents whose file is not here yet, by id."""
    return [PendingDocument(row.document_id, dict(row.data))
            for row in session.scalars(select(PendingDocumentRow).order_by(PendingDocumentRow.document_id))]


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


def add_pulled_documents(session: Session, items: Sequence[ReadDocument], now: dt.datetime) -> None:
    """:func:`add_pulled_document` for many at once: one insert for the new ones (a pull brings
    hundreds, and the row-by-row way costs more than reading them)."""
    ids = [item.document_id for item in items]
    pending = {p.document_id: p for p in session.scalars(
        select(PendingDocumentRow).where(PendingDocumentRow.document_id.in_(ids)))}
    existing = set(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(ids))))
    rows = []
    for item in items:
        ident, text = item.document_id, item.text
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
    """The file of a pending document could not be fetched or read: it is tried again next time."""
    pending = session.get(PendingDocumentRow, pending_id)
    if pending is not None:
        pending.attempts += 1
        pending.error = message


def server_documents(session: Session, ids: set[str]) -> ServerDocuments:
    """How many pulled documents the library holds, and how many of ``ids`` are among them."""
    held = session.scalar(select(func.count()).select_from(DocumentRow)
                          .where(DocumentRow.origin == "server")) or 0
    among = session.scalar(select(func.count()).select_from(DocumentRow)
                           .where(DocumentRow.origin == "server", DocumentRow.id.in_(ids))) or 0
    return ServerDocuments(held, among)


def apply_submission(session: Session, ident: str, rev: int, data: Mapping[str, Any] | None,
                     deleted: bool, *, author: str, now: dt.datetime,
                     delegation: str | None = None) -> Applied:
    """Take the server's version of a submission, merging it with unsent local edits.

    ``delegation``: the library's; a submission of another delegation is never taken in. The
    status of a submission the service never saw (no op of it ever left this computer) is never
    taken from a change: only the service's answer to this computer's own submit sets it."""
    if deleted or data is None:
        return Applied.UNCHANGED  # the server never deletes submissions; keep the local text
    # The version is the person's who saved it on the service (the same name on every desktop),
    # not this computer's user.
    me, author = author, data.get("updated_by") or author
    theirs = {k: data[k] for k in ("workshop_id", "country", "language", "title", "template_id",
                                   "template_version", "body")}
    if delegation and theirs["country"] != delegation:
        return Applied.REFUSED
    row = session.get(SubmissionRow, ident)
    if row is not None and delegation is not None and row.country != theirs["country"]:
        return Applied.REFUSED  # a change may not move a submission to another delegation
    if row is None:
        row = SubmissionRow(
            id=ident, country=theirs["country"], status=SubmissionStatus.DRAFT.value, rev=rev, base=None,
            content_sha256=None, supersedes=None, receipt_no=None, received_at=None,
            created_at=now, updated_at=now, superseded_by=None, **{k: theirs[k] for k in CONTENT_FIELDS},
            body=dict(theirs["body"]))
        session.add(row)
        set_base(row, rev, theirs)
        received = _take_status(row, data)
        session.flush()
        record_version(session, row, author, SaveReason.SYNC, now)
        if received:
            _record_sent(session, row, author, now)
        index_submission(session, row)
        return Applied.NEW
    outcome = Applied.UNCHANGED
    local_only = _local_only(session, row)
    known = base_rev(row)
    if known is None or rev > known:
        if not is_dirty(row):
            if content_of(row) != theirs:
                set_content(row, theirs)
                row.updated_at = now
                record_version(session, row, author, SaveReason.SYNC, now)
                index_submission(session, row)
                outcome = Applied.UPDATED
            set_base(row, rev, theirs)
        elif content_of(row) == theirs:
            set_base(row, rev, theirs)  # e.g. our op was applied but its answer was lost
        else:
            outcome = merge_into(session, row, theirs, rev, author=me, now=now)
    if not local_only and _take_status(row, data):
        _record_sent(session, row, author, now)
    return outcome


def _record_sent(session: Session, row: SubmissionRow, author: str, now: dt.datetime) -> None:
    """The "submitted" step in the history of a text sent from another computer, as the receipt
    says: every drafter and reviewer sees that it went, and when. ``author``: who saved the rev
    the service made at the receipt, i.e. who submitted it."""
    last = session.scalars(select(HistoryRow).where(HistoryRow.submission_id == row.id)
                           .order_by(HistoryRow.seq.desc()).limit(1)).first()
    if last is not None and last.reason == SaveReason.SUBMIT.value:
        return  # submitted here: the history says so already
    record_version(session, row, author, SaveReason.SUBMIT, row.received_at or now)


def _local_only(session: Session, row: SubmissionRow) -> bool:
    """True while no op of the submission ever left this computer (so the service cannot know it)."""
    if base_rev(row) is not None:
        return False
    sent = session.scalar(select(func.count()).select_from(OutboxRow).where(
        OutboxRow.submission_id == row.id, OutboxRow.sent_at.is_not(None)))
    return not sent


def _take_status(row: SubmissionRow, data: Mapping[str, Any]) -> bool:
    """Take the service's state of the submission; True when this brings its receipt (the first
    news here that it was sent)."""
    had_receipt = row.receipt_no is not None
    status = data.get("status")
    if status in ("received", "published", "returned", "withdrawn"):
        row.status = status
        row.return_note = data.get("return_note") if status == "returned" else None
        row.receipt_no = data.get("receipt_no")
        received = data.get("received_at")
        row.received_at = dt.datetime.fromisoformat(received) if received else None
        row.content_sha256 = data.get("content_sha256") or row.content_sha256
        signed = data.get("receipt_signature")
        if isinstance(signed, Mapping) and row.receipt_no:
            row.receipt_key_id, row.receipt_signature = signed.get("key_id"), signed.get("signature")
    elif status == "draft" and row.status in ("received", "published"):
        row.status = status  # the server is the authority once it has answered
    # The link of a correction to what it corrects is made here (submission correct) and known to
    # the service only from its submit on: before that the service says null, which must not
    # undo it (a review step on the correction pulled such a change, and the correction was
    # received unlinked). Once set, the service never clears it.
    if data.get("supersedes") is not None:
        row.supersedes = data["supersedes"]
    row.superseded_by = data.get("superseded_by")
    return not had_receipt and row.receipt_no is not None
