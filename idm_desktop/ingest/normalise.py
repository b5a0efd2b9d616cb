"""Shaping extracted text the same way for every format, and estimating its length in pages."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

from idm_desktop.ingest.model import MAX_TEXT_CHARS

WORDS_PER_PAGE = 500
"""The page estimate for formats that do not record a page count."""

_KEEP = {"\t", "\n", "\f"}
_DROP: dict[int, None] = {code: None for code in [*range(0x00, 0x20), 0x7F] if chr(code) not in _KEEP}
# The PDF reader marks a word hyphenated at the end of a line with U+FFFE (older versions:
# U+0002) and joins the two halves; dropping the marker gives back the whole word, which is
# what a search for it expects. A soft hyphen is invisible and would split a word in search.
_DROP.update({0xFFFE: None, 0xFFFF: None, 0x00AD: None})


def clean_text(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """``text`` with ``\\n`` line ends, without control characters (but tab, newline and form
    feed), NFC-normalised, and cut to at most ``limit`` characters.

    Returns the text and whether it was cut.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_DROP)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    # End at a white space when one is near, rather than in the middle of a word.
    space = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\f"))
    if space > limit - 1000:
        cut = cut[:space]
    return cut, True


# A line that starts a block of its own in plain text or Markdown: a list item, a heading, a
# quotation, a table row, a fence, an indented line. Never joined to the line before it.
_STARTS_BLOCK = re.compile(r"^(?:[-*+•·▪–]\s|\d{1,3}[.)]\s|[a-z][.)]\s|#|>|\||```|~~~|\s{2,}\S|\t)")
_HYPHENATED = re.compile(r"(\w+)-$")  # a word cut at the end of a line, as "remit-"
_NEXT_WORD = re.compile(r"^([a-zà-ÿ]\w*)")  # its second half starts in lower case
_WORD = re.compile(r"\w+(?:-\w+)*")
# A line ending a sentence keeps its break: lines of one sentence each are often meant so.
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
WRAP_SHARE = 0.6
"""A line at least this share of the longest line of its paragraph, in the middle of a sentence,
was wrapped by the writer's program (a hard wrap), so it joins the next; a shorter line ends its
paragraph (or is a heading, or a line of an address)."""
MIN_WRAP_WIDTH = 50
"""Paragraphs whose longest line is shorter were not wrapped at a column: left as they are."""


def join_wrapped_lines(text: str) -> str:
    """``text`` with hard-wrapped lines joined into their paragraphs, and words hyphenated at a
    line end ("remit-" + "tances") whole again, so that a search finds them.

    Only a break in the middle of a sentence, after a line about as long as the paragraph's
    longest, is joined. Blank lines and page breaks (``\f``) still separate paragraphs; a line
    that starts a list item, a heading, a table row or a quotation stays on its own, as do
    Markdown's line breaks ("  " at the end) and everything between code fences. At a hyphen
    the word is joined without it, unless the document writes the word with a hyphen elsewhere
    ("co-operation") and never without.
    """
    words = _WordCounts(text)
    pages = [_join_page(page, words) for page in text.split("\f")]
    return "\f".join(pages)


class _WordCounts:
    """How often each word occurs in a text (in lower case), counted at the first question: only
    a word cut at a line end by a hyphen asks, and counting every word of a long text cost three
    times the rest of its shaping (most texts have no such line)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._counts: Counter[str] | None = None

    def __getitem__(self, word: str) -> int:
        if self._counts is None:
            self._counts = Counter(w.lower() for w in _WORD.findall(self._text))
        return self._counts[word]


def _join_page(page: str, words: _WordCounts) -> str:
    out: list[str] = []
    block: list[str] = []
    fenced = False
    for line in page.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            out += [*_join_block(block, words), line]
            block = []
        elif fenced or not line.strip():
            out += [*_join_block(block, words), line]
            block = []
        else:
            block.append(line)
    out += _join_block(block, words)
    return "\n".join(out)


def _join_block(lines: list[str], words: _WordCounts) -> list[str]:
    """The lines of one paragraph (no blank line in it), joined where they were wrapped."""
    if len(lines) < 2:
        return lines
    widest = max(len(line.rstrip()) for line in lines)
    out = [lines[0]]
    previous = lines[0].rstrip()  # the line before, as it was written
    for line in lines[1:]:
        before = out[-1].rstrip()
        raw_break = out[-1].endswith(("  ", "\\"))  # a line break Markdown keeps ("  " or "\\")
        hyphen = _HYPHENATED.search(previous)
        second = _NEXT_WORD.match(line.lstrip())
        if _STARTS_BLOCK.match(line) or raw_break:
            out.append(line)
        elif hyphen and second:
            keep = f"{hyphen.group(1)}-{second.group(1)}".lower()
            whole = (hyphen.group(1) + second.group(1)).lower()
            if words[keep] and not words[whole]:  # the text writes "co-operation" elsewhere
                out[-1] = before + line.lstrip()
            else:
                out[-1] = before[:-1] + line.lstrip()
        elif (widest >= MIN_WRAP_WIDTH and len(previous) >= WRAP_SHARE * widest
              and not _ENDS_SENTENCE.search(previous)):
            out[-1] = before + " " + line.lstrip()
        else:
            out.append(line)
        previous = line.rstrip()
    return out


def estimate_pages(text: str) -> int:
    """The pages ``text`` would fill at :data:`WORDS_PER_PAGE` words a page; at least 1.

    An estimate, so words are counted the quick way (runs of non-space; a Markdown link's
    target counts as a word): the regular expression of the editor's exact count costs ten
    times more on a long document."""
    return max(1, math.ceil(len(text.split()) / WORDS_PER_PAGE))
