"""Find in a text as a word processor does: match case or not, whole words or not, and accents
ignored unless asked for ("etat" finds "État", as the library's search does).

Positions are those of the text as given (Python characters); :func:`utf16_spans` turns them
into the UTF-16 units Qt counts in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class FindOptions:
    match_case: bool = False
    whole_word: bool = False
    match_accents: bool = False


@lru_cache(maxsize=4096)
def _fold_char(ch: str, match_case: bool, match_accents: bool) -> str:
    """One character folded to one character, so that positions stay those of the text."""
    out = ch
    if not match_accents:
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(base) == 1:
            out = base
    if not match_case:
        lower = out.lower()
        if len(lower) == 1:
            out = lower
    return out


def fold(text: str, options: FindOptions) -> str:
    """``text`` as compared: same length, case and accents folded as ``options`` say."""
    if options.match_case and options.match_accents:
        return text
    return "".join(_fold_char(ch, options.match_case, options.match_accents) for ch in text)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_all(text: str, query: str, options: FindOptions) -> list[tuple[int, int]]:
    """(start, end) of every match of ``query`` in ``text``, left to right, not overlapping."""
    if not query:
        return []
    haystack = fold(text, options)
    needle = fold(query, options)
    spans: list[tuple[int, int]] = []
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        if not options.whole_word or (
                (start == 0 or not _is_word_char(text[start - 1]))
                and (end == len(text) or not _is_word_char(text[end]))):
            spans.append((start, end))
            start = haystack.find(needle, end)
        else:
            start = haystack.find(needle, start + 1)
    return spans


def utf16_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` of ``text`` as (start, end) in UTF-16 units (a character beyond the BMP is two)."""
    if not spans or not _ASTRAL.search(text):
        return spans
    out: list[tuple[int, int]] = []
    for start, end in spans:
        before = len(_ASTRAL.findall(text, 0, start))
        inside = len(_ASTRAL.findall(text, start, end))
        out.append((start + before, end + before + inside))
    return out
