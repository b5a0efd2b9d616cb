"""The readable history: editing sessions as one entry, names, "restored from version N"."""

from __future__ import annotations

import datetime as dt

from idm_desktop.core.history import describe, group_history
from idm_desktop.core.submissions import HistoryEntry, SaveReason

T0 = dt.datetime(2006, 6, 20, 9, 0, tzinfo=dt.UTC)


def entry(n: int, minutes: float, reason: SaveReason = SaveReason.AUTOSAVE, author: str = "ana",
          name: str | None = None, restored_from: int | None = None) -> HistoryEntry:
    return HistoryEntry(seq=100 + n, submission_id="s", at=T0 + dt.timedelta(minutes=minutes),
                        author=author, reason=reason, title="", version=n, name=name,
                        restored_from=restored_from)


def test_consecutive_autosaves_of_one_author_are_one_entry() -> None:
    entries = [entry(1, 0, SaveReason.CREATE), entry(2, 1), entry(3, 2), entry(4, 20),
               entry(5, 21, SaveReason.MANUAL), entry(6, 22), entry(7, 90),  # a pause: new session
               entry(8, 91, author="ben")]
    groups = group_history(entries)
    assert [[e.version for e in g.entries] for g in groups] == [[1], [2, 3, 4], [5], [6], [7], [8]]
    assert groups[1].latest.version == 4  # what Restore brings back: the session's last text
    assert groups[1].is_session
    assert not groups[0].is_session


def test_a_named_version_ends_its_session_and_restores_say_from_which() -> None:
    entries = [entry(1, 0), entry(2, 1, name="sent to the ministry"), entry(3, 2), entry(4, 3),
               entry(5, 4, SaveReason.RESTORE, restored_from=2)]
    groups = group_history(entries)
    assert [[e.version for e in g.entries] for g in groups] == [[1, 2], [3, 4], [5]]
    assert describe(entries[4]) == "restored from version 2"
    assert describe(entries[1]) == "autosave"
