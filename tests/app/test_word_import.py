"""A Word draft brought into a submission's template: every word lands somewhere."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from idm_desktop.app import DesktopApp
from idm_desktop.app.word_import import apply_word_draft, preview_word_draft, tables_note
from idm_desktop.core.errors import FrozenSubmissionError, IngestError
from idm_desktop.core.word_draft import NOT_PLACED_KEY
from idm_desktop.export.markup import parse, plain_text
from tests.support.word_drafts import DRAFTS, write_draft

COUNTRY = {"en": "CHE", "fr": "CHE", "es": "MEX"}


@pytest.fixture
def app(tmp_path: Path) -> Iterator[DesktopApp]:
    desktop = DesktopApp.open(tmp_path / "home")
    try:
        yield desktop
    finally:
        desktop.close()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def _docx_words(path: Path, skip: set[str]) -> list[str]:
    """Every word of the draft's body and tables, the matched headings aside."""
    doc = docx.Document(str(path))
    words: list[str] = []
    for p in doc.paragraphs:
        if p.text not in skip:
            words += _words(p.text)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                words += _words(cell.text)
    return words


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_word_ends_up_in_a_section_or_not_placed(
    lang: str, app: DesktopApp, tmp_path: Path
) -> None:
    sub = app.new_submission("idm2006-integration", COUNTRY[lang], lang)
    path = write_draft(lang, tmp_path / f"draft-{lang}.docx")
    preview = preview_word_draft(app, sub.id, path)
    keys = {s.key for s in preview.sections}
    expected = {k for _, k in DRAFTS[lang]["headings"] if k}
    assert keys == expected
    saved = apply_word_draft(app, preview)

    matched = {t for t, k in DRAFTS[lang]["headings"] if k}
    placed = " ".join(plain_text(parse(text)) for text in saved.body.values())
    placed_words = _words(placed)
    for word in _docx_words(path, matched):
        assert word in placed_words, word
    # The paragraph before the first heading and the unmatched heading are not placed, and
    # the unmatched heading's words are kept with its text.
    not_placed = plain_text(parse(saved.body[NOT_PLACED_KEY]))
    assert DRAFTS[lang]["preamble"].split()[0] in not_placed
    assert "12 400" in not_placed
    assert preview.not_placed_headings == (DRAFTS[lang]["headings"][3][0],)


def test_lists_bold_italic_links_and_tables_are_kept(app: DesktopApp, tmp_path: Path) -> None:
    sub = app.new_submission("idm2006-integration", "CHE", "en")
    preview = preview_word_draft(app, sub.id, write_draft("en", tmp_path / "d.docx"))
    by_key = {s.key: s.markdown for s in preview.sections}
    context = by_key["national_context"]
    assert "**integration policy**" in context
    assert "*cantons*" in context
    assert "[the national report](https://www.example.org/report?lang=en)" in context
    # A sub-heading stays in its section, in bold; markup characters typed stay text.
    assert "**1\\.1 Trends since 2000**" in context
    assert plain_text(parse(context)).count("third * [2] _ and # no markup") == 1
    framework = by_key["policy_framework"]
    assert "- First measure for newcomers\n- Recognition of diplomas\n  - Simplified procedure" in framework
    assert "1. Reception comes first\n1. Employment and training follow" in framework
    blocks = parse(framework)
    assert [type(b).__name__ for b in blocks] == ["ListBlock", "ListBlock", "Para"]
    assert "Partner | Role | Since" in by_key["partnerships"]
    assert "Zurich | housing | 2005" in plain_text(parse(by_key["partnerships"]))
    # The table is not flattened silently: the preview counts it, each row a line of its own.
    assert preview.tables == 1
    assert tables_note(preview).startswith("1 table became lines of text: one line a row, its cells "
                                           "separated by “ | ”")
    rows = [line for line in by_key["partnerships"].split("\n\n") if " | " in line]
    assert len(rows) >= 2


def test_sections_without_incoming_text_are_left_alone_and_not_placed_text_accumulates(
    app: DesktopApp, tmp_path: Path
) -> None:
    sub = app.new_submission("idm2006-integration", "CHE", "fr")
    app.edit(sub.id, sections={"contact": "Mme Dupont", NOT_PLACED_KEY: "Déjà là."})
    saved = apply_word_draft(app, preview_word_draft(app, sub.id, write_draft("fr", tmp_path / "d.docx")))
    assert saved.body["contact"] == "Mme Dupont"
    assert saved.body[NOT_PLACED_KEY].startswith("Déjà là.\n\n")


def test_a_submitted_text_and_a_bad_file_are_refused(app: DesktopApp, tmp_path: Path) -> None:
    sub = app.new_submission("idm2006-integration", "CHE", "en")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(IngestError, match=r"bad\.docx"):
        preview_word_draft(app, sub.id, bad)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(IngestError, match=r"bomb\.docx"):
        preview_word_draft(app, sub.id, bomb)
    app.sync.submit(sub.id, force=True)  # frozen at once, sent when signed in
    with pytest.raises(FrozenSubmissionError):
        preview_word_draft(app, sub.id, write_draft("en", tmp_path / "d.docx"))
