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

from idm_desktop.core.documents import Document, DocumentKind
from idm_desktop.core.sync import Conflict, OutboxItem, SyncSummary

if TYPE_CHECKING:  # loaded by the read that needs it: it brings Babel's dates
    from idm_desktop.core.notices import Notice

SCHEMA_HEAD = "0008"
"""The newest migration in db/client/versions (a test keeps it equal to Alembic's head)."""

CATALOG_KEY = "bundled_catalog_version"
"""The meta key holding the version of the catalog shipped with the program, once loaded."""

CURSOR_KEY = "sync.cursor"
"""The meta key holding where the changes feed resumes (storage.sync_state)."""

PINNED_SERVER_KEY, PINNED_KEYS_KEY = "trust.server", "trust.signing_keys"
"""The meta keys naming the server whose signing keys are pinned, and holding them (sync.trust)."""


@contextlib.contextmanager
def current_library(path: Path, meta: dict[str, str]) -> Iterator[sqlite3.Connection | None]:
    """A query-only connection to ``path`` when its schema is at head and every ``meta`` key
    holds its value; else None. Closed on leaving the block."""
    con = _connect(path)
    try:
        if con is not None and not _is_current(con, meta):
            con.close()
            con = None
        yield con
    finally:
        if con is not None:
            con.close()


def _connect(path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    try:
        # Not mode=ro: a reader of a WAL file needs its -shm; query_only keeps it a reader.
        con = sqlite3.connect(path, timeout=5.0)
        con.execute("PRAGMA query_only=1")
    except sqlite3.Error:
        return None
    return con


def _is_current(con: sqlite3.Connection, meta: dict[str, str]) -> bool:
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] != SCHEMA_HEAD:
            return False
        keys = list(meta)
        marks = ",".join("?" * len(keys))
        stored = dict(con.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys))
    except sqlite3.Error:
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
    return [_document(row) for row in rows]


def count_submissions(con: sqlite3.Connection, status: str) -> int:
    """How many submissions have this status."""
    return int(con.execute("SELECT count(*) FROM submissions WHERE status = ?", (status,)).fetchone()[0])


def _document(row: tuple[Any, ...]) -> Document:
    (ident, symbol, title, workshop_id, kind, language, original_language, available, date,
     sha256, size, mime, filename, page_count, imported_at, supersedes) = row
    return Document(
        id=ident, symbol=symbol, title=title, workshop_id=workshop_id, kind=DocumentKind(kind),
        language=language, original_language=original_language,
        languages_available=tuple(json.loads(available)),
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


def conflicts(con: sqlite3.Connection) -> list[Conflict]:
    """storage.conflicts.conflicts: every conflict waiting for the user."""
    rows = con.execute("SELECT submission_id, key, base, mine, theirs, theirs_rev FROM sync_conflicts "
                       "ORDER BY submission_id, created_at, key")
    return [Conflict(*row) for row in rows]
