"""PDF files: text page by page, page counts, titles, and the refusals of bad PDFs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from idm_desktop.ingest import Extractor, extract

Refused = Callable[..., str]
MakePdf = Callable[..., Path]

PAGES = [
    "Note de synthèse\n\nL’État et la société « civile » coopèrent déjà ; où en sommes-nous ?",
    "¿Qué hacer? ¡Actuar juntos! La señora Núñez, el niño y la cigüeña.",
    "Third page: the organisation’s “partners” in 2006.",
]


def _words(text: str) -> list[str]:
    return text.split()


def test_pdf_text_round_trips_page_by_page(extractor: Extractor, make_pdf: MakePdf) -> None:
    path = make_pdf("note.pdf", PAGES, title="Note de synthèse sur l’intégration")

    result = extractor.extract(path)

    assert result.mime == "application/pdf"
    assert result.page_count == 3
    assert result.title == "Note de synthèse sur l’intégration"
    pages = result.text.split("\f")
    assert [_words(page) for page in pages] == [_words(page) for page in PAGES]
    assert "\r" not in result.text
    assert "\x00" not in result.text
    assert result.data == path.read_bytes()


@pytest.mark.parametrize("placeholder", [None, "untitled", "Microsoft Word - IC-2006-1.doc"])
def test_pdf_without_a_real_title_uses_its_first_short_line(
    extractor: Extractor, make_pdf: MakePdf, placeholder: str | None
) -> None:
    path = make_pdf("untitled.pdf", PAGES, title=placeholder)

    assert extractor.extract(path).title == "Note de synthèse"


def test_microsoft_word_prefix_is_taken_off_a_real_title(extractor: Extractor, make_pdf: MakePdf) -> None:
    path = make_pdf("word.pdf", PAGES[:1], title="Microsoft Word - Partnerships in Migration")

    assert extractor.extract(path).title == "Partnerships in Migration"


def test_page_count_of_a_long_pdf(extractor: Extractor, make_pdf: MakePdf) -> None:
    path = make_pdf("long.pdf", [f"Page {number}" for number in range(1, 13)])

    result = extractor.extract(path)

    assert result.page_count == 12
    assert result.text.count("\f") == 11


def test_pdf_without_text_has_empty_text_and_its_pages(extractor: Extractor, make_pdf: MakePdf) -> None:
    path = make_pdf("scan.pdf", ["", ""])

    result = extractor.extract(path)

    assert result.page_count == 2
    assert result.text.strip() == ""
    assert result.title is None


def test_password_protected_pdf_is_refused(
    extractor: Extractor,
    make_pdf: MakePdf,
    qpdf: Callable[[Path, Path], None],
    tmp_path: Path,
    refused: Refused,
) -> None:
    plain = make_pdf("plain.pdf", PAGES)
    locked = tmp_path / "locked.pdf"
    qpdf(plain, locked)

    refused(lambda: extractor.extract(locked), "locked.pdf", "password-protected", "remove")


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.9])
def test_truncated_pdf_is_refused(
    extractor: Extractor, make_pdf: MakePdf, tmp_path: Path, refused: Refused, fraction: float
) -> None:
    data = make_pdf("whole.pdf", PAGES).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * fraction)])

    refused(lambda: extractor.extract(cut), "cut.pdf", "incomplete")


def test_pdf_with_a_damaged_body_is_refused(extractor: Extractor, tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")

    refused(lambda: extractor.extract(path), "damaged.pdf", "damaged PDF")


def test_text_named_pdf_is_refused(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("This is not a PDF at all.\n%%EOF\n", encoding="utf-8")

    refused(lambda: extract(path), "fake.pdf", "not a PDF file")


def test_word_document_named_pdf_is_refused(
    tmp_path: Path, make_docx: Callable[..., Path], refused: Refused
) -> None:
    source = make_docx("real.docx", ["Texte"])
    path = tmp_path / "renamed.pdf"
    path.write_bytes(source.read_bytes())

    refused(lambda: extract(path), "renamed.pdf", "not a PDF file")


def test_pdf_header_may_follow_a_little_junk(extractor: Extractor, make_pdf: MakePdf) -> None:
    path = make_pdf("prefixed.pdf", PAGES[:1])
    path.write_bytes(b"\x00" * 100 + path.read_bytes())

    assert extractor.extract(path).page_count == 1
