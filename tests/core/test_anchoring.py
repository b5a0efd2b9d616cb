"""Comments anchored by quote, prefix and suffix (DESIGN §13): found again exactly, after an edit
(moved), or lost; and a randomized run of 1,000 edits around 100 comments in which no comment is
ever attached to text it was not about."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from idm_desktop.core.anchoring import AnchorState, Quote, locate, quote_at, select_quote, similarity
from idm_desktop.core.errors import InvalidInputError

TEXT = "We welcome migrants and offer language courses in every city of the country since 2004."


def test_exact_quote_is_found() -> None:
    quote = select_quote(TEXT, "language courses in every city")
    anchor = locate("Intro. " + TEXT, quote)
    assert anchor.state is AnchorState.EXACT
    assert ("Intro. " + TEXT)[anchor.start:anchor.end] == "language courses in every city"


def test_context_chooses_between_repeats() -> None:
    text = "the plan. We fund the plan for cities. Later we fund the plan for villages."
    start = text.index("the plan for villages")
    quote = quote_at(text, start, start + len("the plan"))
    anchor = locate("New start. " + text, quote)
    assert anchor.start == len("New start. ") + start


def test_an_edited_quote_is_found_again_as_moved() -> None:
    quote = select_quote(TEXT, "language courses in every city")
    edited = TEXT.replace("language courses", "free language lessons")
    anchor = locate(edited, quote)
    assert anchor.state is AnchorState.MOVED
    assert edited[anchor.start:anchor.end] == "language lessons in every city"


def test_a_deleted_quote_is_lost() -> None:
    quote = select_quote(TEXT, "language courses in every city")
    assert locate("We welcome migrants. Nothing else is said here.", quote).state is AnchorState.LOST
    assert locate("", quote).state is AnchorState.LOST


def test_a_quote_not_in_the_text_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="not in this section"):
        select_quote(TEXT, "bicycle lanes")


# -- the randomized run -----------------------------------------------------------------------------

_VOCABULARY = (
    "migration policy integration labour market language course city region host society employer "
    "charter health worker recruitment ethical return diaspora remittance partnership civil dialogue "
    "national strategy ministry office training law rights family reunion student visa permit "
    "residence citizenship school teacher housing access local authority council data survey report "
    "annual budget programme pilot project evaluation outcome network union chamber commerce "
    "volunteer association church mosque library sport youth women elderly refugee asylum border "
    "cooperation agreement bilateral regional forum workshop consultation review "
)
WORDS = _VOCABULARY.split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    return " ".join(words).capitalize() + "."


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


@dataclass
class Tracked:
    quote: Quote
    start: int
    end: int
    touched: bool = False
    gone: bool = False


def _apply_edit(tracked: list[Tracked], a: int, b: int, n: int) -> None:
    """The text between a and b was replaced by n characters: move each true span with it."""
    delta = n - (b - a)
    for t in tracked:
        if t.gone:
            continue
        if b <= t.start and not (a == b == t.start):
            t.start, t.end = t.start + delta, t.end + delta
        elif a >= t.end:
            continue
        elif a <= t.start and b >= t.end:
            t.gone = True  # the whole span was replaced or deleted
        else:
            t.touched = True
            new_start = min(t.start, a)
            new_end = max(t.end, b) + delta
            if a > t.start:
                new_start = t.start
            t.start, t.end = new_start, max(new_start, new_end)
            if t.end <= t.start:
                t.gone = True


def run_anchor_trial(seed: int, comments: int = 100, edits: int = 1000) -> dict[str, int]:
    rng = random.Random(seed)
    text = " ".join(_sentence(rng) for _ in range(220))
    tracked: list[Tracked] = []
    bounds = [i + 1 for i, ch in enumerate(text) if ch == " "]
    for _ in range(comments):
        start = rng.choice(bounds[:-10])
        end = start + len(" ".join(text[start:].split(" ")[:rng.randint(2, 7)]))
        tracked.append(Tracked(quote_at(text, start, end), start, end))
    for _ in range(edits):
        around = rng.choice(tracked)
        a = max(0, min(len(text), around.start + rng.randint(-60, 60)))
        kind = rng.random()
        if kind < 0.5:  # type some words
            b, new = a, _words(rng, rng.randint(1, 4)) + " "
        elif kind < 0.75:  # delete a few characters
            b, new = min(len(text), a + rng.randint(1, 25)), ""
        else:  # overwrite a few characters
            b, new = min(len(text), a + rng.randint(1, 20)), _words(rng, rng.randint(1, 3))
        text = text[:a] + new + text[b:]
        _apply_edit(tracked, a, b, len(new))
    counts = dict.fromkeys(("exact", "exact_elsewhere", "moved", "lost_rewritten", "lost_deleted",
                            "lost_but_mostly_there", "wrong", "untouched_not_exact"), 0)
    for t in tracked:
        anchor = locate(text, t.quote)
        if anchor.state is AnchorState.LOST:
            if t.gone:
                counts["lost_deleted"] += 1
            elif similarity(t.quote.exact, text[t.start:t.end]) >= 0.6:
                counts["lost_but_mostly_there"] += 1  # a miss: 60 % or more of the quote remained
            else:
                counts["lost_rewritten"] += 1
            continue
        overlaps = not t.gone and anchor.start < t.end and t.start < anchor.end
        if anchor.state is AnchorState.EXACT:
            # Exact means the very words quoted; elsewhere: the same words at another place.
            assert text[anchor.start:anchor.end] == t.quote.exact
            counts["exact" if overlaps else "exact_elsewhere"] += 1
        elif overlaps:
            counts["moved"] += 1
        else:
            counts["wrong"] += 1
        if not t.touched and not t.gone and not (anchor.state is AnchorState.EXACT and overlaps):
            counts["untouched_not_exact"] += 1
    return counts


def test_randomized_edits_never_attach_a_comment_to_other_text() -> None:
    totals: dict[str, int] = {}
    for seed in range(3):
        for key, value in run_anchor_trial(seed).items():
            totals[key] = totals.get(key, 0) + value
    print("anchor run, 3 × (1,000 edits around 100 comments):", totals)
    assert totals["wrong"] == 0
    assert totals["untouched_not_exact"] == 0
    assert totals["exact"] + totals["moved"] > 0


def test_randomized_light_edits_keep_most_anchors() -> None:
    """One edit per comment on average: most anchors survive, none on other text."""
    totals: dict[str, int] = {}
    for seed in range(3):
        for key, value in run_anchor_trial(100 + seed, edits=100).items():
            totals[key] = totals.get(key, 0) + value
    print("anchor run, 3 × (100 edits around 100 comments):", totals)
    assert totals["wrong"] == 0
    assert totals["untouched_not_exact"] == 0
    assert totals["exact"] + totals["moved"] + totals["exact_elsewhere"] > totals["lost_but_mostly_there"]


def test_a_moved_span_ends_on_a_whole_word() -> None:
    """The quote was whole words: the span found again is whole words too, not a word cut short."""
    before = "We offer language courses in every city of the country."
    quote = select_quote(before, "language courses")
    after = "We offer languages courses in every city of the country."
    anchor = locate(after, quote)
    assert anchor.state is AnchorState.MOVED
    assert after[anchor.start:anchor.end] == "languages courses"
