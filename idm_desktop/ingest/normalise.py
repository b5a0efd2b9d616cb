"""Shaping extracted text the same way for every format, and estimating its length in pages."""

from __future__ import annotations

import math
import unicodedata

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


def estimate_pages(text: str) -> int:
    """The pages ``text`` would fill at :data:`WORDS_PER_PAGE` words a page; at least 1.

    An estimate, so words are counted the quick way (runs of non-space; a Markdown link's
    target counts as a word): the regular expression of the editor's exact count costs ten
    times more on a long document."""
    return max(1, math.ceil(len(text.split()) / WORDS_PER_PAGE))
