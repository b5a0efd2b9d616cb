"""Full-text search over documents and submissions (SQLite FTS5, bm25 ranking).

The query the user typed is translated by core.search_query, so it can never be read as
FTS5 syntax. When no document holds every word, the search falls back to any word, ranked,
so a plain question still finds the best documents first.
"""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from idm_desktop.core.errors import SearchQueryError
from idm_desktop.core.i18n import _
from idm_desktop.core.search_query import to_fts
from idm_desktop.core.search_results import ELLIPSIS, HL_END, HL_START, HitKind, SearchHit

__all__ = ["HL_END", "HL_START", "HitKind", "SearchHit", "search", "submissions_fts"]

# The FTS tables are made by the migration; these are only handles for inserts.
_fts_metadata = MetaData()
submissions_fts = Table(
    "submissions_fts", _fts_metadata,
    Column("rowid", String), Column("submission_id", String), Column("title", String),
    Column("text", String),
)

# Column weights: a hit in the title or symbol counts more than one in the body.
_DOCS_SQL = text(
    "SELECT d.id, d.title, d.symbol, "
    f"snippet(documents_fts, 2, '{HL_START}', '{HL_END}', '{ELLIPSIS}', 24), "
    "bm25(documents_fts, 10.0, 5.0, 1.0) AS score "
    "FROM documents_fts JOIN documents d ON d.pk = documents_fts.rowid "
    "WHERE documents_fts MATCH :q ORDER BY score LIMIT :limit"
)
_SUBS_SQL = text(
    "SELECT s.id, s.title, s.country, "
    f"snippet(submissions_fts, 2, '{HL_START}', '{HL_END}', '{ELLIPSIS}', 24), "
    "bm25(submissions_fts, 0.0, 10.0, 1.0) AS score "
    "FROM submissions_fts JOIN submissions s ON s.id = submissions_fts.submission_id "
    "WHERE submissions_fts MATCH :q ORDER BY score LIMIT :limit"
)


def _run(session: Session, query: str, limit: int, kinds: tuple[HitKind, ...]) -> list[SearchHit]:
    hits: list[SearchHit] = []
    params = {"q": query, "limit": limit}
    if HitKind.DOCUMENT in kinds:
        hits += [SearchHit(HitKind.DOCUMENT, r[0], r[1], r[2], r[3], r[4])
                 for r in session.execute(_DOCS_SQL, params)]
    if HitKind.SUBMISSION in kinds:
        hits += [SearchHit(HitKind.SUBMISSION, r[0], r[1], r[2], r[3], r[4])
                 for r in session.execute(_SUBS_SQL, params)]
    if len(kinds) > 1:
        hits.sort(key=lambda h: h.score)
    return hits[:limit]


def search(session: Session, user_query: str, limit: int = 20,
           kinds: tuple[HitKind, ...] = (HitKind.DOCUMENT, HitKind.SUBMISSION)) -> list[SearchHit]:
    """The best ``limit`` hits for what the user typed; raises SearchQueryError with a clear line."""
    if limit < 1:
        raise SearchQueryError(_("The number of results must be at least 1."))
    fts = to_fts(user_query)
    try:
        hits = _run(session, fts.all_terms, limit, kinds)
        if not hits and fts.any_term:
            hits = _run(session, fts.any_term, limit, kinds)
    except OperationalError as exc:  # should not happen: every term is quoted
        raise SearchQueryError(
            _("The search “{query}” could not be run: try plain words.").format(query=user_query)
        ) from exc
    return hits
