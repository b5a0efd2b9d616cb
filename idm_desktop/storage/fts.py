"""The full-text search's statements and its ranking, over any way of running SQL.

Kept apart from SQLAlchemy so that a one-shot command can run the same statements through
the standard library's sqlite3 (storage.quickread) and get the same hits.

The query the user typed is translated by core.search_query, so it can never be read as
FTS5 syntax. When no document holds every word, the search falls back to any word, ranked,
so a plain question still finds the best documents first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from idm_desktop.core.errors import SearchQueryError
from idm_desktop.core.i18n import _
from idm_desktop.core.search_query import to_fts
from idm_desktop.core.search_results import ELLIPSIS, HL_END, HL_START, HitKind, SearchHit, clean_snippet

Execute = Callable[[str, dict[str, Any]], Iterable[Sequence[Any]]]
"""Runs one statement with named parameters (``:q``) and gives its rows."""

# Column weights: a hit in the title or symbol counts more than one in the body.
# The best ``limit`` rows are ranked first (bm25 only, no snippet) and only those rows get a
# snippet: a common word matches thousands of documents, and cutting a snippet out of each
# before keeping twenty cost three times the whole query. The CROSS JOIN keeps that order (the
# ranked rows drive, each looked up again in the index by rowid).
DOCS_RANK_SQL = (
    "SELECT rowid, bm25(documents_fts, 10.0, 5.0, 1.0) FROM documents_fts "
    "WHERE documents_fts MATCH :q ORDER BY 2 LIMIT :limit"
)
"""The ranking half of DOCS_SQL alone: its time grows with the number of matches, since bm25
scores every one of them (about 0.7 µs a match on the 2-core development machine)."""
DOCS_SQL = (
    f"WITH top(pk, score) AS ({DOCS_RANK_SQL}) "
    "SELECT d.id, d.title, d.symbol, "
    f"snippet(documents_fts, 2, '{HL_START}', '{HL_END}', '{ELLIPSIS}', 24), top.score "
    "FROM top CROSS JOIN documents_fts ON documents_fts.rowid = top.pk "
    "JOIN documents d ON d.pk = top.pk "
    "WHERE documents_fts MATCH :q ORDER BY top.score"
)
SUBS_SQL = (
    "WITH top(pk, score) AS ("
    "SELECT rowid, bm25(submissions_fts, 0.0, 10.0, 1.0) FROM submissions_fts "
    "WHERE submissions_fts MATCH :q ORDER BY 2 LIMIT :limit) "
    "SELECT s.id, s.title, s.country, "
    f"snippet(submissions_fts, 2, '{HL_START}', '{HL_END}', '{ELLIPSIS}', 24), top.score "
    "FROM top CROSS JOIN submissions_fts ON submissions_fts.rowid = top.pk "
    "JOIN submissions s ON s.id = submissions_fts.submission_id "
    "WHERE submissions_fts MATCH :q ORDER BY top.score"
)

ALL_KINDS = (HitKind.DOCUMENT, HitKind.SUBMISSION)


def _run(execute: Execute, query: str, limit: int, kinds: tuple[HitKind, ...]) -> list[SearchHit]:
    hits: list[SearchHit] = []
    params = {"q": query, "limit": limit}
    if HitKind.DOCUMENT in kinds:
        hits += [SearchHit(HitKind.DOCUMENT, r[0], r[1], r[2], clean_snippet(r[3]), r[4])
                 for r in execute(DOCS_SQL, params)]
    if HitKind.SUBMISSION in kinds:
        hits += [SearchHit(HitKind.SUBMISSION, r[0], r[1], r[2], clean_snippet(r[3]), r[4])
                 for r in execute(SUBS_SQL, params)]
    if len(kinds) > 1:
        hits.sort(key=lambda h: h.score)
    return hits[:limit]


def run_search(execute: Execute, user_query: str, limit: int, kinds: tuple[HitKind, ...],
               sql_errors: tuple[type[BaseException], ...]) -> list[SearchHit]:
    """The best ``limit`` hits for what the user typed; raises SearchQueryError with a clear
    line (``sql_errors``: what the runner raises for a statement SQLite refuses)."""
    if limit < 1:
        raise SearchQueryError(_("The number of results must be at least 1."))
    fts = to_fts(user_query)
    try:
        hits = _run(execute, fts.all_terms, limit, kinds)
        if not hits and fts.any_term:
            hits = _run(execute, fts.any_term, limit, kinds)
    except sql_errors as exc:  # should not happen: every term is quoted
        raise SearchQueryError(
            _("The search “{query}” could not be run: try plain words.").format(query=user_query)
        ) from exc
    return hits
