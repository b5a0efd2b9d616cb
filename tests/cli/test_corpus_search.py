"""The organisation's real documents, imported and searched as a delegate would.
Skipped when ../shared/corpus is not beside the checkout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Result

pytestmark = pytest.mark.corpus


@pytest.fixture
def imported(cli: Callable[..., Result], corpus: Path) -> Callable[..., Result]:
    files = sorted(str(p) for p in corpus.glob("*.txt"))
    res = cli("docs", "import", *files, "--available", "en", "--json")
    assert res.code == 0, res.err
    assert len(res.json["imported"]) == len(files)
    return cli


@pytest.mark.parametrize(
    ("question", "symbol"),
    [
        ("indigenous women migrants", "IC/2006/4 Annex V"),
        ("remittances and health workers", "IC/2006/4 Annex I"),
        ("What did the business advisory board say to the high-level dialogue?", "IC/2006/4 Annex IV"),
        ("terms of reference of the business advisory board", "IC/2006/4 Annex II"),
    ],
)
def test_plain_questions_find_the_right_document_first(
        imported: Callable[..., Result], question: str, symbol: str) -> None:
    results = imported("search", question, "--json").json["results"]
    assert results, question
    assert results[0]["symbol"] == symbol


def test_symbols_and_english_only_come_from_the_import(imported: Callable[..., Result]) -> None:
    docs = imported("docs", "list", "--json").json["documents"]
    assert {d["symbol"] for d in docs} >= {"IC/2006/1", "IC/2006/4", "IC/2006/4 Annex V"}
    assert all(d["english_only"] for d in docs)
