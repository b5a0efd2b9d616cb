"""Documents in the local library. Originals live in the blob folder, text in the database."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idm_desktop.core.documents import Document, DocumentKind
from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import _
from idm_desktop.storage.lookup import by_id_or_prefix
from idm_desktop.storage.models import DocumentRow


@dataclass(frozen=True, slots=True)
class NewDocument:
    """What an import knows about a document before it is in the library."""

    symbol: str
    title: str
    workshop_id: str | None
    kind: DocumentKind
    language: str
    sha256: str
    size: int
    mime: str
    filename: str
    page_count: int
    text: str
    original_language: str | None = None
    languages_available: tuple[str, ...] = ()  # empty: not known
    date: dt.date | None = None
    supersedes: str | None = None
    id: str | None = None


def to_document(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        symbol=row.symbol,
        title=row.title,
        workshop_id=row.workshop_id,
        kind=DocumentKind(row.kind),
        language=row.language,
        original_language=row.original_language,
        languages_available=tuple(row.languages_available),
        date=row.date,
        sha256=row.sha256,
        size=row.size,
        mime=row.mime,
        filename=row.filename,
        page_count=row.page_count,
        imported_at=row.imported_at,
        supersedes=row.supersedes,
    )


def add_document(session: Session, new: NewDocument, now: dt.datetime) -> Document:
    row = DocumentRow(
        id=new.id or str(uuid.uuid4()),
        symbol=new.symbol,
        title=new.title,
        workshop_id=new.workshop_id,
        kind=new.kind.value,
        language=new.language,
        original_language=new.original_language,
        languages_available=list(new.languages_available),
        date=new.date,
        sha256=new.sha256,
        size=new.size,
        mime=new.mime,
        filename=new.filename,
        page_count=new.page_count,
        text=new.text,
        imported_at=now,
        supersedes=new.supersedes,
    )
    session.add(row)
    session.flush()
    return to_document(row)


def find_by_sha256(session: Session, sha256: str) -> Document | None:
    row = session.scalars(select(DocumentRow).where(DocumentRow.sha256 == sha256)).first()
    return to_document(row) if row else None


def find_by_sha256s(session: Session, sha256s: Sequence[str]) -> dict[str, Document]:
    """The documents holding any of ``sha256s``, by sha256 (one query)."""
    found: dict[str, Document] = {}
    for start in range(0, len(sha256s), 500):  # SQLite's limit on bound parameters
        chunk = list(sha256s[start:start + 500])
        for row in session.scalars(select(DocumentRow).where(DocumentRow.sha256.in_(chunk))):
            found.setdefault(row.sha256, to_document(row))
    return found


def list_documents(session: Session, workshop_id: str | None = None) -> list[Document]:
    query = select(DocumentRow).order_by(DocumentRow.workshop_id, DocumentRow.symbol, DocumentRow.pk)
    if workshop_id:
        query = query.where(DocumentRow.workshop_id == workshop_id)
    return [to_document(r) for r in session.scalars(query)]


def document_ids(session: Session, workshop_id: str | None = None,
                 kind: DocumentKind | None = None, language: str | None = None) -> list[str]:
    query = select(DocumentRow.id).order_by(DocumentRow.workshop_id, DocumentRow.symbol,
                                            DocumentRow.pk)
    if workshop_id:
        query = query.where(DocumentRow.workshop_id == workshop_id)
    if kind:
        query = query.where(DocumentRow.kind == kind.value)
    if language:
        query = query.where(DocumentRow.language == language)
    return list(session.scalars(query))


def documents_by_ids(session: Session, ids: Sequence[str]) -> list[Document]:
    rows = {r.id: r for r in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(ids)))}
    return [to_document(rows[i]) for i in ids if i in rows]


def link_documents_to_workshops(session: Session, links: Mapping[str, str]) -> int:
    """Give each document without a workshop the one ``links`` names for its symbol (keys
    upper-cased); a workshop chosen by the user is never changed. Returns how many changed."""
    if not links:
        return 0
    rows = session.scalars(select(DocumentRow).where(DocumentRow.workshop_id.is_(None))).all()
    changed = 0
    for row in rows:
        workshop_id = links.get(row.symbol.upper())
        if workshop_id is not None:
            row.workshop_id = workshop_id
            changed += 1
    session.flush()
    return changed


def update_document(session: Session, ident: str, *, title: str, workshop_id: str | None,
                    kind: DocumentKind, languages_available: Sequence[str]) -> Document:
    """Correct what is known about a document: its title, workshop, kind and the languages the
    organisation published it in. Its file and text do not change."""
    row = _row(session, ident)
    row.title = title
    row.workshop_id = workshop_id
    row.kind = kind.value
    row.languages_available = list(languages_available)
    session.flush()
    return to_document(row)


def reshape_texts(session: Session, shape: Callable[[str], str], skip_mime: str = "") -> int:
    """Pass the text of every document (but those of ``skip_mime``) through ``shape``; the
    search index follows. Returns how many texts changed."""
    ids = session.scalars(select(DocumentRow.pk).where(DocumentRow.mime != skip_mime)).all()
    changed = 0
    for pk in ids:  # one text in memory at a time: a text may be 20 million characters
        row = session.get(DocumentRow, pk)
        if row is None:
            continue
        shaped = shape(row.text)
        if shaped != row.text:
            row.text = shaped
            changed += 1
        session.flush()
        session.expunge(row)
    return changed


def count_documents(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DocumentRow)) or 0


def _row(session: Session, ident: str) -> DocumentRow:
    by_symbol = session.scalars(
        select(DocumentRow).where(func.upper(DocumentRow.symbol) == ident.strip().upper())
        .order_by(DocumentRow.language, DocumentRow.pk).limit(10)
    ).all()
    if len(by_symbol) == 1:
        return by_symbol[0]
    if len(by_symbol) > 1:
        # One symbol, several files (other languages, or a version and its replacement).
        listed = "; ".join(f"{r.id[:8]} ({r.language}, “{r.title}”)" for r in by_symbol)
        raise InvalidInputError(_("{symbol} names {n} documents: {listed}. Give the id of the one you want.")
                                .format(symbol=by_symbol[0].symbol, n=len(by_symbol), listed=listed))
    return by_id_or_prefix(session, DocumentRow, DocumentRow.id, ident, _("documents"))


def get_document(session: Session, ident: str) -> Document:
    """A document by id, unique id prefix, or symbol."""
    return to_document(_row(session, ident))


def document_text(session: Session, ident: str) -> str:
    return _row(session, ident).text
