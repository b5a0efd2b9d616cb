"""Straight marks in Markdown given outside the editor become the language's; code and link targets
keep theirs. Titles compare whatever their marks, spaces and case."""

from __future__ import annotations

from idm_desktop.core.quotes import same_words, typographic_markdown


def test_markdown_gets_the_languages_marks_but_not_in_code_or_links() -> None:
    text = "L'État dit \"oui\" ; voir [l'avis](https://x.org/a'b) et `it's`."
    assert typographic_markdown(text, "fr") == ("L’État dit «\u00a0oui\u00a0» ; voir "
                                                "[l’avis](https://x.org/a'b) et `it's`.")
    assert typographic_markdown("He said \"yes\".", "en") == "He said “yes”."
    assert typographic_markdown("no marks", "es") == "no marks"


def test_titles_compare_whatever_their_marks() -> None:
    assert same_words("La société d'accueil", "la  société d’accueil")
    assert same_words("Le «\u00a0plan\u00a0»", "le \"plan\"")
    assert not same_words("La société", "La société d’accueil")
