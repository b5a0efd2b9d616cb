"""An event's status as it reads on a given day: a past event was held, whatever the catalog,
written before it, still says."""

from __future__ import annotations

import datetime as dt

from idm_desktop.core.workshops import DatePrecision, EventKind, EventStatus, Workshop


def _event(status: EventStatus, start: dt.date, end: dt.date | None = None,
           precision: DatePrecision = DatePrecision.DAY) -> Workshop:
    return Workshop(id="idm2006-environment", kind=EventKind.WORKSHOP, year=2006,
                    title={"en": "Migration and the Environment"}, status=status, start=start,
                    end=end, date_precision=precision)


def test_a_tentative_event_of_2006_reads_as_held_in_2026() -> None:
    event = _event(EventStatus.TENTATIVE, dt.date(2006, 10, 25), dt.date(2006, 10, 26))
    assert event.status_on(dt.date(2026, 12, 7)) is EventStatus.HELD
    assert event.status_on(dt.date(2006, 10, 26)) is EventStatus.TENTATIVE  # its last day: not yet
    assert event.status_on(dt.date(2006, 10, 27)) is EventStatus.HELD


def test_an_event_known_by_its_month_is_held_once_the_month_is_over() -> None:
    event = _event(EventStatus.PLANNED, dt.date(2006, 12, 1), precision=DatePrecision.MONTH)
    assert event.status_on(dt.date(2006, 12, 31)) is EventStatus.PLANNED
    assert event.status_on(dt.date(2007, 1, 1)) is EventStatus.HELD


def test_an_undated_event_keeps_the_catalog_s_status() -> None:
    undated = Workshop(id="x", kind=EventKind.WORKSHOP, year=2026, title={"en": "X"},
                       status=EventStatus.PLANNED)
    assert undated.status_on(dt.date(2026, 12, 7)) is EventStatus.PLANNED
