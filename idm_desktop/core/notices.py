"""Notices of the secretariat, and the deadline reminders a desktop works out offline
(DESIGN §14): 7 days before a workshop's deadline, then 1 day before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from idm_desktop.core.formatting import long_date
from idm_desktop.core.i18n import _, plural
from idm_desktop.core.text import pick
from idm_desktop.core.workshops import Workshop

REMINDER_DAYS = (7, 1)


@dataclass(frozen=True, slots=True)
class Notice:
    id: str
    workshop_id: str | None
    text: Mapping[str, str] = field(default_factory=dict)
    created_at: dt.datetime | None = None
    read: bool = False

    def text_in(self, lang: str) -> str:
        return pick(dict(self.text), lang)


@dataclass(frozen=True, slots=True)
class Reminder:
    """A deadline coming: ``days`` is the reminder (7 or 1), ``days_left`` the days counted in
    Geneva, ``at`` the deadline itself."""

    workshop_id: str
    days: int
    days_left: int
    at: dt.datetime


def reminders(workshops: Iterable[Workshop], now: dt.datetime) -> list[Reminder]:
    """The reminders due at ``now``: once 7 days are left, then once 1 day is left, until the
    deadline passes; soonest first."""
    found = []
    for w in workshops:
        if w.deadline is None or w.deadline.has_passed(now):
            continue
        left = w.deadline.days_left(now)
        due = [d for d in REMINDER_DAYS if left <= d]
        if due:
            found.append(Reminder(w.id, min(due), left, w.deadline.instant))
    return sorted(found, key=lambda r: (r.at, r.workshop_id))


def reminder_text(r: Reminder, title: str, lang: str) -> str:
    """ "Deadline in 3 days: <workshop> (26 June 2006)." in the UI language."""
    day = long_date(r.at.date(), lang)
    if r.days_left <= 0:
        return _("Deadline today: {workshop} ({date}).").format(workshop=title, date=day)
    return plural("Deadline in {n} day: {workshop} ({date}).", "Deadline in {n} days: {workshop} ({date}).",
                  r.days_left, workshop=title, date=day)
