"""Localised text, word counts, and Markdown marks taken out of a piece of text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

LocalText = Mapping[str, str]
"""A text in several languages, keyed by language code ("en", "fr", "es")."""


def pick(text: LocalText | None, lang: str, fallback: str = "en") -> str:
    """The text in ``lang``, else in ``fallback``, else any language given, else ""."""
    if not text:
        return ""
    if text.get(lang):
        return text[lang]
    if text.get(fallback):
        return text[fallback]
    return next((v for v in text.values() if v), "")


# A word: letters or digits, joined by apostrophes or hyphens ("l’État", "well-being", "2006").
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)
# Markdown link targets are not words the reader sees.
_LINK_TARGET = re.compile(r"\]\([^)]*\)")


def word_count(markdown: str) -> int:
    """The number of words a reader sees in a Markdown-subset text."""
    return len(_WORD.findall(_LINK_TARGET.sub("]", markdown)))


MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
"""A Markdown link ``[text](target)``: the text is group 1."""
_MD_LINE_MARKS = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)[ \t]+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"\*\*|__|(?<![^\W_])[*_]|[*_](?![^\W_])")


def strip_markdown_marks(text: str) -> str:
    """List, heading and quote marks at line starts, and emphasis marks, taken out of a piece of
    Markdown (quickly, without a parse: for snippets); links are left (:data:`MARKDOWN_LINK`)."""
    return _MD_EMPHASIS.sub("", _MD_LINE_MARKS.sub("", text))


_BREAKS = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"\s{2,}|[^\S ]")  # what differs from a single " " (not each word's space)


def one_line(text: str) -> str:
    """Runs of spaces as one; a line break (between paragraphs or list items) as a middle dot."""
    if "\n" in text:
        text = _BREAKS.sub(" · ", text)
    return _SPACES.sub(" ", text)


def display_width(text: str) -> int:
    """How many columns ``text`` takes in a terminal: a combining accent takes none, a wide
    (East Asian) character two; "revisión" is 8 whether its "ó" is one code point or two."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by the spaces that make it ``width`` columns wide (see :func:`display_width`)."""
    return text + " " * max(0, width - display_width(text))
