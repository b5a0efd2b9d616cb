"""What a change carries for each kind of entity (the ``data`` of a change)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from idm_desktop.protocol import Change, Entity
from idm_desktop.protocol.signing import Signature
from idm_desktop.server.models import (
    Document,
    FeedEntry,
    Notice,
    Review,
    Submission,
    SubmissionRevision,
    Template,
    User,
    Workshop,
)

_MODELS: dict[str, type[Workshop | Template | Document | Submission | Review | Notice]] = {
    Entity.NOTICE.value: Notice,
    Entity.WORKSHOP.value: Workshop,
    Entity.TEMPLATE.value: Template,
    Entity.DOCUMENT.value: Document,
    Entity.SUBMISSION.value: Submission,
    Entity.REVIEW.value: Review,
}


def iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def document_data(doc: Document) -> dict[str, Any]:
    """A document's metadata and file reference (its bytes come from the blob route)."""
    return {
        "symbol": doc.symbol,
        "title": doc.title,
        "workshop_id": doc.workshop_id,
        "kind": doc.kind,
        "language": doc.language,
        "original_language": doc.original_language,
        "languages": doc.languages.split(","),
        "date": doc.date.isoformat() if doc.date else None,
        "sha256": doc.sha256,
        "size": doc.size,
        "mime": doc.mime,
        "filename": doc.filename,
        "page_count": doc.page_count,
        "published_at": iso(doc.published_at),
    }


def submission_content(sub: Submission) -> dict[str, Any]:
    """The editable content, in the shape of a save op's body (protocol.SubmissionBody)."""
    return {
        "workshop_id": sub.workshop_id,
        "country": sub.delegation,
        "language": sub.language,
        "title": sub.title,
        "template_id": sub.template_id,
        "template_version": sub.template_version,
        "body": dict(sub.body),
    }


def receipt_signature(sub: Submission) -> Signature | None:
    """The signature of a submission's receipt (None for receipts issued before receipts were signed)."""
    if sub.receipt_key_id is None or sub.receipt_signature is None:
        return None
    return Signature(key_id=sub.receipt_key_id, signature=sub.receipt_signature)


def submission_data(sub: Submission) -> dict[str, Any]:
    """Content plus the server's state of the submission."""
    return {
        **submission_content(sub),
        "status": sub.status,
        "content_sha256": sub.content_sha256,
        "supersedes": sub.supersedes,
        "superseded_by": sub.superseded_by,
        "receipt_no": sub.receipt_no,
        "receipt_signature": (signature.model_dump(mode="json")
                              if (signature := receipt_signature(sub)) is not None else None),
        "received_at": iso(sub.received_at),
        "published_at": iso(sub.published_at),
        "return_note": sub.return_note,
        "returned_at": iso(sub.returned_at),
        "withdrawn_at": iso(sub.withdrawn_at),
        "withdrawn_reason": sub.withdrawn_reason,
        "updated_at": iso(sub.updated_at),
    }


def changes_for(session: Session, entries: Iterable[FeedEntry]) -> list[Change]:
    """Turn feed entries into wire changes, loading each kind's rows in one query."""
    entries = list(entries)
    wanted: dict[str, list[str]] = {}
    for e in entries:
        if not e.deleted:
            wanted.setdefault(e.entity, []).append(e.entity_id)
    rows: dict[tuple[str, str], Any] = {}
    for entity, ids in wanted.items():
        model: Any = _MODELS[entity]
        for found in session.scalars(select(model).where(model.id.in_(ids))):
            rows[(entity, found.id)] = found
    authors = _revision_authors(session, [row for (entity, _id), row in rows.items()
                                          if entity == Entity.SUBMISSION])
    changes = []
    for e in entries:
        row = rows.get((e.entity, e.entity_id))
        data = None if e.deleted or row is None else _data(e.entity, row)
        if data is not None and e.entity == Entity.SUBMISSION:
            data["updated_by"] = authors.get(e.entity_id)
        changes.append(Change(seq=e.seq, entity=Entity(e.entity), id=e.entity_id, rev=e.rev,
                              deleted=e.deleted or row is None, data=data))
    return changes


def _revision_authors(session: Session, subs: list[Submission]) -> dict[str, str]:
    """The user name of who saved each submission's current rev (its history's author on every
    desktop that pulls it); a rev the service made itself has none."""
    if not subs:
        return {}
    pairs = [(s.id, s.rev) for s in subs]
    found = session.execute(
        select(SubmissionRevision.submission_id, User.username)
        .join(User, User.id == SubmissionRevision.author_id)
        .where(tuple_(SubmissionRevision.submission_id, SubmissionRevision.rev).in_(pairs)))
    return {sid: name for sid, name in found}


def _data(entity: str, row: Any) -> dict[str, Any]:
    if entity == Entity.WORKSHOP:
        return dict(row.data)
    if entity == Entity.TEMPLATE:
        return dict(row.data)
    if entity == Entity.DOCUMENT:
        return document_data(row)
    if entity == Entity.REVIEW:
        return {**row.data, "delegation": row.delegation}
    if entity == Entity.NOTICE:
        return {"workshop_id": row.workshop_id, "text": dict(row.text), "created_at": iso(row.created_at)}
    return submission_data(row)
