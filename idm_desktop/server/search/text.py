"""Text for search: accent folding, the user's query as terms, and snippets with hits marked.

The index holds *folded* text (no accents, lower case, words joined by single spaces) on both
databases, so SQLite's FTS5 and PostgreSQL's ``to_tsvector('simple', …)`` see the same words and
"intégration" finds "integration" without PostgreSQL's ``unaccent`` extension (which needs a
superuser to install). Query words lose a common English/French/Spanish ending and match as
prefixes: "intégration" becomes ``integra*``, which finds "integration", "intégration" and
"integración" alike. Snippets are cut here from the original text, so they keep its accents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from idm_desktop.core.text import MARKDOWN_LINK, one_line, strip_markdown_marks
from idm_desktop.export.markup import parse, plain_text

MAX_QUERY_CHARS = 300
MAX_TERMS = 12
MAX_WORD_CHARS = 60

# A word, as both indexes split text after folding: letters and digits.
_WORD = re.compile(r"[^\W_]+")
# A phrase in double quotes (typographic ones too), or a run of anything else.
_TOKEN = re.compile(r'["“”„«»]([^"“”„«»]*)["“”„«»]?|([^\s"“”„«»]+)')
# Endings taken off a query word before it is matched as a prefix, longest first.
_ENDINGS = ("ciones", "siones", "tions", "sions", "ments", "mente", "cion", "sion", "tion", "ment",
            "ies", "es", "s")
_MIN_STEM = 4
_MAX_INDEXED_WORD = 100
_MIN_PREFIX = 3  # shorter words ("de", "la") match exactly, not as prefixes


@cache
def _combining() -> re.Pattern[str]:
    marks = "".join(chr(c) for c in range(0x0300, 0x10000)
                    if not 0xD800 <= c <= 0xDFFF and unicodedata.combining(chr(c)))
    return re.compile(f"[{re.escape(marks)}]+")


def fold(text: str) -> str:
    """``text`` without accents, in lower case ("Intégration" -> "integration")."""
    if text.isascii():
        return text.lower()
    return _combining().sub("", unicodedata.normalize("NFD", text)).lower()


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return _WORD.findall(fold(text))


def index_text(text: str) -> str:
    """What the index stores for ``text``: its folded words joined by single spaces (words too
    long to be real ones are left out: PostgreSQL refuses to index them)."""
    return " ".join(w for w in words(text) if len(w) <= _MAX_INDEXED_WORD)




def quick_text(body: Mapping[str, str]) -> str:
    """The sections' Markdown without link targets, for :func:`snippet` (which drops the other
    marks from the piece it shows): the full parse would cost more than the whole page."""
    return "\n".join((MARKDOWN_LINK.sub(r"\1", markdown) if "](" in markdown else markdown).strip()
                     for markdown in body.values() if markdown.strip())


def body_text(body: Mapping[str, str], keys: Iterable[str] | None = None) -> str:
    """The text a reader sees of a submission's sections (Markdown marks removed)."""
    order = list(keys or ())
    order += [k for k in body if k not in order]
    return "\n".join(t for t in (plain_text(parse(body.get(k, ""))) for k in order) if t)


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to find: a word (matched as a prefix when ``prefix``) or a phrase of words."""

    words: tuple[str, ...]
    prefix: bool


@dataclass(frozen=True, slots=True)
class Query:
    """A user's query, made safe: no character of it ever reaches a database as syntax."""

    terms: tuple[Term, ...]
    typed: bool  # the user typed something (which may have had no word in it)

    @property
    def empty(self) -> bool:
        return not self.terms

    def fts5(self) -> str:
        """The FTS5 MATCH expression: every term required, each one quoted."""
        parts = []
        for term in self.terms:
            quoted = '"' + " ".join(term.words) + '"'
            parts.append(quoted + ("*" if term.prefix else ""))
        return " AND ".join(parts)

    def tsquery(self) -> str:
        """The PostgreSQL ``to_tsquery('simple', …)`` expression, same meaning as :meth:`fts5`."""
        parts = []
        for term in self.terms:
            lexemes = [f"'{w}'" for w in term.words]
            if term.prefix:
                lexemes[-1] += ":*"
            parts.append(lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")")
        return " & ".join(parts)


