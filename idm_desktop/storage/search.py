"""Full-text search over documents and submissions (SQLite FTS5, bm25 ranking), in a Session.

The statements and the ranking live in storage.fts, shared with the read-only quick path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Column, MetaData, String, Table, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from idm_desktop.core.search_results import HL_END, HL_START, HitKind, SearchHit
from idm_desktop.storage.fts import ALL_KINDS, DOCS_SQL, SUBS_SQL, run_search

__all__ = ["DOCS_SQL", "HL_END", "HL_START", "SUBS_SQL", "HitKind", "SearchHit", "search",
           "submissions_fts"]

# The FTS tables are made by the migration; these are only handles for inserts.
_fts_metadata = MetaData()
submissions_fts = Table(
    "submissions_fts", _fts_metadata,
    Column("rowid", String), Column("submission_id", String), Column("title", String),
    Column("text", String),
)


# Built once: search runs as the user types.
_STATEMENTS = {sql: text(sql) for sql in (DOCS_SQL, SUBS_SQL)}


def search(session: Session, user_query: str, limit: int = 20,
           kinds: tuple[HitKind, ...] = ALL_KINDS) -> list[SearchHit]:
    """The best ``limit`` hits for what the user typed; raises SearchQueryError with a clear line."""

    def execute(sql: str, params: dict[str, Any]) -> Iterable[Sequence[Any]]:
        return session.execute(_STATEMENTS[sql], params).all()

    return run_search(execute, user_query, limit, kinds, (OperationalError,))
