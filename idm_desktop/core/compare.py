"""Two versions of a submission side by side, section by section, with word-level changes (DESIGN §13)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class Change:
    """One run of words: ``equal``, ``delete`` (only in the old), ``insert`` (only in the new) or
    ``replace``."""

    op: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class SectionDiff:
    key: str
    old: str
    new: str
    changes: tuple[Change, ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new


def words(text: str) -> list[str]:
    """``text`` cut into words and the spaces between them (joined again, it is ``text``)."""
    return _WORDS.findall(text)


def diff_text(old: str, new: str) -> tuple[Change, ...]:
    """The word-level changes from ``old`` to ``new``."""
    a, b = words(old), words(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return tuple(Change(op, "".join(a[i1:i2]), "".join(b[j1:j2]))
                 for op, i1, i2, j1, j2 in matcher.get_opcodes())


def compare(old: Mapping[str, str], new: Mapping[str, str], keys: Sequence[str] = ()) -> list[SectionDiff]:
    """Every section of either version (``keys`` first, in the template's order)."""
    order = list(keys) + sorted((set(old) | set(new)) - set(keys))
    return [SectionDiff(k, old.get(k, ""), new.get(k, ""), diff_text(old.get(k, ""), new.get(k, "")))
            for k in order if k in old or k in new]


def marked(changes: Sequence[Change]) -> str:
    """The changes inline: ``[-removed-]`` and ``{+added+}`` (git's word-diff marks)."""
    out = []
    for c in changes:
        if c.op == "equal":
            out.append(c.old)
            continue
        if c.old:
            out.append(f"[-{c.old}-]")
        if c.new:
            out.append(f"{{+{c.new}+}}")
    return "".join(out)
