"""Deadline reminders, worked out on the desktop without any network: 7 days before, then 1 day
before, until the deadline (the end of its day in Geneva) passes."""

from __future__ import annotations

import datetime as dt

from idm_desktop.core.i18n import set_ui_language
from idm_desktop.core.notices import reminder_text, reminders
from idm_desktop.core.workshops import Deadline, EventKind, EventStatus, Workshop

DUE = Deadline(date=dt.date(2006, 6, 26))  # 23:59:59 in Geneva = 21:59:59 UTC in summer


def event(deadline: Deadline | None = DUE, ident: str = "w") -> Workshop:
    return Workshop(id=ident, kind=EventKind.WORKSHOP, year=2006, title={"en": "Integration"},
                    status=EventStatus.CONFIRMED, deadline=deadline)


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2006, 6, day, hour, tzinfo=dt.UTC)


def test_seven_days_then_one_day_then_none() -> None:
    assert reminders([event()], at(18)) == []  # 8 days left
    (week,) = reminders([event()], at(19))
    assert (week.days, week.days_left) == (7, 7)
    assert [r.days for r in reminders([event()], at(24))] == [7]  # 2 days left: still the week's
    (day,) = reminders([event()], at(25))
    assert (day.days, day.days_left) == (1, 1)
    assert reminders([event()], at(26, 21))[0].days_left == 0  # the last day, before 23:59 in Geneva
    assert reminders([event()], at(26, 22)) == []  # passed
    assert reminders([event(None)], at(25)) == []


def test_counted_in_geneva_and_sorted() -> None:
    # 23:30 UTC on the 18th is already the 19th in Geneva: 7 days left there.
    assert reminders([event()], dt.datetime(2006, 6, 18, 23, 30, tzinfo=dt.UTC))[0].days_left == 7
    later = event(Deadline(date=dt.date(2006, 6, 30)), "later")
    assert [r.workshop_id for r in reminders([later, event()], at(25))] == ["w", "later"]


def test_reminder_text_in_three_languages() -> None:
    (r,) = reminders([event()], at(23))
    try:
        assert reminder_text(r, "Integration", "en") == "Deadline in 3 days: Integration (26 June 2006)."
        set_ui_language("fr")
        assert reminder_text(r, "Intégration", "fr").endswith("(26 juin 2006).")
        set_ui_language("es")
        assert "26 de junio de 2006" in reminder_text(r, "Integración", "es")
    finally:
        set_ui_language("en")
