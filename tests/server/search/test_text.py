"""Search text: accents folded, the user's query made safe, snippets cut from the original text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from idm_desktop.server.search.text import body_text, fold, index_text, parse_query, quick_text, snippet, stem


def test_folding_removes_accents_and_case() -> None:
    assert fold("Intégration, INTEGRACIÓN, Ñandú") == "integration, integracion, nandu"
    assert index_text("L’intégration des migrant·e·s (2006)") == "l integration des migrant e s 2006"


def test_query_words_lose_their_ending_and_match_as_prefixes() -> None:
    q = parse_query("intégration")
    assert q.fts5() == '"integra"*'
    assert q.tsquery() == "'integra':*"
    assert stem("integracion") == "integra"
    assert stem("migrants") == "migrant"
    assert stem("politiques") == "politiqu"
    assert stem("gens") == "gens"  # the stem would be shorter than four letters


def test_short_words_match_exactly_and_phrases_stay_phrases() -> None:
    q = parse_query('de "des migrants" santé')
    assert q.fts5() == '"de" AND "des migrants" AND "sante"*'
    assert q.tsquery() == "'de' & ('des' <-> 'migrants') & 'sante':*"


def test_syntax_the_user_types_is_only_ever_words() -> None:
    q = parse_query('") OR 1=1 -- NEAR(a b) * ^col: \'x\' \\ &|!<->')
    assert all(ch.isalnum() for t in q.terms for w in t.words for ch in w)
    assert parse_query("  ").empty
    assert not parse_query("  ").typed
    assert parse_query("«»:;!?").empty
    assert parse_query("«»:;!?").typed


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_safe_query(text: str) -> None:
    q = parse_query(text)
    for form in (q.fts5(), q.tsquery()):
        assert "\\" not in form
        assert ";" not in form
    for term in q.terms:
        assert all(w and all(ch.isalnum() for ch in w) for w in term.words)
    snippet("Some text about integration " + text, q)  # never raises either


def test_snippet_marks_hits_in_the_original_text() -> None:
    text = ("Preamble words. " * 12) + "L’Intégration des migrants est prioritaire; intégrations multiples."
    parts = snippet(text, parse_query("integration"))
    hits = [t for t, hit in parts if hit]
    assert hits == ["Intégration", "intégrations"]
    assert parts[0] == ("…", False)  # cut before the first hit, so that it shows
    assert "".join(t for t, _ in parts).endswith("multiples.")


def test_snippet_without_query_is_the_start_of_the_text() -> None:
    parts = snippet("word " * 200, parse_query(""))
    assert not any(hit for _, hit in parts)
    assert parts[-1] == ("…", False)
    assert len("".join(t for t, _ in parts)) <= 245


def test_body_text_is_what_a_reader_sees() -> None:
    body = {"b": "- one\n- **two**", "a": "See [the law](https://example.org)."}
    assert body_text(body, ["a", "b"]) == "See the law.\none\ntwo"


def test_snippets_of_markdown_show_no_marks() -> None:
    body = {"a": "Intro.\n\n- **Intégration** des *migrants* via [le portail](https://example.org/integration)",
            "b": "1. snake_case stays\n2. 2*3 stays"}
    parts = snippet(quick_text(body), parse_query("integration"))
    text = "".join(t for t, _ in parts)
    assert text == "Intro. · Intégration des migrants via le portail · snake_case stays · 2*3 stays"
    assert [t for t, hit in parts if hit] == ["Intégration"]  # not the link's target


def test_a_french_elision_is_not_a_word_to_find() -> None:
    from idm_desktop.server.search.text import parse_query

    plain = parse_query("intégration").terms
    for typed in ("l’intégration", "l'intégration", "d’intégration", "L’INTÉGRATION"):
        assert parse_query(typed).terms == plain, typed
    assert [t.words for t in parse_query("qu’il").terms] == [("il",)]
    # In quotes the phrase is kept as typed, and a word that is only a letter is still a word.
    assert parse_query('"l’intégration sociale"').terms[0].words == ("l", "integration", "sociale")
    assert [t.words for t in parse_query("d").terms] == [("d",)]


# Letters that fold to a–z in Latin-1 and past it, combining accents, the Kelvin and Ångström
# signs, the long s, dotless and dotted i, typographic marks, and word separators.
_TRICKY = ("aAeEiIoOsSkKnNcCuUyY0123 _-’'.,\n" "àÀéÉèêëÊîïíÍôöóÓùûüúÚçÇñÑÿý" "ĀāĒēĪīŌōŪūŚśŠšŇňĆćİıſǅǆ"
           "\u0301\u0300\u0308\u0307\u212a\u212b\u00df\u0153")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_TRICKY, max_size=120),
       st.lists(st.text(alphabet="aeiosknuyc0ñé ", min_size=1, max_size=4), min_size=1, max_size=3))
def test_hits_are_those_of_the_full_patterns_whatever_the_text(text: str, typed: list[str]) -> None:
    """A text searched with the quick Latin-1 patterns (when it allows them) gets the hits the
    patterns of every variant would give it."""
    from idm_desktop.server.search import text as search_text

    query = parse_query(" ".join(typed) + ' "' + " ".join(typed) + '"')
    full = [search_text._term_pattern(term) for term in query.terms]
    for pattern, term in zip(search_text._patterns(text, query), query.terms, strict=True):
        expected = [m.span() for m in search_text._term_pattern(term).finditer(text)]
        assert [m.span() for m in pattern.finditer(text)] == expected
    starts = [m.start() for m in (p.search(text) for p in full) if m is not None]
    assert search_text._first(text, query) == (min(starts) if starts else None)


def test_latin1_text_is_searched_with_the_quick_patterns() -> None:
    from idm_desktop.server.search import text as search_text

    query = parse_query("intégration Kelvin")
    assert search_text._narrow_text("L'intégration des migrants « en France »")
    assert search_text._narrow_text("L’intégration — des migrants")  # past Latin-1, but no variant
    assert not search_text._narrow_text("Ōsaka")  # a Latin Extended letter with its accent
    assert not search_text._narrow_text("inte\u0301gration")  # a combining accent
    assert not search_text._narrow_text("\u212aelvin")  # the Kelvin sign is a "k"
    assert all(p is search_text._narrow_pattern(t)
               for p, t in zip(search_text._patterns("Kelvin", query), query.terms, strict=True))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\n\r\u00a0\u2028\u3000ab·", max_size=40))
def test_one_line_is_every_run_of_spaces_as_one_and_every_break_as_a_dot(text: str) -> None:
    import re

    from idm_desktop.core.text import one_line

    assert one_line(text) == re.sub(r"\s+", " ", re.sub(r"\s*\n\s*", " · ", text))


def test_the_first_hit_is_the_earliest_of_any_term() -> None:
    from idm_desktop.server.search import text as search_text

    # "la" first at 11; "de" (a short word, matched exactly) not in "dex", nor in "del" cut short
    # where a search for a hit before "la" stops; "mig" (a prefix) earlier than both.
    assert search_text._first("xx dex ab  la del de", parse_query("la de")) == 11
    assert search_text._first("xx dex ab  la del de", parse_query("la de migration")) == 11
    assert search_text._first("xx migrants la de", parse_query("la de migration")) == 3
    assert search_text._first("sans rien", parse_query("la de")) is None
