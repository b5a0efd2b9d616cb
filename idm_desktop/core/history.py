"""The history as a person reads it: one entry per editing session, not one per autosave.

Autosaves follow the typing (about one a second while someone writes), so a morning's work is
hundreds of versions. Consecutive autosaves by one author, none more than
:data:`SESSION_GAP` after the one before, read as one entry ("Edited, 10:02–10:41, 37 saves");
every version stays in the history and can be restored one by one. A named version, and any
save that is not an autosave (saved by you, restored, synced, submitted), is an entry of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import HistoryEntry, SaveReason, reason_label

SESSION_GAP = dt.timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class HistoryGroup:
    """One entry of the readable history: one version, or an editing session's autosaves."""

    entries: tuple[HistoryEntry, ...]  # oldest first

    @property
    def latest(self) -> HistoryEntry:
        """The version the entry stands for (its last): what Restore brings back."""
        return self.entries[-1]

    @property
    def first(self) -> HistoryEntry:
        return self.entries[0]

    @property
    def is_session(self) -> bool:
        return len(self.entries) > 1


def describe(entry: HistoryEntry) -> str:
    """Why the version was saved, in words: "restored from version 3", "autosave", …"""
    if entry.reason is SaveReason.RESTORE and entry.restored_from is not None:
        return _("restored from version {n}").format(n=entry.restored_from)
    if entry.reason is SaveReason.SUGGESTION and entry.suggested_by:
        return _("suggestion by {reviewer} accepted by {drafter}").format(
            reviewer=entry.suggested_by, drafter=entry.author)
    return reason_label(entry.reason)


def group_history(entries: Sequence[HistoryEntry],
                  gap: dt.timedelta = SESSION_GAP) -> list[HistoryGroup]:
    """The entries (oldest first) gathered into readable entries, oldest first."""
    groups: list[list[HistoryEntry]] = []
    for entry in entries:
        last = groups[-1][-1] if groups else None
        if (last is not None and entry.reason is SaveReason.AUTOSAVE
                and last.reason is SaveReason.AUTOSAVE and last.name is None
                and entry.author == last.author and entry.at - last.at <= gap):
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return [HistoryGroup(tuple(g)) for g in groups]
