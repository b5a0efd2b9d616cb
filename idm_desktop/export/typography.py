"""French typography for the printed text: the spaces a French reader expects.

A delegate types "« oui »", "Note : texte", "80 000" with ordinary spaces (or none), and a
line may then break between "«" and its word. The exports print French as the Imprimerie
nationale and the UN's French service do:

- a no-break space (U+00A0) before ":" and "»" and after "«";
- a narrow no-break space (U+202F) before ";" "!" "?";
- a narrow no-break space between the groups of three digits of a number ("80 000").

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
# Digit groups: "80 000", "1 250 000" (an ordinary or no-break space between them).
_DIGIT_GROUP = re.compile(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))")
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
    return _DIGIT_GROUP.sub(NNBSP, text)


def for_language(text: str, lang: str) -> str:
    """``text`` as it is printed in ``lang``: typographic apostrophes and quotes (straight ones left
    by a paste or an import from Word), and French spacing for French."""
    text = typographic(text, lang)
    return french(text) if lang == "fr" else text
