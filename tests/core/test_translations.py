"""The fr and es catalogs are complete: every message of the code is translated, none fuzzy,
and each translation keeps the placeholders of its original (DESIGN §9)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from idm_desktop.core.i18n import _, set_ui_language, translator

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "resources" / "locale"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _source_messages() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    method_map = [("**.py", "python")]
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "plural": (1, 2), "gettext": None}
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT / "idm_desktop"), method_map, keywords=keywords):
        found.add(message)
    return found


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_catalog_translates_every_message(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "idm_desktop.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    problems: list[str] = []
    for message in sorted(_source_messages(), key=str):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"missing: {msgid!r}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            problems.append(f"untranslated: {msgid!r}")
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(message if isinstance(message, tuple) else [message])))
        for s in strings:
            if set(PLACEHOLDER.findall(s)) - wanted or (
                    len(strings) == 1 and set(PLACEHOLDER.findall(s)) != wanted):
                problems.append(f"placeholders differ: {msgid!r} -> {s!r}")
    assert not problems, "\n".join(problems)


def test_the_ui_language_switches_messages() -> None:
    set_ui_language("fr")
    assert _("Type a word to search for.") != "Type a word to search for."
    set_ui_language("en")
    assert _("Type a word to search for.") == "Type a word to search for."
    assert translator("es").gettext("Page {page} of {pages}") != "Page {page} of {pages}"


# A sentence ends with one of these; a translation of a whole sentence must too.
_ENDS = (".", "?", "!", ":", "…", ")", "»", "”", "\"", "'", "’")
_FILLER = {"names": "Contexte, Mesures", "name": "X", "path": "/tmp/x", "reason": "r"}


def _entries(lang: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    with (LOCALE / lang / "LC_MESSAGES" / "idm_desktop.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    out = []
    for entry in catalog:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        out.append((ids, strings))
    return out


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_translation_is_cut_short(lang: str) -> None:
    """A translation much shorter than its English, or a sentence that stops mid-way, was cut
    (as six plural messages in each catalog once were: "1 contribution a")."""
    problems = []
    for ids, strings in _entries(lang):
        english = ids[-1] if len(strings) > 1 else ids[0]
        for s in strings:
            if len(english) >= 24 and len(s) < 0.6 * len(english):
                problems.append(f"short: {english!r} -> {s!r}")
            if english.rstrip().endswith(_ENDS) and len(english) >= 24 and not s.rstrip().endswith(_ENDS):
                problems.append(f"ends mid-way: {english!r} -> {s!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_plural_form_renders_whole(lang: str) -> None:
    """Each plural message, for n = 0, 1, 2 and 5, formats without error and keeps every
    placeholder of the English other than the count."""
    tr = translator(lang)
    problems = []
    for ids, _strings in _entries(lang):
        if len(ids) < 2:
            continue
        wanted = set(PLACEHOLDER.findall(ids[0] + " " + ids[1])) - {"{n}"}
        for n in (0, 1, 2, 5):
            text = tr.ngettext(ids[0], ids[1], n)
            missing = [p for p in wanted if p not in text]
            if missing:
                problems.append(f"n={n}: {text!r} lacks {missing}")
                continue
            values = {p.strip("{}"): _FILLER.get(p.strip("{}"), "x") for p in PLACEHOLDER.findall(text)}
            values["n"] = str(n)
            rendered = text.format(**values)
            english = ids[0 if n == 1 else 1].format(**values)
            if len(english) >= 24 and len(rendered) < 0.6 * len(english):
                problems.append(f"n={n}: {rendered!r} is much shorter than the English")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("lang", "expected"), [("en", "10,000 words"), ("fr", "10\u202f000 mots"),
                                                ("es", "10.000 palabras")])
def test_counts_are_written_as_the_language_writes_them(lang: str, expected: str) -> None:
    from idm_desktop.core.i18n import plural

    set_ui_language(lang)
    try:
        assert plural("{n} word", "{n} words", 10_000) == expected
    finally:
        set_ui_language("en")
