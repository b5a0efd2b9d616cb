"""The real IDM documents in ../shared/corpus, when present, imported as a user would.

The corpus texts are read at test time only; none of their sentences belong in the project.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from idm_desktop.ingest import Extractor
from idm_desktop.ingest.normalise import estimate_pages, join_wrapped_lines

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

pytestmark = pytest.mark.corpus


def _corpus_files() -> list[Path | None]:
    """The corpus texts, or [None] (one test that skips) when there is no corpus."""
    found: list[Path | None] = [*sorted(CORPUS.glob("*.txt"))] if CORPUS.is_dir() else []
    return found or [None]


def _letters(text: str) -> str:
    """Letters and digits only: line breaks, spaces and hyphens depend on the layout."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", text))


@pytest.fixture(params=_corpus_files(), ids=lambda path: path.name if path else "none")
def corpus_file(request: pytest.FixtureRequest) -> Path:
    path: Path | None = request.param
    if path is None:
        pytest.skip(f"no corpus at {CORPUS}")
    return path


def test_corpus_text_imports_unchanged(extractor: Extractor, corpus_file: Path) -> None:
    source = corpus_file.read_bytes().decode("utf-8-sig")

    result = extractor.extract(corpus_file)

    expected = unicodedata.normalize("NFC", source.replace("\r\n", "\n").replace("\r", "\n"))
    # Only the hard wraps are undone: every letter stays, and no word is left cut at a line end.
    assert result.text == join_wrapped_lines(expected)
    assert _letters(result.text) == _letters(expected)
    assert not re.search(r"[a-z]-\n[a-z]", result.text)
    assert result.mime == "text/plain"
    assert result.page_count == estimate_pages(expected)
    # A text that starts mid-paragraph has no title to guess (the import falls back to the
    # symbol); any other gets its first title-like line.
    if corpus_file.name.startswith("IC-2006-4-Annex-I."):
        assert result.title is None
    else:
        assert result.title


def test_corpus_text_survives_a_pdf_round_trip(
    extractor: Extractor, corpus_file: Path, make_pdf: Callable[..., Path]
) -> None:
    source = corpus_file.read_text(encoding="utf-8-sig")
    path = make_pdf(corpus_file.stem + ".pdf", [source])

    result = extractor.extract(path)

    assert result.page_count >= 1
    assert _letters(result.text) == _letters(source)


def test_corpus_text_survives_a_docx_round_trip(
    extractor: Extractor, corpus_file: Path, make_docx: Callable[..., Path]
) -> None:
    source = corpus_file.read_text(encoding="utf-8-sig")
    path = make_docx(corpus_file.stem + ".docx", source.splitlines())

    result = extractor.extract(path)

    assert _letters(result.text) == _letters(source)
