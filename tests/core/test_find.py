"""Find as a word processor does: case, whole words, accents."""

from __future__ import annotations

from idm_desktop.core.find import FindOptions, find_all, utf16_spans

TEXT = "L’État et l’état des États : etat, Etats-Unis, étatique."


def found(text: str, query: str, **options: bool) -> list[str]:
    return [text[a:b] for a, b in find_all(text, query, FindOptions(**options))]


def test_accents_and_case_are_ignored_unless_asked_for() -> None:
    assert found(TEXT, "etat") == ["État", "état", "État", "etat", "Etat", "état"]
    assert found(TEXT, "état", match_accents=True) == ["État", "état", "État", "état"]
    assert found(TEXT, "État", match_case=True) == ["État", "État", "Etat"]
    assert found(TEXT, "État", match_case=True, match_accents=True) == ["État", "État"]


def test_whole_words_leave_longer_words_out() -> None:
    assert found(TEXT, "etat", whole_word=True) == ["État", "état", "etat"]
    assert found(TEXT, "etats", whole_word=True) == ["États", "Etats"]  # a hyphen ends a word


def test_spanish_and_nothing_to_find() -> None:
    text = "La población migrante; Poblacion y POBLACIÓN."
    assert found(text, "poblacion") == ["población", "Poblacion", "POBLACIÓN"]
    assert find_all(text, "", FindOptions()) == []
    assert found(text, "xyz") == []


def test_positions_in_utf16_count_characters_beyond_the_bmp_twice() -> None:
    text = "😀 État"
    spans = find_all(text, "etat", FindOptions())
    assert spans == [(2, 6)]
    assert utf16_spans(text, spans) == [(3, 7)]
