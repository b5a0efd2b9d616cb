"""Three-way merge of a submission, section by section (DESIGN §5, "Conflict").

Edits to different sections merge silently; the same section edited differently on both sides
becomes a :class:`SectionConflict` that keeps all three texts until the user resolves it.
Never last-writer-wins, never silent loss: where a conflict waits, the merged body holds *mine*.

Texts that differ only by line endings or trailing whitespace count as equal, but the texts kept
are always one side's exact text, never a normalised copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import _

TITLE_KEY = "__title__"
"""The conflict key of the title; no section key can look like it."""


@dataclass(frozen=True, slots=True)
class SectionConflict:
    """One section (or the title, key :data:`TITLE_KEY`) edited differently on both sides."""

    key: str
    base: str
    mine: str
    theirs: str


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged title and body; for each conflicting key they hold *mine*."""

    title: str
    body: Mapping[str, str]
    conflicts: tuple[SectionConflict, ...] = ()

    @property
    def clean(self) -> bool:
        """True when nothing waits for the user."""
        return not self.conflicts


def normalise(text: str) -> str:
    """``text`` as it is compared: LF line endings, no trailing whitespace on any line or at the end."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip()


def _merge_one(base: str | None, mine: str | None, theirs: str | None) -> tuple[str | None, bool]:
    """The merged text of one key (``None``: absent) and whether it is a conflict.

    Exact comparisons come first so that an untouched side always yields the other side's exact
    text (``merge3(b, b, y) == y``); only then are whitespace-only differences forgiven, keeping mine.
    """
    if mine == theirs:
        return mine, False
    if mine == base:
        return theirs, False
    if theirs == base:
        return mine, False
    n_base, n_mine, n_theirs = (normalise(t or "") for t in (base, mine, theirs))
    if n_mine == n_theirs:
        return mine, False
    if n_mine == n_base:
        return theirs, False
    if n_theirs == n_base:
        return mine, False
    return mine, True


def _ordered_keys(*bodies: Mapping[str, str]) -> list[str]:
    """Every key, in order of first appearance in ``bodies`` (mine, theirs, base)."""
    return list(dict.fromkeys(key for body in bodies for key in body))


def merge3(
    base_title: str,
    base_body: Mapping[str, str],
    mine_title: str,
    mine_body: Mapping[str, str],
    theirs_title: str,
    theirs_body: Mapping[str, str],
) -> MergeResult:
    """Merge *mine* (local edits) and *theirs* (the server's) against their common *base*.

    Per key (the title, then every section of mine, theirs and base in that order): the same text on
    both sides is kept; a side equal to the base takes the other side; otherwise it is a conflict.
    A missing section counts as empty text, so deleting a section's text while the other side edits
    it is a conflict too.
    """
    conflicts: list[SectionConflict] = []
    title, clash = _merge_one(base_title, mine_title, theirs_title)
    if clash:
        conflicts.append(SectionConflict(TITLE_KEY, base_title, mine_title, theirs_title))
    body: dict[str, str] = {}
    for key in _ordered_keys(mine_body, theirs_body, base_body):
        base, mine, theirs = base_body.get(key), mine_body.get(key), theirs_body.get(key)
        text, clash = _merge_one(base, mine, theirs)
        if clash:
            conflicts.append(SectionConflict(key, base or "", mine or "", theirs or ""))
        if text is not None:
            body[key] = text
    return MergeResult(title=title or "", body=body, conflicts=tuple(conflicts))  # titles are never None


def _names(keys: Iterable[str]) -> str:
    return ", ".join(_("the title") if key == TITLE_KEY else key for key in keys)


def resolve(result: MergeResult, choices: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """Apply the user's text for each conflicting key and return the final ``(title, body)``.

    ``choices`` maps each conflict's key (:data:`TITLE_KEY` for the title) to the text the user
    settled on. Every conflict needs a choice; a choice for a key that is not in conflict is a
    caller's bug and raises :class:`ValueError`.
    """
    conflict_keys = [c.key for c in result.conflicts]
    missing = [key for key in conflict_keys if key not in choices]
    if missing:
        raise InvalidInputError(
            _("Choose a text for every conflicting section first; still unresolved: {sections}.").format(
                sections=_names(missing)
            )
        )
    extra = sorted(set(choices) - set(conflict_keys))
    if extra:
        raise ValueError(f"choices for keys that are not in conflict: {extra}")
    title = choices.get(TITLE_KEY, result.title)
    body = dict(result.body)
    for key in conflict_keys:
        if key != TITLE_KEY:
            body[key] = choices[key]
    return title, body
