"""How extracted text is shaped and titles are guessed, the same for every format."""

from __future__ import annotations

import pytest

from idm_desktop.ingest import titles
from idm_desktop.ingest.normalise import clean_text, join_wrapped_lines


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


WRAPPED = (
    "The workshop examined how migration affects indigenous communities, including\n"
    "the role of remit-\n"
    "tances sent home by members working abroad, and the co-\n"
    "operation of states. Co-operation was the word used throughout the meeting of\n"
    "experts.\n"
    "\n"
    "A second paragraph, wrapped at the same column as the first one was, goes on\n"
    "here."
)


def test_hard_wrapped_lines_join_and_hyphenated_words_are_whole_again() -> None:
    joined = join_wrapped_lines(WRAPPED)
    first, second = joined.split("\n\n")
    assert "including the role of remittances sent home" in first
    # "co-operation" is how this text writes the word: its hyphen is a real one.
    assert "the co-operation of states" in first
    assert "\n" not in first
    assert second == ("A second paragraph, wrapped at the same column as the first one was, goes on "
                      "here.")


def test_a_hyphen_is_dropped_when_the_text_writes_the_word_whole() -> None:
    text = ("Health systems keep losing workers to the countries where the demand for migra-\n"
            "tion is greatest; the migration of nurses is a long-standing matter for them.")
    assert "demand for migration is greatest" in join_wrapped_lines(text)


@pytest.mark.parametrize("text", [
    "Société\nÉtat\nAño",  # short lines: a list of words, an address
    "L’État et la société civile coopèrent déjà, et depuis longtemps, dans ce domaine.\n"
    "¿Cómo lograr la integración? Con diálogo, dijo la señora Núñez en Ginebra.",  # sentences
    "Introduction to the questions the delegations were asked to answer in their\n"
    "- first part of the note, with enough words to look like wrapped text\n"
    "- second part",  # list items
    "IOM International Organization for Migration, a line kept by the writer  \n"
    "OIM Organisation Internationale pour les Migrations",  # Markdown's own line break
    "```\ncode that is long enough to look like a wrapped line of a paragraph\nmore code\n```",
    "A line as long as the other lines of this page of the report, before the\fpage break",
])
def test_lines_meant_as_lines_stay(text: str) -> None:
    assert join_wrapped_lines(text) == text
