"""Read-only answers straight from the library file, with the standard library's sqlite3 only.

A one-shot command such as ``idm-desktop search`` spends most of its life importing
SQLAlchemy and Alembic before it reads a few rows. When the file is already what the program
would make of it (schema at head, the bundled catalog and the text shaping current, checked
in the ``meta`` table), a read can go straight to SQLite: same tables, same statements, same
answers. Anything else (no file yet, an older schema, a damaged file, a locked one) returns
None and the caller opens the library the full way, which migrates, loads and reports errors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from idm_desktop.core.documents import Document, DocumentKind, DocumentLine, is_english_only
from idm_desktop.core.errors import LibraryBusyError
from idm_desktop.core.i18n import N_, _
from idm_desktop.core.sync import Conflict, OutboxItem, SyncSummary

if TYPE_CHECKING:  # loaded by the read that needs it: it brings Babel's dates
    from idm_desktop.core.notices import Notice
    from idm_desktop.core.submissions import Submission
    from idm_desktop.core.templates import Template
    from idm_desktop.core.workshops import Workshop

SCHEMA_HEAD = "0009"
"""The newest migration in db/client/versions (a test keeps it equal to Alembic's head)."""

MIN_PREFIX = 4
"""The shortest id prefix a user may type for a whole id (storage.lookup)."""

CATALOG_KEY = "bundled_catalog_version"
"""The meta key holding the version of the catalog shipped with the program, once loaded."""

CURSOR_KEY = "sync.cursor"
"""The meta key holding where the changes feed resumes (storage.sync_state)."""

PINNED_SERVER_KEY, PINNED_KEYS_KEY = "trust.server", "trust.signing_keys"
"""The meta keys naming the server whose signing keys are pinned, and holding them (sync.trust)."""


@contextlib.contextmanager
def current_library(path: Path, meta: dict[str, str], timeout: float = 5.0
                    ) -> Iterator[sqlite3.Connection | None]:
    """A query-only connection to ``path`` when its schema is at head and every ``meta`` key
    holds its value; else None. Closed on leaving the block. ``timeout``: how long a statement
    waits for a file another program holds; then LibraryBusyError (opening it the full way would
    wait as long again, and fail the same)."""
    con = _connect(path, timeout)
    try:
        if con is not None and not _is_current(con, meta, path):
            con.close()
            con = None
        yield con
    finally:
        if con is not None:
            con.close()


def _connect(path: Path, timeout: float) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    try:
        # Not mode=ro: a reader of a WAL file needs its -shm; query_only keeps it a reader.
        con = sqlite3.connect(path, timeout=timeout)
        con.execute("PRAGMA query_only=1")
    except sqlite3.Error:
        return None
    return con


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code behind ``exc`` (unwrapping SQLAlchemy's), or None."""
    code = getattr(getattr(exc, "orig", exc), "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF  # an extended code carries its primary one


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` says another program holds the file (SQLITE_BUSY or SQLITE_LOCKED)."""
    return sqlite_code(exc) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


BUSY_MESSAGE = N_("{path} is in use by another program (another copy of IDM Delegate Desktop, a "
                  "backup): try again once it is done.")
"""What a library file another program holds is told with (storage.database says it too)."""


def _is_current(con: sqlite3.Connection, meta: dict[str, str], path: Path) -> bool:
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] != SCHEMA_HEAD:
            return False
        keys = list(meta)
        marks = ",".join("?" * len(keys))
        stored = dict(con.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys))
    except sqlite3.Error as exc:
        if is_busy(exc):
            con.close()
            raise LibraryBusyError(_(BUSY_MESSAGE).format(path=path)) from exc
        return False
    return stored == meta


# The reads below mirror the repositories' (storage.catalog, storage.documents,
# storage.submissions) statement for statement; tests hold their answers equal.

def workshop_records(con: sqlite3.Connection) -> list[dict[str, Any]]:
    """The workshops' stored records, in the order storage.catalog.list_workshops gives them."""
    return [json.loads(data) for (data,) in
            con.execute("SELECT data FROM workshops ORDER BY start_date, id")]


def counts(con: sqlite3.Connection) -> tuple[int, int]:
    """How many documents and submissions the library holds."""
    documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    submissions = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
    return int(documents), int(submissions)


_DOCUMENT_COLUMNS = ("id, symbol, title, workshop_id, kind, language, original_language, "
                     "languages_available, date, sha256, size, mime, filename, page_count, "
                     "imported_at, supersedes")


def documents(con: sqlite3.Connection, workshop_id: str | None = None) -> list[Document]:
    """The library's documents as storage.documents.list_documents gives them."""
    where, params = ("WHERE workshop_id = ? ", (workshop_id,)) if workshop_id else ("", ())
    rows = con.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents {where}"
                       "ORDER BY workshop_id, symbol, pk", params)
    # A few distinct kinds and lists of languages: each made once, not once a row.
    kinds: dict[str, DocumentKind] = {}
    available: dict[str, tuple[str, ...]] = {}
    return [_document(row, kinds, available) for row in rows]


def document_lines(con: sqlite3.Connection, workshop_id: str | None = None) -> list[DocumentLine]:
    """What a list shows of each document, in storage.documents.list_documents' order; read from
    the documents' covering index alone (migration 0009)."""
    where, params = ("WHERE workshop_id = ? ", (workshop_id,)) if workshop_id else ("", ())
    rows = con.execute("SELECT id, symbol, language, page_count, title, languages_available FROM documents "
                       f"{where}ORDER BY workshop_id, symbol, pk", params)
    english_only: dict[str, bool] = {}  # a few distinct lists of languages, each parsed once
    lines = []
    for ident, symbol, language, page_count, title, available in rows:
        only = english_only.get(available)
        if only is None:
            only = english_only[available] = is_english_only(tuple(json.loads(available)))
        lines.append(DocumentLine(ident, symbol, language, page_count, title, only))
    return lines


def count_submissions(con: sqlite3.Connection, status: str) -> int:
    """How many submissions have this status."""
    return int(con.execute("SELECT count(*) FROM submissions WHERE status = ?", (status,)).fetchone()[0])


def _document(row: tuple[Any, ...], kinds: dict[str, DocumentKind],
              languages: dict[str, tuple[str, ...]]) -> Document:
    (ident, symbol, title, workshop_id, kind, language, original_language, available, date,
     sha256, size, mime, filename, page_count, imported_at, supersedes) = row
    if kind not in kinds:
        kinds[kind] = DocumentKind(kind)
    if available not in languages:
        languages[available] = tuple(json.loads(available))
    return Document(
        id=ident, symbol=symbol, title=title, workshop_id=workshop_id, kind=kinds[kind],
        language=language, original_language=original_language,
        languages_available=languages[available],
        date=dt.date.fromisoformat(date) if date else None,
        sha256=sha256, size=size, mime=mime, filename=filename, page_count=page_count,
        # Stored as UTC without a zone (storage.models.UTCDateTime).
        imported_at=dt.datetime.fromisoformat(imported_at).replace(tzinfo=dt.UTC),
        supersedes=supersedes,
    )


def notices(con: sqlite3.Connection, *, unread_only: bool = True) -> list[Notice]:
    """The secretariat's notices as storage.notices.list_notices gives them."""
    from idm_desktop.core.notices import Notice

    where = "WHERE read_at IS NULL " if unread_only else ""
    rows = con.execute(f"SELECT id, workshop_id, text, created_at, read_at FROM notices {where}"
                       "ORDER BY created_at DESC")
    return [Notice(id=ident, workshop_id=workshop, text=json.loads(text),
                   created_at=dt.datetime.fromisoformat(created).replace(tzinfo=dt.UTC),
                   read=read is not None) for ident, workshop, text, created, read in rows]


# The sync state, as storage.sync_state, storage.outbox and storage.conflicts give it.

def meta_values(con: sqlite3.Connection, keys: tuple[str, ...]) -> dict[str, str]:
    """The ``meta`` rows of these keys (a key not stored is left out)."""
    marks = ",".join("?" * len(keys))
    return dict(con.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys))


def sync_summary(con: sqlite3.Connection, cursor: str | None) -> SyncSummary:
    """storage.sync_state.summary: what waits, conflicts, was refused, files still to fetch."""
    from idm_desktop.core.submissions import CONTENT_FIELDS, WORKING_STATUSES

    ops = con.execute("SELECT submission_id, kind, failed FROM outbox").fetchall()
    with_ops = {sub for sub, kind, _failed in ops if kind == "save"}
    columns = ", ".join(("id", "country", "body", "base", *CONTENT_FIELDS))
    marks = ",".join("?" * len(WORKING_STATUSES))
    dirty = 0
    for ident, country, body, base, *fields in con.execute(
            f"SELECT {columns} FROM submissions WHERE status IN ({marks})", WORKING_STATUSES):
        if ident in with_ops:
            continue
        stored = json.loads(base) if base is not None else None
        content = dict(zip(CONTENT_FIELDS, fields, strict=True), country=country, body=json.loads(body))
        dirty += (dict(stored["content"]) if stored else None) != content
    return SyncSummary(
        waiting=dirty + sum(1 for op in ops if not op[2]),
        conflicts=con.execute("SELECT count(DISTINCT submission_id) FROM sync_conflicts").fetchone()[0],
        failed=sum(1 for op in ops if op[2]),
        pending_documents=con.execute("SELECT count(*) FROM pending_documents").fetchone()[0],
        cursor=cursor,
    )


def outbox(con: sqlite3.Connection) -> list[OutboxItem]:
    """storage.outbox.outbox: every op, oldest first, as the user sees it."""
    rows = con.execute(
        "SELECT o.op_id, o.kind, o.submission_id, coalesce(s.title, ''), o.sent_at IS NOT NULL, "
        "o.attempts, o.failed, o.error, o.error_code FROM outbox o "
        "LEFT JOIN submissions s ON s.id = o.submission_id ORDER BY o.seq")
    return [OutboxItem(op_id, kind, sub, title, bool(sent), attempts, bool(failed), error, code)
            for op_id, kind, sub, title, sent, attempts, failed, error, code in rows]


def conflicts(con: sqlite3.Connection, submission_id: str | None = None) -> list[Conflict]:
    """storage.conflicts.conflicts: the conflicts waiting for the user (of one submission, or all)."""
    where, params = ("WHERE submission_id = ? ", (submission_id,)) if submission_id else ("", ())
    rows = con.execute("SELECT submission_id, key, base, mine, theirs, theirs_rev FROM sync_conflicts "
                       f"{where}ORDER BY submission_id, created_at, key", params)
    return [Conflict(*row) for row in rows]


# One submission and what `submission show` prints with it (storage.submissions, storage.catalog,
# storage.reviews). A read that finds no single row raises LookupError: the caller then goes the
# full way, which says what is wrong in its own words.

_SUBMISSION_COLUMNS = ("id, workshop_id, country, language, title, template_id, template_version, body, "
                       "status, created_at, updated_at, rev, content_sha256, supersedes, receipt_no, "
                       "received_at, return_note, superseded_by")


def like_prefix(ident: str) -> str:
    """A LIKE pattern (escape character ``\\``) matching the ids that start with ``ident``."""
    return ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def submission(con: sqlite3.Connection, ident: str) -> Submission:
    """storage.submissions.get_submission: by id or unique id prefix."""
    ident = ident.strip()
    row = con.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE id = ?", (ident,)).fetchone()
    if row is None and len(ident) >= MIN_PREFIX:
        rows = con.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE id LIKE ? ESCAPE '\\' "
                           "LIMIT 2", (like_prefix(ident),)).fetchall()
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise LookupError(ident)
    return _submission(row)


def _utc(value: str | None) -> dt.datetime | None:
    # Stored as UTC without a zone (storage.models.UTCDateTime).
    return None if value is None else dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def _submission(row: tuple[Any, ...]) -> Submission:
    from idm_desktop.core.submissions import Submission, SubmissionStatus

    (ident, workshop_id, country, language, title, template_id, template_version, body, status,
     created_at, updated_at, rev, content_sha256, supersedes, receipt_no, received_at, return_note,
     superseded_by) = row
    created, updated = _utc(created_at), _utc(updated_at)
    assert created is not None  # NOT NULL columns
    assert updated is not None
    return Submission(
        id=ident, workshop_id=workshop_id, country=country, language=language, title=title,
        template_id=template_id, template_version=template_version, body=dict(json.loads(body)),
        status=SubmissionStatus(status), created_at=created, updated_at=updated, rev=rev,
        content_sha256=content_sha256, supersedes=supersedes, receipt_no=receipt_no,
        received_at=_utc(received_at), return_note=return_note, superseded_by=superseded_by,
    )


def workshop(con: sqlite3.Connection, workshop_id: str) -> Workshop:
    """storage.catalog.get_workshop."""
    from idm_desktop.core.workshops import Workshop

    row = con.execute("SELECT data FROM workshops WHERE id = ?", (workshop_id.strip(),)).fetchone()
    if row is None:
        raise LookupError(workshop_id)
    return Workshop.from_dict(json.loads(row[0]))


def template(con: sqlite3.Connection, template_id: str, version: int) -> Template:
    """storage.catalog.get_template."""
    from idm_desktop.core.templates import Template

    row = con.execute("SELECT data FROM templates WHERE id = ? AND version = ?",
                      (template_id, version)).fetchone()
    if row is None:
        raise LookupError(template_id)
    return Template.from_dict(json.loads(row[0]))


def newer_template(con: sqlite3.Connection, workshop_id: str, template_id: str, version: int
                   ) -> Template | None:
    """storage.catalog.newer_template: the template a draft on (``template_id``, ``version``) is
    offered, None when it is on it already."""
    current = workshop(con, workshop_id).template
    if current is None:  # the newest version of its own template
        offered = _latest_template(con, template_id)
    else:  # the workshop's current one, else the newest template of all
        try:
            offered = template(con, *current)
        except LookupError:
            offered = _latest_template(con, None)
    if (offered.id, offered.version) == (template_id, version):
        return None
    if offered.id == template_id and offered.version < version:
        return None
    return offered


def _latest_template(con: sqlite3.Connection, template_id: str | None) -> Template:
    from idm_desktop.core.templates import Template

    # The repository's statement as it is, columns and all: versions of two templates may tie.
    where, params = ("WHERE id = ? ", (template_id,)) if template_id else ("", ())
    row = con.execute(f"SELECT id, version, data, source FROM templates {where}ORDER BY version DESC",
                      params).fetchone()
    if row is None:
        raise LookupError(template_id)
    return Template.from_dict(json.loads(row[2]))


def review_of(con: sqlite3.Connection, submission_id: str, me: str) -> dict[str, Any]:
    """storage.reviews.review_of: the service's review, with this computer's unsent review actions
    (by ``me``, not refused, oldest first) on top."""
    from idm_desktop.core.clearance import fold

    row = con.execute("SELECT data FROM reviews WHERE submission_id = ?", (submission_id,)).fetchone()
    ops = con.execute("SELECT body FROM outbox WHERE kind = 'review' AND failed IS 0 AND submission_id = ? "
                      "ORDER BY seq", (submission_id,))
    return fold(json.loads(row[0]) if row else None, [(json.loads(body), me) for (body,) in ops])
