"""How extracted text is shaped and titles are guessed, the same for every format."""

from __future__ import annotations

import pytest

from idm_desktop.ingest import titles
from idm_desktop.ingest.normalise import clean_text


def test_control_characters_go_but_tabs_newlines_and_page_breaks_stay() -> None:
    text, cut = clean_text("a\x00b\x07c\td\r\ne\rf\fg\x1bh\x7f")

    assert text == "abc\td\ne\nf\fgh"
    assert not cut


def test_words_hyphenated_at_a_line_end_are_joined_again() -> None:
    # The PDF reader marks such a hyphen with U+FFFE (older versions: U+0002).
    assert clean_text("inter\ufffenational migra\x02tion")[0] == "international migration"


def test_soft_hyphens_are_dropped() -> None:
    assert clean_text("inté\u00adgration")[0] == "intégration"


def test_text_is_cut_at_the_limit_on_a_word_boundary() -> None:
    text, cut = clean_text("mot " * 10, limit=14)

    assert cut
    assert text == "mot mot mot"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Migration   and\nDevelopment ", "Migration and Development"),
        ("untitled", None),
        ("(anonymous)", None),
        ("", None),
        (None, None),
        ("Microsoft Word - IC_2006_4.doc", None),
        ("Microsoft Word - Partnerships in Migration", "Partnerships in Migration"),
        ("report-final.docx", None),
    ],
)
def test_metadata_titles(raw: str | None, expected: str | None) -> None:
    assert titles.from_metadata(raw) == expected


def test_a_long_metadata_title_is_cut() -> None:
    title = titles.from_metadata("palabra " * 60)

    assert title is not None
    assert len(title) <= titles.MAX_TITLE_CHARS
    assert title.endswith("…")


def test_first_short_line_skips_rules_and_long_paragraphs() -> None:
    text = "---\n\n" + "long " * 60 + "\n\nTitre court\n"

    assert titles.first_short_line(text) == "Titre court"
