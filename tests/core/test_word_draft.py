"""Matching a Word draft's headings to the template's sections (no file involved)."""

from __future__ import annotations

import pytest

from idm_desktop.core.catalog import load_bundled_templates
from idm_desktop.core.word_draft import DraftPara, DraftRun, match_heading, place, split_numbering

TEMPLATE = load_bundled_templates()[0]


def _p(text: str, heading: int | None = None, number: int | None = None) -> DraftPara:
    return DraftPara((DraftRun(text),), heading=heading, number=number)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2. Politiques", (2, "Politiques")),
        ("IV – Lessons", (4, "Lessons")),
        ("b) Partenariats", (2, "Partenariats")),
        ("2.3 Détails", (None, "Détails")),
        ("Introduction", (None, "Introduction")),
    ],
)
def test_split_numbering(text: str, want: tuple[int | None, str]) -> None:
    assert split_numbering(text) == want


@pytest.mark.parametrize(
    ("text", "lang", "number", "key"),
    [
        ("CONTEXTE NATIONAL ET PRIORITES", "fr", None, "national_context"),
        ("3. Instituciones y coordinacion", "es", None, "institutions"),
        ("Policy and legal framework, 2006", "en", None, "policy_framework"),
        ("V. Something else entirely", "en", None, "practices"),  # by its number
        ("Something else entirely", "en", 6, "challenges"),  # numbered by Word
        ("Something else entirely", "en", None, None),
        ("National context and priorities", "fr", None, None),  # the submission's language
    ],
)
def test_match_heading(text: str, lang: str, number: int | None, key: str | None) -> None:
    assert match_heading(text, number, TEMPLATE, lang) == key


def test_place_keeps_every_paragraph_and_numbers_sub_headings_as_text() -> None:
    paras = [
        _p("Before any heading."),
        _p("Title of the draft", heading=0),
        _p("1. National context and priorities", heading=1),
        _p("Text one."),
        _p("2.1 A sub-heading", heading=2),
        _p("1. Not the first section again", heading=2),
        _p("Text two."),
        _p("Annex", heading=1),
        _p("Text three."),
    ]
    placed = place(paras, TEMPLATE, "en")
    context = [p.text for p in placed.sections["national_context"]]
    assert context == ["Text one.", "2.1 A sub-heading", "1. Not the first section again",
                       "Text two."]
    assert [p.text for p in placed.not_placed] == ["Before any heading.", "Annex", "Text three."]
    assert placed.title == "Title of the draft"  # Word's Title style: the submission's title to be
    assert all(r.bold for r in placed.not_placed[1].runs)


def test_a_bold_short_paragraph_that_is_a_sections_title_is_a_heading() -> None:
    bold = (DraftRun("Cadre politique et juridique", bold=True),)
    paras = [_p("Contexte national et priorités", heading=1), _p("Texte un."),
             DraftPara(bold), _p("Texte deux."),
             DraftPara((DraftRun("Une phrase en gras qui n’est pas un titre.", bold=True),))]
    placed = place(paras, TEMPLATE, "fr")
    assert [p.text for p in placed.sections["policy_framework"]] == [
        "Texte deux.", "Une phrase en gras qui n’est pas un titre."]
    assert ("Cadre politique et juridique", "policy_framework") in placed.matched


def test_a_reworded_heading_with_a_sections_first_word_matches_it() -> None:
    assert match_heading("Partenariats avec le secteur privé et les associations", None, TEMPLATE,
                         "fr") == "partnerships"
    assert match_heading("Les partenariats avec la société civile", None, TEMPLATE, "fr") == "partnerships"
    assert match_heading("Annexe statistique", None, TEMPLATE, "fr") is None
