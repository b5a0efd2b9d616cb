"""Search: bm25 ranking, snippets with highlights, and user text that never raises."""

from __future__ import annotations

import contextlib
import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idm_desktop.core.documents import DocumentKind
from idm_desktop.core.errors import SearchQueryError
from idm_desktop.storage import documents, search
from idm_desktop.storage.database import Database
from tests.storage.conftest import NOW

TEXTS = {
    "A/1": ("Health workers", "Nurses and doctors who emigrate send remittances home; health "
            "systems in origin countries lose staff."),
    "A/2": ("Indigenous peoples", "Indigenous women migrants face discrimination twice; "
            "indigenous communities keep ties across borders."),
    "A/3": ("Integration", "L’intégration des migrants dans la société d’accueil: partenariats "
            "avec les employeurs. Integración de los migrantes."),
}


@pytest.fixture
def library(db: Database) -> Database:
    with db.session() as s:
        for symbol, (title, body) in TEXTS.items():
            documents.add_document(s, documents.NewDocument(
                symbol=symbol, title=title, workshop_id="ws", kind=DocumentKind.OTHER,
                language="en", sha256=hashlib.sha256(symbol.encode()).hexdigest(), size=1,
                mime="text/plain", filename=f"{symbol}.txt", page_count=1, text=body), NOW)
    return db


def _symbols(db: Database, query: str) -> list[str]:
    with db.session() as s:
        return [h.symbol for h in search.search(s, query)]


def test_plain_questions_find_the_right_document_first(library: Database) -> None:
    assert _symbols(library, "indigenous women migrants")[0] == "A/2"
    assert _symbols(library, "remittances and health workers")[0] == "A/1"
    # No document holds every word: the search falls back to any word, ranked.
    assert _symbols(library, "what about remittances from nurses abroad?")[0] == "A/1"


def test_accents_and_stems_do_not_matter(library: Database) -> None:
    assert _symbols(library, "integracion") == ["A/3"]
    assert _symbols(library, "intégration") == ["A/3"]
    assert _symbols(library, "migrant")[0] in {"A/2", "A/3"}


def test_snippet_marks_the_hits(library: Database) -> None:
    with library.session() as s:
        hit = search.search(s, "remittances")[0]
    start, end = hit.highlights[0]
    assert hit.plain_snippet[start:end].lower() == "remittances"


def test_phrases_prefixes_exclusions_and_or(library: Database) -> None:
    assert _symbols(library, '"health systems"') == ["A/1"]
    assert _symbols(library, "indig*") == ["A/2"]
    assert "A/2" not in _symbols(library, "migrants -indigenous")
    assert set(_symbols(library, "nurses OR employeurs")) == {"A/1", "A/3"}


@pytest.mark.parametrize("query", ['"', "(", ")", "AND", "OR", "*", "-", "NOT", "NEAR(", ":",
                                   '"unbalanced', "a AND", "^x", "title:x", "x'y", "{}", "- -"])
def test_syntax_characters_never_raise_anything_but_a_clear_message(
        library: Database, query: str) -> None:
    try:
        _symbols(library, query)
    except SearchQueryError as exc:  # a clear message is fine; any other exception fails
        message = str(exc)
    else:
        message = ""
    assert "\n" not in message


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_any_text_gives_results_or_a_clear_message(library: Database, query: str) -> None:
    with contextlib.suppress(SearchQueryError):
        _symbols(library, query)
