"""Typographic apostrophes and quotation marks, as Word's autocorrect puts them (DESIGN §6, the
GLOSSARY's typography): a straight ' becomes ’ and a straight " becomes the quotation marks of the
text's language — “ ” in English, « » with no-break spaces inside in French, « » in Spanish (the
Real Academia's first choice; “ ” are its quotes inside quotes).

Two uses, one rule: the editor replaces the mark just typed (:func:`as_typed`), and the exports
convert the straight marks left in pasted or imported text (:func:`typographic`).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
_OPEN_AFTER = " \t\n\u00a0\u202f([{<«“‘—–-/"
"""A mark after these (or at the start) opens a quotation; after anything else it closes one."""

NNBSP = "\u202f"
_FRENCH_SPACED = {";": NNBSP, "?": NNBSP, "!": NNBSP, ":": NBSP, "»": NBSP}

AUTOCORRECTED = frozenset({"'", '"', *_FRENCH_SPACED})
"""The marks :func:`as_typed` may replace as they are typed."""

_MARKS = {
    # lang: (opening double, closing double, opening single)
    "en": ("“", "”", "‘"),
    "fr": ("«" + NBSP, NBSP + "»", "’"),
    "es": ("«", "»", "’"),
}


def _opens(before: str) -> bool:
    return not before or before[-1] in _OPEN_AFTER


def as_typed(before: str, typed: str, lang: str) -> tuple[int, str] | None:
    """The replacement for ``typed`` (' or ", or in French ; ? ! : » after a space), just typed
    after the text ``before`` on its line: how many characters before it to replace as well (the
    space before a French "»" or ";"), and the text to put instead; None when there is none."""
    opening, closing, single = _MARKS.get(lang, _MARKS["en"])
    if typed in _FRENCH_SPACED:
        # French puts a no-break space before ; ? ! : » (narrow before ; ? !): the space typed
        # before one becomes it, so the line never breaks there.
        if lang == "fr" and before.endswith(" "):
            return (1, _FRENCH_SPACED[typed] + typed)
        return None
    if typed == "'":
        return (0, single if _opens(before) and lang == "en" else "’")
    if typed != '"':
        return None
    if _opens(before) and not (before.endswith((" ", NBSP)) and _has_open(before, opening, closing)):
        return (0, opening)
    if lang == "fr" and before.endswith((" ", NBSP)):
        return (1, closing)  # "oui "" -> "oui »": the space becomes the no-break one
    return (0, closing)


def _has_open(before: str, opening: str, closing: str) -> bool:
    """Whether a quotation is open on the line (so a " after a space closes it)."""
    return before.rfind(opening.strip(NBSP)) > before.rfind(closing.strip(NBSP))


def typographic(text: str, lang: str, before: str = "") -> str:
    """``text`` with every straight ' and " made typographic for ``lang`` (see :func:`as_typed`);
    ``before``: the text of the same paragraph before it (another run), which says whether a mark
    at its start opens or closes."""
    if "'" not in text and '"' not in text:
        return text
    out: list[str] = list(before[-40:])
    start = len(out)
    for char in text:
        if char in "'\"":
            found = as_typed("".join(out[-40:]), char, lang)
            assert found is not None
            drop, replacement = found
            if drop and len(out) - drop >= start:
                del out[-drop:]
            out.append(replacement)
        else:
            out.append(char)
    return "".join(out[start:])


# Markdown a straight mark must survive in: inline code, a link's target, an autolink.
_VERBATIM = re.compile(r"`[^`\n]*`|\]\([^)\n]*\)|<[a-z][a-z0-9+.-]*:[^>\s]*>", re.IGNORECASE)


def typographic_markdown(text: str, lang: str) -> str:
    """Markdown ``text`` with its straight marks made typographic for ``lang``, as if typed in the
    editor (text given on the command line or imported), leaving code and link targets alone."""
    if "'" not in text and '"' not in text:
        return text
    out: list[str] = []
    start = 0
    for m in _VERBATIM.finditer(text):
        out.append(typographic(text[start:m.start()], lang, "".join(out)))
        out.append(m.group())
        start = m.end()
    out.append(typographic(text[start:], lang, "".join(out)))
    return "".join(out)


def _quote_free(text: str) -> str:
    for mark in "“”«»\"":
        text = text.replace(mark, " ")
    return text.replace("‘", "'").replace("’", "'")


def same_words(a: str, b: str) -> bool:
    """Whether two titles say the same thing, whatever their quotes and apostrophes (straight or
    typographic), spaces (no-break too) and case."""
    return " ".join(_quote_free(a).split()).casefold() == " ".join(_quote_free(b).split()).casefold()
