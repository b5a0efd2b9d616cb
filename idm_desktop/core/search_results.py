"""Search results as the rest of the program sees them (no database types)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from idm_desktop.core.text import MARKDOWN_LINK, one_line, strip_markdown_marks

# Highlight markers in snippets: control characters that no document text contains.
HL_START = "\x02"
HL_END = "\x03"
ELLIPSIS = "…"


_NEXT_HIT = re.compile(f"{HL_END}(\\s+){HL_START}")


def clean_snippet(snippet: str) -> str:
    """A snippet as the index cuts it (Markdown source, HL_START/HL_END around each matched word)
    as a reader should see it: Markdown marks and link targets out, on one line, the matched
    words still marked (side by side ones as one run: "migration policy", not two)."""
    text = one_line(strip_markdown_marks(MARKDOWN_LINK.sub(r"\1", snippet)).strip())
    return _NEXT_HIT.sub(r"\1", text).replace(HL_START + HL_END, "")


class HitKind(StrEnum):
    DOCUMENT = "document"
    SUBMISSION = "submission"


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: HitKind
    id: str
    title: str
    symbol: str
    snippet: str  # with HL_START/HL_END around each hit
    score: float  # bm25: lower is better

    @property
    def plain_snippet(self) -> str:
        return self.snippet.replace(HL_START, "").replace(HL_END, "")

    @property
    def highlights(self) -> list[tuple[int, int]]:
        """(start, end) offsets of the hits in :attr:`plain_snippet`."""
        spans: list[tuple[int, int]] = []
        pos = 0
        start = 0
        for ch in self.snippet:
            if ch == HL_START:
                start = pos
            elif ch == HL_END:
                spans.append((start, pos))
            else:
                pos += 1
        return spans
