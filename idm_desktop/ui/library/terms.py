"""Which words to highlight in a document, and where they are (plain Python, no Qt).

The search index matches case- and accent-insensitively (FTS5 unicode61), so a hit for
"etat" may be "État" in the text. Two sources of words are combined: the words the index
marked in the hit's snippet (the real spelling in that document) and the words the user typed
(each accent-folded, so "etat" also finds "État" and "état" elsewhere in the text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from idm_desktop.core.search_results import SearchHit

MAX_HIGHLIGHTS = 2000
"""Highlights shown in one document: enough to read, few enough to stay quick on a long text."""

# Same token shapes as core.search_query: a quoted phrase, or a run of non-space characters.
_TOKEN = re.compile(r'(-?)["“”„«]([^"“”„»]*)["“”„»]|(\S+)')
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_OPERATORS = frozenset({"OR", "AND", "NEAR", "NOT", "+"})
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# Latin letters and their accented forms in French and Spanish (and a few neighbours).
_VARIANTS = {
    "a": "aàáâãäå", "c": "cç", "e": "eéèêë", "i": "iíìîï", "n": "nñ",
    "o": "oóòôõöø", "u": "uúùûü", "y": "yýÿ",
}


@dataclass(frozen=True, slots=True)
class Term:
    """A word to highlight; ``prefix`` when any word starting with it counts ("migra*")."""

    word: str
    prefix: bool = False


def query_terms(query: str) -> list[Term]:
    """The words the user asked for: operators and excluded words (``-word``, ``NOT word``) left out."""
    terms: list[Term] = []
    skip_next = False
    for match in _TOKEN.finditer(query):
        minus, phrase, raw = match.group(1), match.group(2), match.group(3)
        if raw is not None and raw in _OPERATORS:
            skip_next = raw == "NOT"
            continue
        excluded = skip_next or bool(minus) or (raw is not None and raw.startswith("-") and len(raw) > 1)
        skip_next = False
        if excluded:
            continue
        words = _WORDS.findall(phrase if raw is None else raw)
        prefix = raw is not None and raw.rstrip(")").endswith("*")
        terms.extend(Term(w.lower(), prefix and i == len(words) - 1) for i, w in enumerate(words))
    return _unique(terms)


def hit_terms(hit: SearchHit) -> list[Term]:
    """The words the index marked in ``hit``'s snippet."""
    plain = hit.plain_snippet
    words = (w for start, end in hit.highlights for w in _WORDS.findall(plain[start:end]))
    return _unique(Term(w.lower()) for w in words)


def _unique(terms: Iterable[Term]) -> list[Term]:
    return list(dict.fromkeys(t for t in terms if t.word))


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _letter_class(ch: str) -> str:
    variants = _VARIANTS.get(ch)
    return f"[{variants}]" if variants else re.escape(ch)


def highlight_pattern(terms: Sequence[Term]) -> re.Pattern[str] | None:
    """One regular expression finding every term as a whole word (or word start), ignoring case
    and accents; None when there is nothing to highlight."""
    parts: list[str] = []
    # Longer words first, so "migrants" wins over "migrant" at the same place.
    for term in sorted(terms, key=lambda t: -len(t.word)):
        body = "".join(_letter_class(ch) for ch in _fold(term.word))
        parts.append(body + (r"\w*" if term.prefix else r"(?!\w)"))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


def find_spans(text: str, pattern: re.Pattern[str] | None,
               limit: int = MAX_HIGHLIGHTS) -> list[tuple[int, int]]:
    """(start, length) of the first ``limit`` matches, in UTF-16 code units (as Qt counts)."""
    if pattern is None:
        return []
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(text):
        spans.append((match.start(), match.end() - match.start()))
        if len(spans) >= limit:
            break
    if spans and _ASTRAL.search(text):
        spans = _to_utf16(text, spans)
    return spans


def _to_utf16(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # A character outside the BMP is two UTF-16 units: shift each span by those before it.
    out: list[tuple[int, int]] = []
    shift = 0
    pos = 0
    for start, length in spans:
        shift += len(_ASTRAL.findall(text, pos, start))
        inner = len(_ASTRAL.findall(text, start, start + length))
        out.append((start + shift, length + inner))
        shift += inner
        pos = start + length
    return out
