"""Turn what a user types into a search box into a safe FTS5 query.

Users type plain questions, quoted phrases, ``word*`` prefixes, ``-word`` or ``NOT word``
exclusions and ``OR``; stray quotes, parentheses and operators must never raise. Every term
is emitted as an FTS5 string ("…"), so no user character is ever read as FTS5 syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from idm_desktop.core.errors import SearchQueryError
from idm_desktop.core.i18n import _

# A phrase in double quotes (typographic ones too), or a run of non-space characters.
_TOKEN = re.compile(r'(-?)["“”„«]([^"“”„»]*)["“”„»]|(\S+)')
# What FTS5's unicode61 tokenizer would keep as word characters.
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class FtsQuery:
    """Two forms of the same query: every term required, or any term enough."""

    all_terms: str
    any_term: str | None  # None when the query has a single positive term (same as all_terms)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def to_fts(user_text: str) -> FtsQuery:
    """Translate ``user_text``; raises SearchQueryError (a clear line) when nothing is left."""
    positives: list[str] = []
    negatives: list[str] = []
    groups: list[list[str]] = [[]]  # OR-separated groups of required terms
    negate_next = False
    for match in _TOKEN.finditer(user_text):
        minus, phrase, raw = match.group(1), match.group(2), match.group(3)
        if raw is not None:
            if raw == "OR":
                if groups[-1]:
                    groups.append([])
                continue
            if raw in ("AND", "NEAR", "+"):
                continue
            if raw == "NOT":
                negate_next = True
                continue
            negative = raw.startswith("-") and len(raw) > 1
            prefix = raw.rstrip(")").endswith("*")
            words = _WORDS.findall(raw)
            if not words:
                continue
            if len(words) == 1:
                term = _quote(words[0]) + ("*" if prefix else "")
            else:  # "l’État", "well-being": a phrase of its parts, as the index holds them
                term = _quote(" ".join(words)) + ("*" if prefix else "")
        else:
            negative = bool(minus)
            words = _WORDS.findall(phrase or "")
            if not words:
                continue
            term = _quote(" ".join(words))
        if negative or negate_next:
            negatives.append(term)
            negate_next = False
        else:
            positives.append(term)
            groups[-1].append(term)
    groups = [g for g in groups if g]
    if not positives:
        if negatives:
            raise SearchQueryError(_("Add a word to search for, not only words to leave out."))
        raise SearchQueryError(_("Type a word to search for."))
    not_part = "".join(f" NOT {n}" for n in negatives)
    if len(groups) > 1:
        all_terms = " OR ".join("(" + " AND ".join(g) + ")" for g in groups)
    else:
        all_terms = " AND ".join(groups[0])
    all_terms = f"({all_terms}){not_part}" if not_part else all_terms
    any_term: str | None = None
    if len(positives) > 1:
        any_term = "(" + " OR ".join(dict.fromkeys(positives)) + ")" + not_part
    return FtsQuery(all_terms=all_terms, any_term=any_term)