def stem(word: str) -> str:
    """``word`` without one common ending, kept at least four letters long."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


# French elision at the start of a typed word: l’, d’, j’, m’, n’, s’, t’, c’, qu’, jusqu’, lorsqu’,
# puisqu’ (with ' or ’).
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’](?=\w)", re.IGNORECASE)


def parse_query(user_text: str) -> Query:
    """Read what a user typed: words, and phrases in quotes. Never raises."""
    text = (user_text or "")[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        phrase, raw = match.group(1), match.group(2)
        # "l’intégration" is "intégration": an elided article is not a word to find.
        typed: str = phrase if phrase is not None else _ELISION.sub("", raw or "")
        found = [w[:MAX_WORD_CHARS] for w in words(typed)]
        if not found:
            continue
        if phrase is not None and len(found) > 1:
            terms.append(Term(tuple(found), prefix=False))
            continue
        for word in found:  # "well-being": each part is a word
            stemmed = stem(word)
            terms.append(Term((stemmed,), prefix=len(stemmed) >= _MIN_PREFIX))
    unique = tuple(dict.fromkeys(terms))[:MAX_TERMS]
    return Query(terms=unique, typed=bool(text.strip()))


# -- snippets ---------------------------------------------------------------------------------------

Segment = tuple[str, bool]
"""A run of snippet text, and whether it is a hit."""

SNIPPET_CHARS = 240
_LEAD_CHARS = 70
_ELLIPSIS = "…"


# Combining accents, in text typed decomposed ("e" + U+0301).
_MARKS = "[\u0300-\u036f]*"


@cache
def _letter_classes() -> dict[str, str]:
    """For each letter, the accented letters that fold to it ("e" -> "èéêë…"), from Latin-1
    Supplement and Latin Extended-A and -B."""
    variants: dict[str, set[str]] = {}
    for code in range(0x00C0, 0x0250):
        ch = chr(code)
        folded = fold(ch)
        if len(folded) == 1 and folded != ch.lower():
            variants.setdefault(folded, set()).add(ch.lower())
    return {base: "".join(sorted(chars)) for base, chars in variants.items()}


@cache
def _bmp() -> str:
    return "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)


@cache
def _case_variants(ch: str) -> frozenset[str]:
    """Every character the regex engine takes for ``ch`` when case is ignored ("s": "sSſ"),
    found by the engine itself (characters of the Basic Multilingual Plane)."""
    return frozenset(re.findall(re.escape(ch), _bmp(), re.IGNORECASE))


@cache
def _letter_chars(ch: str) -> frozenset[str]:
    """The characters that stand for the letter ``ch`` of a folded word: the letter and those that
    fold to it, in either case."""
    chars: set[str] = set()
    for c in (ch, *_letter_classes().get(ch, "")):
        chars |= _case_variants(c)
    return frozenset(chars)


@cache
def _letter(ch: str, narrow: bool = False) -> str:
    """A regex of one letter of a folded word: the letter and those that fold to it, in either
    case, as a plain class (``narrow``: those of Latin-1 only). Not with IGNORECASE: a pattern
    that starts with a plain class is scanned for by the engine's fast first-character search;
    one with ignored case is tried position by position (five times slower through a text
    without the word)."""
    if ord(ch) > 0xFFFF:
        return f"(?i:{re.escape(ch)})"
    chars = sorted(c for c in _letter_chars(ch) if not narrow or c <= "\xff")
    return "[" + "".join(re.escape(c) for c in chars) + "]"


# Not after a letter or digit: written after the first letter, which it looks back past, so that
# the pattern still starts with that letter's class.
_WORD_START = r"(?<=(?<![^\W_])(?s:.))"


def _word_regex(word: str, *, first: bool = False, narrow: bool = False) -> str:
    marks = "" if narrow else _MARKS
    return "".join(_letter(ch, narrow) + (_WORD_START if first and i == 0 else "") + marks
                   for i, ch in enumerate(word))


def _pattern(term: Term, narrow: bool) -> re.Pattern[str]:
    body = r"[\W_]+".join(_word_regex(w, first=i == 0, narrow=narrow) for i, w in enumerate(term.words))
    tail = r"[^\W_]*" if term.prefix else r"(?![^\W_])"
    return re.compile(body + tail)


@lru_cache(maxsize=512)
def _term_pattern(term: Term) -> re.Pattern[str]:
    """A regex that finds ``term`` in the *original* text, accents and case ignored, so snippets
    need no folded copy of the text (which costs a Python loop per character). One per term,
    kept: compiling costs more than the search, and readers' queries share most of their words."""
    return _pattern(term, narrow=False)


_ASCII_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=512)
def _narrow_pattern(term: Term) -> re.Pattern[str] | None:
    """:func:`_term_pattern` for a text in which only Latin-1 can match (see :func:`_narrow_text`):
    the same matches, compiled five times faster (a class of Latin-1 is a bitmap of 256; one
    reaching past it is made from a map of the whole plane). None for a term with a letter
    outside a–z and 0–9, whose letters have other variants."""
    if not all(_ASCII_WORD.fullmatch(w) for w in term.words):
        return None
    return _pattern(term, narrow=True)


