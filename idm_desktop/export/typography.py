"""French typography for the printed text: the spaces a French reader expects.

A delegate types "« oui »", "Note : texte", "80 000" with ordinary spaces (or none), and a
line may then break between "«" and its word. The exports print French as the Imprimerie
nationale and the UN's French service do:

- a no-break space (U+00A0) before ":" and "»" and after "«";
- a narrow no-break space (U+202F) before ";" "!" "?";
- a narrow no-break space between the groups of three digits of a number from 10 000 up
  ("80 000", "12500" printed "12 500"), never in a year, a telephone number ("+221 33 889 00 00"),
  an identifier, a decimal's fractional part or a number written with other separators;
- a no-break space before "%" where a space was typed.

Only spaces are added or replaced, never words: what was typed is still all there. A colon
or a question mark inside a word ("10:30", "https://", "page?id=2") is left alone. Spanish
keeps its ¿ ¡ and needs nothing here; English is printed as typed.
"""

from __future__ import annotations

import re

from idm_desktop.core.quotes import typographic

NBSP = "\u00a0"
NNBSP = "\u202f"

# An ordinary space (or none) before the mark, and after it a space, a closing mark or the end.
_FOLLOWS = r"(?:\s|$|[»)\"”’.,!?])"
_SPACE_BEFORE_COLON = re.compile(rf"(?<=\S)[ \u00a0\u202f]*(?=:{_FOLLOWS})")
_SPACE_BEFORE_SEMICOLON = re.compile(rf"(?<=\S)[ \u00a0\u202f]*(?=[;!?]{_FOLLOWS})")
_SPACE_BEFORE_CLOSING = re.compile(r"(?<=\S)[ \u00a0\u202f]*(?=»)")
_SPACE_AFTER_OPENING = re.compile(r"(?<=«)[ \u00a0\u202f]*(?=\S)")
# A number and the groups of digits typed after it: "80 000", "12500", "+221 33 889 00 00" (the
# "221", after a "+", is never one). Not inside a word or an identifier ("IC/2006/4", "A12345"),
# not the fractional part of a decimal, not a number with a dot between its groups.
_NUMBER = re.compile(r"(?<![\w+#/\\-])(?<!\d[.,])\d+(?:[ \u00a0\u202f]\d+)*(?![\w/])(?!\.\d)")
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]+(?=%)")
# A repeated mark keeps its one space ("?!", "!!") : only the first gets the space.
_AFTER_MARK = re.compile(r"(?<=[:!?;])[\u00a0\u202f](?=[:!?;])")


# Where a run of formatting ends or starts mid-sentence ("**étrangers** ;", "«*mot*»").
_SPACE_AT_START = re.compile(r"^[ \u00a0\u202f]*(?=[:!?»](?:\s|$)|;(?:\s|$)|»)")
_SPACE_AT_END = re.compile(r"(?<=«)[ \u00a0\u202f]*$")


def french(text: str, *, after_text: bool = False, before_text: bool = False) -> str:
    """``text`` with French spacing (see the module's docstring).

    ``after_text``/``before_text``: the text is one run of a paragraph, with text of another
    run (bold, a link) right before/after it, so a mark at its start or a "«" at its end
    still gets its space.
    """
    if not text:
        return text
    if after_text:
        m = _SPACE_AT_START.match(text)
        if m is not None:
            space = NNBSP if text[m.end() :].startswith((";", "!", "?")) else NBSP
            text = space + text[m.end() :]
    if before_text:
        text = _SPACE_AT_END.sub(NBSP, text)
    text = _SPACE_BEFORE_SEMICOLON.sub(NNBSP, text)
    text = _SPACE_BEFORE_COLON.sub(NBSP, text)
    text = _AFTER_MARK.sub("", text)
    text = _SPACE_BEFORE_CLOSING.sub(NBSP, text)
    text = _SPACE_AFTER_OPENING.sub(NBSP, text)
    text = _SPACE_BEFORE_PERCENT.sub(NBSP, text)
    return _NUMBER.sub(_grouped, text)


def _grouped(m: re.Match[str]) -> str:
    """A number with its groups of three digits joined by narrow no-break spaces, from 10 000 up;
    digits grouped otherwise (a telephone number, "en 2006 500 personnes") are left as typed."""
    groups = re.split(r"[ \u00a0\u202f]", m.group())
    first = groups[0]
    if first.startswith("0") and len(first) > 1:
        return m.group()  # "022 717 91 11", "00041": a telephone number or a code
    if len(groups) > 1:
        if len(first) > 3 or any(len(g) != 3 for g in groups[1:]):
            return m.group()
        return NNBSP.join(groups)
    if len(first) < 5:
        return first  # years and numbers under 10 000 are written without a space
    head = len(first) % 3 or 3
    return NNBSP.join([first[:head], *(first[i:i + 3] for i in range(head, len(first), 3))])


def for_language(text: str, lang: str) -> str:
    """``text`` as it is printed in ``lang``: typographic apostrophes and quotes (straight ones left
    by a paste or an import from Word), and French spacing for French."""
    text = typographic(text, lang)
    return french(text) if lang == "fr" else text
