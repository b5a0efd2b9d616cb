"""The full-text index of published submissions (table ``public_fts``, migration 0002).

SQLite: an FTS5 table (``unicode61 remove_diacritics 2``) ranked with bm25. PostgreSQL: a
``tsvector`` column with a GIN index, ranked with ``ts_rank``. Both hold folded text
(:func:`text.index_text`), so a query means the same on either database. Publishing adds a
submission's row and unpublishing removes it, in the same transaction as the status change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, bindparam, column, func, literal_column, table, text

from idm_desktop.server.search.text import Query, body_text, index_text

TABLE = "public_fts"

_fts = table(TABLE, column("submission_id"), column("document"))

_SQLITE_DELETE = text(f"DELETE FROM {TABLE} WHERE submission_id = :id")
_SQLITE_INSERT = text(f"INSERT INTO {TABLE} (submission_id, title, body) VALUES (:id, :title, :body)")
_PG_UPSERT = text(
    f"INSERT INTO {TABLE} (submission_id, document) VALUES (:id, "
    "setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :body), 'B')) "
    "ON CONFLICT (submission_id) DO UPDATE SET document = EXCLUDED.document"
)
_PG_DELETE = text(f"DELETE FROM {TABLE} WHERE submission_id = :id")


def add(conn: Connection, submission_id: str, title: str, body: Mapping[str, str]) -> None:
    """Index a submission (again): its title and the text of its sections."""
    params = {"id": submission_id, "title": index_text(title), "body": index_text(body_text(body))}
    if conn.dialect.name == "sqlite":
        conn.execute(_SQLITE_DELETE, {"id": submission_id})
        conn.execute(_SQLITE_INSERT, params)
    else:
        conn.execute(_PG_UPSERT, params)


def remove(conn: Connection, submission_id: str) -> None:
    """Take a submission out of the index (nothing happens when it was not in it)."""
    conn.execute(_SQLITE_DELETE if conn.dialect.name == "sqlite" else _PG_DELETE, {"id": submission_id})


def rebuild(conn: Connection) -> int:
    """Index every published submission from scratch; returns how many."""
    conn.execute(text(f"DELETE FROM {TABLE}"))
    rows = conn.execute(text("SELECT id, title, body FROM submissions WHERE status = 'published'")).all()
    for row in rows:
        body: Any = row.body
        if isinstance(body, str):  # SQLite's JSON column read through plain SQL
            body = json.loads(body)
        add(conn, row.id, row.title, body)
    return len(rows)


# -- querying ---------------------------------------------------------------------------------------

class Match:
    """The parts of a SELECT that find and rank a query on one database; the query itself is bound
    at execution (:meth:`params`), so that a statement built from them serves every query."""

    def __init__(self, *, sqlite: bool) -> None:
        self.sqlite = sqlite
        if sqlite:
            self.table = table(TABLE, column("submission_id"))
            self.where: ColumnElement[bool] = literal_column(TABLE).op("MATCH")(
                bindparam("fts_query", type_=String))
            # bm25: lower is better; the title weighs ten times the body.
            self.score: ColumnElement[Any] = literal_column(f"bm25({TABLE}, 0.0, 10.0, 1.0)")
            self.lower_is_better = True
        else:
            self.table = _fts
            tsquery = func.to_tsquery(literal_column("'simple'::regconfig"),
                                      bindparam("ts_query", type_=String))
            self.where = _fts.c.document.op("@@")(tsquery)
            self.score = func.ts_rank(_fts.c.document, tsquery)
            self.lower_is_better = False

    def params(self, query: Query) -> dict[str, str]:
        """The values of the statement's parameters for ``query``."""
        return {"fts_query": query.fts5()} if self.sqlite else {"ts_query": query.tsquery()}