@cache
def _wide_variants() -> re.Pattern[str]:
    """Any character past Latin-1 that a letter a–z or a digit of a query word matches (a Latin
    Extended letter with its accent, "ſ", the Kelvin sign…), and any combining accent."""
    wide = sorted(c for ch in "abcdefghijklmnopqrstuvwxyz0123456789" for c in _letter_chars(ch)
                  if c > "\xff")
    return re.compile("[" + "".join(re.escape(c) for c in wide) + "\u0300-\u036f]")


def _narrow_text(text: str) -> bool:
    """Whether the letters a–z and the digits of a query word can match in ``text`` only with
    characters of Latin-1 (so :func:`_narrow_pattern` finds what :func:`_term_pattern` finds)."""
    try:
        text.encode("latin-1")  # a copy of the bytes when the text is all Latin-1
    except UnicodeEncodeError:
        return _wide_variants().search(text) is None
    return True


def _patterns(text: str, query: Query) -> list[re.Pattern[str]]:
    """A regex per term of ``query``, to search ``text`` with (in the terms' order)."""
    if not _narrow_text(text):
        return [_term_pattern(term) for term in query.terms]
    return [_narrow_pattern(term) or _term_pattern(term) for term in query.terms]


def _first(text: str, query: Query) -> int | None:
    """Where the first hit of any of the query's terms starts (the earlier term's when two start
    together). Once a term is found, a later one is looked for only where it could start before:
    a one-word term searched with a Latin-1 pattern needs nothing past its letters and the
    character after them (its tail never makes a match fail), so the search stops there instead
    of going through the rest of the text for a word found late or only in the title."""
    best: int | None = None
    narrow = _narrow_text(text)
    for term in query.terms:
        pattern = (_narrow_pattern(term) if narrow else None) or _term_pattern(term)
        if best is None:
            found = pattern.search(text)
        elif narrow and len(term.words) == 1 and pattern is _narrow_pattern(term):
            # A match starting before ``best`` lies within best + len(word) (its letters and the
            # one character its end looks at); one reported at ``best`` itself is not wanted.
            found = pattern.search(text, 0, min(len(text), best + len(term.words[0])))
        else:
            found = pattern.search(text)
        if found is not None and (best is None or found.start() < best):
            best = found.start()
    return best


def _hits(text: str, query: Query, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Where ``query`` matches ``text`` (between ``start`` and ``end``): (start, end) offsets, as
    one alternation of the terms would find them: leftmost first, the earlier term's match where
    two start at one place, never overlapping."""
    end = len(text) if end is None else end
    patterns = _patterns(text, query)
    ahead = [p.search(text, start, end) for p in patterns]  # each term's next match from pos
    spans: list[tuple[int, int]] = []
    while True:
        found = [m for m in ahead if m is not None]
        if not found:
            return spans
        s = min(m.start() for m in found)
        hit = next(m for m in found if m.start() == s)  # in the terms' order
        spans.append(hit.span())
        pos = hit.end()
        ahead = [m if m is None or m.start() >= pos else p.search(text, pos, end)
                 for p, m in zip(patterns, ahead, strict=True)]


def _segments(text: str, spans: list[tuple[int, int]], start: int, end: int) -> list[Segment]:
    segments: list[Segment] = []
    pos = start
    for s, e in spans:
        if e <= pos or s >= end:
            continue
        s = max(s, pos)
        e = min(e, end)
        if s > pos:
            segments.append((text[pos:s], False))
        segments.append((text[s:e], True))
        pos = e
    if pos < end:
        segments.append((text[pos:end], False))
    return segments


def mark(text: str, query: Query) -> tuple[Segment, ...]:
    """All of ``text`` (a title), the hits of ``query`` marked."""
    return tuple(_segments(text, _hits(text, query), 0, len(text)))


def _space_before(text: str, pos: int) -> int:
    return max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos))


def snippet(text: str, query: Query, size: int = SNIPPET_CHARS) -> tuple[Segment, ...]:
    """A piece of ``text`` around the first hit of ``query``, the hits marked; the start of the
    text when nothing matches (the title may have matched instead). Markdown marks are taken
    out of the piece shown only, so a long text costs little more than a short one."""
    text = text.strip()
    if not text:
        return ()
    first = _first(text, query)
    start = 0
    if first is not None and first > _LEAD_CHARS:
        start = _space_before(text, first - _LEAD_CHARS) + 1
    end = len(text)
    if end - start > size:
        cut = _space_before(text, start + size)
        end = cut if cut > start else start + size
    piece = one_line(strip_markdown_marks(text[start:end]).strip())
    segments: list[Segment] = []
    if start > 0:
        segments.append((_ELLIPSIS, False))
    segments += _segments(piece, _hits(piece, query), 0, len(piece))
    if end < len(text):
        segments.append((_ELLIPSIS, False))
    return tuple(segments)
