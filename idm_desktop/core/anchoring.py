"""Comments anchored to a quoted span the W3C Web Annotation way (a TextQuoteSelector: the exact
text, some of the text before it and some after it), re-found after edits: the exact text first
(its context deciding between several), then a fuzzy match (diff-match-patch's bitap), else lost.

A fuzzy match is only taken when the span it finds is still mostly the quoted text, so a comment
is left on its section as ``lost`` rather than attached to text it was not about.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from diff_match_patch import diff_match_patch

from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import _

CONTEXT_CHARS = 32
"""How much text before and after the quote a comment keeps."""
_HEAD = 32
"""The start and the end of a quote are looked for separately, this many characters each."""
MAX_CHANGED_SHARE = 0.4
"""A fuzzy match may differ from the quote by at most this share of its characters."""


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


def _expected(text: str, quote: Quote) -> int:
    """Where the quote should start, judged from its context (the text's start when unknown)."""
    if quote.prefix:
        at = text.find(quote.prefix)
        if at >= 0:
            return at + len(quote.prefix)
    if quote.suffix:
        at = text.find(quote.suffix)
        if at >= 0:
            return max(0, at - len(quote.exact))
    return 0


def _fuzzy(text: str, quote: Quote) -> Anchor:
    exact = quote.exact
    dmp = _matcher(len(text))
    loc = min(_expected(text, quote), len(text))
    head = exact[:_HEAD]
    start = dmp.match_main(text, head, loc)
    if start < 0:
        return LOST
    # The end: map the quote's end into a window of the text that begins at the match.
    window = text[start:start + 2 * len(exact) + CONTEXT_CHARS]
    tail = exact[-_HEAD:]
    tail_at = dmp.match_main(window, tail, max(0, len(exact) - len(tail)))
    if tail_at >= 0:
        end = start + tail_at + len(tail)
    else:
        diffs = dmp.diff_main(exact, window[:len(exact) + CONTEXT_CHARS])
        end = start + dmp.diff_xIndex(diffs, len(exact))
    if end <= start:
        return LOST
    span = text[start:end]
    changed = dmp.diff_levenshtein(dmp.diff_main(exact, span))
    if changed > MAX_CHANGED_SHARE * len(exact):
        return LOST
    return Anchor(AnchorState.MOVED, start, end)
