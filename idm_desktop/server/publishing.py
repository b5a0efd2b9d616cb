"""What the secretariat publishes: the catalog, templates, documents, and received submissions.

Shared by the admin commands (run on the server's machine) and the secretariat's API routes.
Each function is one unit of work and ends with the change it makes recorded in the feed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idm_desktop.core.catalog import BundledDataError, load_bundled_templates
from idm_desktop.core.documents import DocumentKind, guess_kind, normalize_symbol
from idm_desktop.core.errors import IdmError, InvalidInputError
from idm_desktop.core.i18n import N_
from idm_desktop.core.languages import LANGUAGES
from idm_desktop.core.templates import Template as CoreTemplate
from idm_desktop.protocol import Entity
from idm_desktop.server import audit, feed
from idm_desktop.server.blobs import BlobStore
from idm_desktop.server.catalog import add_template
from idm_desktop.server.database import Database
from idm_desktop.server.errors import AdminError, AdminInputError, AdminNotFound
from idm_desktop.server.models import Document, Submission, SubmissionRevision, Workshop, utcnow
from idm_desktop.server.search import index as search_index

log = logging.getLogger(__name__)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def template_from_json(data: dict[str, Any], name: str = "template") -> CoreTemplate:
    """Check a template given as JSON (the bundled templates' format)."""
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{Path(name).stem or 'template'}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return publishable_template(path)


def publishable_template(path: Path) -> CoreTemplate:
    try:
        (template,) = load_bundled_templates(path)
    except BundledDataError as err:
        raise AdminInputError(N_("Not a valid template: {reason}"), "invalid_template",
                              params={"reason": str(err).replace(f"{path}: ", "")}, field="file") from None
    except ValueError:
        raise AdminInputError(N_("Give one template file."), "invalid_template", field="file") from None
    # What the database and the protocol can hold (a client's template_version is >= 1).
    if not (len(template.id) <= 100 and _SLUG.fullmatch(template.id)):
        raise AdminInputError(N_("Not a valid template: 'id' must be a slug (a-z, 0-9, hyphens) of at most "
                                 "100 characters."), "invalid_template", field="file")
    if not 1 <= template.version <= 1_000_000:
        raise AdminInputError(N_("Not a valid template: 'version' must be a whole number from 1 to 1000000."),
                              "invalid_template", field="file")
    return template


def publish_template(db: Database, template: CoreTemplate, actor: str = audit.COMMAND_LINE) -> str:
    key = f"{template.id}@{template.version}"
    with db.write() as session:
        if not add_template(session, template):
            raise AdminError(N_("Template {id} version {version} is already published: a change is a new "
                                "version (raise \"version\")."), "exists",
                             params={"id": template.id, "version": template.version}, field="file")
        audit.record(session, actor, "template.publish", key, None,
                     {"sections": [s.key for s in template.sections]})
    return key


@dataclass(frozen=True, slots=True)
class PublishedDocument:
    id: str
    symbol: str
    title: str
    sha256: str
    size: int
    page_count: int


def publish_document(
    db: Database, blobs: BlobStore, file: Path, *, workshop: str, symbol: str, language: str,
    title: str | None = None, original_language: str | None = None, languages: str | None = None,
    kind: str | None = None, date: dt.date | None = None, max_bytes: int = 100 * 1024 * 1024,
    replace: bool = False, actor: str = audit.COMMAND_LINE,
) -> PublishedDocument:
    """Read ``file`` with the shared ingest code, store it content-addressed, and publish it.

    A symbol names one document per language: publishing a second file under a symbol already
    published in that language is refused, unless ``replace`` is given, which withdraws the
    published one in the same transaction (clients receive its tombstone and the new document).
    """
    for code in (language, original_language):
        if code is not None and code not in LANGUAGES:
            raise AdminInputError(N_("Unknown language “{code}”: use en, fr or es."), params={"code": code},
                                  field="language")
    avail = list(dict.fromkeys(c.strip() for c in (languages or language).split(",") if c.strip()))
    if not avail or any(c not in LANGUAGES for c in avail):
        raise AdminInputError(N_("The languages it is published in are among en, fr and es (--languages is a "
                                 "comma-separated list)."), field="languages")
    # Imported here: reading documents (and the process pool it may use) is for publishing one,
    # never for serving; the service starts without it (some 1 MB, tests/bench/bench_public.py).
    from idm_desktop.ingest import extract

    try:
        clean_symbol = normalize_symbol(symbol)
        extracted = extract(file, max_bytes=max_bytes)
    except IdmError as err:  # its template and values: a page says it in its reader's language
        raise AdminInputError(err.template, params=err.params or None,
                              field="symbol" if isinstance(err, InvalidInputError) else "file") from None
    if len(clean_symbol) > 200:
        raise AdminInputError(N_("The symbol is over 200 characters: give the document's symbol, "
                                 "e.g. IC/2006/4."), field="symbol")
    the_title = (title or extracted.title or clean_symbol).strip()
    try:
        the_kind = DocumentKind(kind) if kind else guess_kind(clean_symbol, the_title)
    except ValueError:
        raise AdminInputError(N_("Unknown kind “{kind}”: use one of {kinds}."), field="kind", params={
            "kind": kind, "kinds": ", ".join(k.value for k in DocumentKind)}) from None
    with db.read() as session:
        if session.get(Workshop, workshop) is None:
            raise AdminInputError(N_("Unknown workshop “{workshop}”: see the ids with `idm-desktop "
                                     "workshops`."), params={"workshop": workshop}, field="workshop")
    sha = blobs.put(extracted.data)
    doc_id = str(uuid.uuid4())
    with db.write() as session:
        same = session.scalars(db.lock(select(Document).where(
            func.upper(Document.symbol) == clean_symbol.upper(), Document.language == language,
            Document.deleted.is_(False)))).all()
        if same and not replace:
            old = same[0]
            raise AdminInputError(N_(
                "{symbol} in {language} is already published as {id} (“{title}”): withdraw it first, or "
                "publish with --replace to put this file in its place (the old one is withdrawn), or give "
                "the document its own symbol."), "document_exists", field="symbol",
                params={"symbol": old.symbol, "language": language, "id": old.id, "title": old.title})
        for old in same:
            old.deleted = True
            old.rev += 1
            feed.record(session, Entity.DOCUMENT, old.id, old.rev, deleted=True)
            audit.record(session, actor, "document.withdraw", f"{old.symbol} ({old.language}) {old.id}",
                         {"published": True}, {"published": False, "replaced_by": doc_id})
        session.add(Document(
            id=doc_id, rev=1, workshop_id=workshop, symbol=clean_symbol, title=the_title,
            kind=the_kind.value, language=language, original_language=original_language or language,
            languages=",".join(avail), date=date, sha256=sha, size=extracted.size, mime=extracted.mime,
            filename=extracted.filename, page_count=extracted.page_count, text=extracted.text,
        ))
        session.flush()
        feed.record(session, Entity.DOCUMENT, doc_id, 1)
        audit.record(session, actor, "document.publish", f"{clean_symbol} ({language}) {doc_id}", None,
                     {"title": the_title, "workshop": workshop, "kind": the_kind.value,
                      "languages": ",".join(avail), "sha256": sha})
    return PublishedDocument(doc_id, clean_symbol, the_title, sha, extracted.size, extracted.page_count)


def withdraw_document(db: Database, document_id: str, actor: str = audit.COMMAND_LINE) -> None:
    """Take a document back: clients receive a tombstone and drop their copy."""
    with db.write() as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.deleted:
            raise AdminNotFound(N_("No published document “{document_id}”."),
                                params={"document_id": document_id})
        audit.record(session, actor, "document.withdraw", f"{doc.symbol} ({doc.language}) {doc.id}",
                     {"published": True}, {"published": False})
        doc.deleted = True
        doc.rev += 1
        feed.record(session, Entity.DOCUMENT, doc.id, doc.rev, deleted=True)


def _by_receipt(session: Session, db: Database, receipt_no: str) -> Submission:
    stmt = select(Submission).where(Submission.receipt_no == receipt_no.strip())
    sub: Submission | None = session.scalars(db.lock(stmt)).first()
    if sub is None:
        raise AdminNotFound(N_("No received submission has receipt number “{receipt_no}”: check the number "
                               "on the delegation's receipt (IDM-<year>-<number>); `idm-server admin "
                               "list-submissions` lists what was received."),
                            params={"receipt_no": receipt_no})
    return sub


def publish_submission(db: Database, receipt_no: str, actor: str = audit.COMMAND_LINE) -> Submission:
    """Put a received submission in the public policy database."""
    with db.write() as session:
        sub = _by_receipt(session, db, receipt_no)
        if sub.status == "published":
            raise AdminError(N_("{receipt_no} is already published."), params={"receipt_no": receipt_no})
        if sub.status != "received":
            raise AdminError(N_("{receipt_no} is {status}; only a received submission can be published."),
                             params={"receipt_no": receipt_no, "status": sub.status})
        now = utcnow()
        sub.status = "published"
        sub.published_at = now
        sub.unpublished_at = None
        sub.unpublished_reason = None
        _bump(session, sub, now)
        search_index.add(session.connection(), sub.id, sub.title, sub.body)
        audit.record(session, actor, "submission.publish", sub.receipt_no or sub.id,
                     {"status": "received"}, {"status": "published"})
        return sub


def unpublish_submission(db: Database, receipt_no: str, reason: str,
                         actor: str = audit.COMMAND_LINE) -> Submission:
    """Take a submission out of the public policy database, saying why."""
    if not reason.strip():
        raise AdminError("Say why with --reason: it is kept with the submission.")
    with db.write() as session:
        sub = _by_receipt(session, db, receipt_no)
        if sub.status != "published":
            raise AdminError(N_("{receipt_no} is not published (it is {status})."),
                             params={"receipt_no": receipt_no, "status": sub.status})
        now = utcnow()
        sub.status = "received"
        sub.unpublished_at = now
        sub.unpublished_reason = reason.strip()
        _bump(session, sub, now)
        search_index.remove(session.connection(), sub.id)
        audit.record(session, actor, "submission.unpublish", sub.receipt_no or sub.id,
                     {"status": "published"}, {"status": "received", "reason": sub.unpublished_reason})
        return sub


MAX_NOTE_CHARS = 4000


def return_submission(db: Database, receipt_no: str, note: str,
                      actor: str = audit.COMMAND_LINE) -> Submission:
    """Send a received submission back to its delegation for correction, with a note their
    desktops show. Their correction is a new submission that supersedes this one."""
    note = note.strip()
    if not note:
        raise AdminError("Say what to correct: the note is what the delegation reads.")
    if len(note) > MAX_NOTE_CHARS:
        raise AdminError(N_("The note is over {n} characters: shorten it."), params={"n": MAX_NOTE_CHARS},
                         field="text")
    with db.write() as session:
        sub = _by_receipt(session, db, receipt_no)
        if sub.status != "received":
            raise AdminError(N_("{receipt_no} is {status}; only a received submission (not published) can be "
                                "returned for correction."),
                             params={"receipt_no": receipt_no, "status": sub.status})
        if sub.superseded_by is not None:
            raise AdminError(N_("{receipt_no} is already superseded by a newer version."),
                             params={"receipt_no": receipt_no})
        now = utcnow()
        sub.status = "returned"
        sub.return_note = note
        sub.returned_at = now
        _bump(session, sub, now)
        audit.record(session, actor, "submission.return", sub.receipt_no or sub.id,
                     {"status": "received"}, {"status": "returned", "note": note})
        return sub


def _bump(session: Session, sub: Submission, now: dt.datetime) -> None:
    sub.rev += 1
    sub.updated_at = now
    session.add(SubmissionRevision(submission_id=sub.id, rev=sub.rev, op_id=None, author_id=None,
                                   title=sub.title, body=sub.body, content_sha256=sub.content_sha256))
    feed.record(session, Entity.SUBMISSION, sub.id, sub.rev, delegation=sub.delegation)
