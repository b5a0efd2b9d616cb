"""Comments anchored to a quoted span the W3C Web Annotation way (a TextQuoteSelector: the exact
text, some of the text before it and some after it), re-found after edits: the exact text first
(its context deciding between several), then a fuzzy match (diff-match-patch's bitap), else lost.

A fuzzy match is only taken when the span it finds is still mostly the quoted text, so a comment
is left on its section as ``lost`` rather than attached to text it was not about.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import _

if TYPE_CHECKING:  # loaded where a quote is looked for: a draft's review state needs none of it
    from diff_match_patch import diff_match_patch

CONTEXT_CHARS = 32
"""How much text before and after the quote a comment keeps."""
_HEAD = 32
"""The start and the end of a quote are looked for separately, this many characters each."""
MAX_CHANGED_SHARE = 0.4
"""A fuzzy match may differ from the quote by at most this share of its characters."""
MIN_CONTEXT_SIMILARITY = 0.6
"""...and the text before or after it must still look like the quote's context this much."""
_WINDOW = 1000
"""With its context found, a quote is looked for this far around it."""


class AnchorState(StrEnum):
    EXACT = "exact"  # the quoted text is there as it was
    MOVED = "moved"  # the quoted text was edited; its span was found again
    LOST = "lost"  # the span is gone: the comment stays on its section


@dataclass(frozen=True, slots=True)
class Quote:
    """A TextQuoteSelector: ``exact`` with up to :data:`CONTEXT_CHARS` before and after it."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote is in a text now: ``text[start:end]`` (both -1 when lost)."""

    state: AnchorState
    start: int = -1
    end: int = -1


LOST = Anchor(AnchorState.LOST)


def quote_at(text: str, start: int, end: int) -> Quote:
    """The selector of ``text[start:end]``."""
    return Quote(text[start:end], text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS])


def select_quote(text: str, exact: str) -> Quote:
    """The selector of the first place ``exact`` appears in ``text``; a clear error when it does not."""
    exact = exact.strip()
    start = text.find(exact) if exact else -1
    if start < 0:
        raise InvalidInputError(
            _("The quoted text is not in this section: copy a few words exactly as they stand."))
    return quote_at(text, start, start + len(exact))


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_score(text: str, start: int, end: int, quote: Quote) -> int:
    before = _common_prefix(text[:start][::-1], quote.prefix[::-1])
    after = _common_prefix(text[end:], quote.suffix)
    return before + after


def _matcher(distance: int) -> diff_match_patch:
    from diff_match_patch import diff_match_patch  # loaded by the first anchor moved

    dmp = diff_match_patch()
    dmp.Match_Threshold = 0.35
    dmp.Match_Distance = max(1000, distance)
    dmp.Diff_Timeout = 0.2
    return dmp


def locate(text: str, quote: Quote) -> Anchor:
    """Where ``quote`` is in ``text`` now (exact, moved, or lost)."""
    exact = quote.exact
    if not exact or not text:
        return LOST
    hits = []
    at = text.find(exact)
    while at >= 0:
        hits.append(at)
        at = text.find(exact, at + 1)
    if hits:
        best = max(hits, key=lambda i: (_context_score(text, i, i + len(exact), quote), -i))
        return Anchor(AnchorState.EXACT, best, best + len(exact))
    return _fuzzy(text, quote)


def _expected(text: str, quote: Quote) -> int | None:
    """Where the quote should start, judged from its context (None when the context is gone too)."""
    if quote.prefix:
        at = text.find(quote.prefix)
        if at >= 0:
            return at + len(quote.prefix)
    if quote.suffix:
        at = text.find(quote.suffix)
        if at >= 0:
            return max(0, at - len(quote.exact))
    return None


def similarity(a: str, b: str) -> float:
    """1.0 for equal texts, down to 0.0 for texts with nothing in common (by edit distance)."""
    if not a and not b:
        return 1.0
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0.2
    changed: int = dmp.diff_levenshtein(dmp.diff_main(a, b))
    return 1.0 - changed / max(len(a), len(b))


def _fuzzy(text: str, quote: Quote) -> Anchor:
    exact = quote.exact
    expected = _expected(text, quote)
    # Near the context when it is still there (quicker, and no look-alike far away is taken).
    offset = 0
    if expected is not None:
        offset = max(0, expected - _WINDOW)
        text_part = text[offset:expected + len(exact) + _WINDOW]
        loc = expected - offset
    else:
        text_part, loc = text, 0
    dmp = _matcher(len(text_part))
    start = dmp.match_main(text_part, exact[:_HEAD], loc)
    if start < 0:
        return LOST
    window = text_part[start:start + 2 * len(exact) + CONTEXT_CHARS]
    tail = exact[-_HEAD:]
    tail_at = dmp.match_main(window, tail, max(0, len(exact) - len(tail)))
    if tail_at >= 0:
        end = start + tail_at + len(tail)
    else:
        diffs = dmp.diff_main(exact, window[:len(exact) + CONTEXT_CHARS])
        end = start + dmp.diff_xIndex(diffs, len(exact))
    start, end = _word_edges(text, start + offset, end + offset, exact)
    if end <= start or not _acceptable(text, start, end, quote):
        return LOST
    return Anchor(AnchorState.MOVED, start, end)


_MAX_WORD_STRETCH = 24
"""A fuzzy span is stretched this far at most to reach the edge of a word."""


def _word_edges(text: str, start: int, end: int, exact: str) -> tuple[int, int]:
    """A fuzzy span that starts or ends inside a word, where the quote starts or ends on a whole
    word, stretched to that word's edge ("language courses" edited to "languages courses" is
    found as "languages courses", not "languages course")."""
    if exact[:1].isalnum():
        limit = max(0, start - _MAX_WORD_STRETCH)
        while start > limit and 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
    if exact[-1:].isalnum():
        limit = min(len(text), end + _MAX_WORD_STRETCH)
        while end < limit and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
            end += 1
    return start, end


def _acceptable(text: str, start: int, end: int, quote: Quote) -> bool:
    """A fuzzy match is taken only when the span is still mostly the quote AND its context agrees
    (a short quote has look-alikes everywhere: its surroundings tell them apart)."""
    if similarity(quote.exact, text[start:end]) < 1 - MAX_CHANGED_SHARE:
        return False
    before = text[max(0, start - len(quote.prefix)):start]
    after = text[end:end + len(quote.suffix)]
    context = [similarity(quote.prefix, before) if quote.prefix else None,
               similarity(quote.suffix, after) if quote.suffix else None]
    known = [c for c in context if c is not None]
    if not known:
        return similarity(quote.exact, text[start:end]) >= 0.8
    return max(known) >= MIN_CONTEXT_SIMILARITY
