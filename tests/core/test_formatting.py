"""Date ranges are put together by the program, not by CLDR's interval patterns, so a
minor upgrade of Babel cannot change how a workshop's dates read; and one short form of a date,
and of a date with its time, per language."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from idm_desktop.core.formatting import clock_time, date_time, deadline_day, event_dates, short_date
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.core.workshops import DatePrecision, Deadline, EventKind, EventStatus, Workshop


def _event(start: dt.date | None, end: dt.date | None,
           precision: DatePrecision = DatePrecision.DAY) -> Workshop:
    return Workshop(id="w", kind=EventKind.WORKSHOP, year=2006, title={"en": "W"},
                    status=EventStatus.CONFIRMED, start=start, end=end, date_precision=precision)


@pytest.mark.parametrize(("start", "end", "precision", "lang", "expected"), [
    (dt.date(2006, 7, 12), dt.date(2006, 7, 13), DatePrecision.DAY, "en", "12–13 Jul 2006"),
    (dt.date(2006, 7, 12), dt.date(2006, 7, 13), DatePrecision.DAY, "es", "12–13 jul 2006"),
    (dt.date(2005, 11, 30), dt.date(2005, 12, 2), DatePrecision.DAY, "en", "30 Nov – 2 Dec 2005"),
    (dt.date(2005, 11, 30), dt.date(2005, 12, 2), DatePrecision.DAY, "fr", "30 nov. – 2 déc. 2005"),
    (dt.date(2005, 12, 30), dt.date(2006, 1, 2), DatePrecision.DAY, "en", "30 Dec 2005 – 2 Jan 2006"),
    (dt.date(2005, 11, 1), dt.date(2005, 12, 1), DatePrecision.MONTH, "en", "Nov–Dec 2005"),
    (dt.date(2005, 12, 1), dt.date(2006, 1, 1), DatePrecision.MONTH, "en", "Dec 2005 – Jan 2006"),
    (dt.date(2006, 3, 8), None, DatePrecision.DAY, "fr", "8 mars 2006"),
])
def test_ranges_read_in_the_organisations_style(start: dt.date, end: dt.date | None,
                                                precision: DatePrecision, lang: str, expected: str) -> None:
    assert event_dates(_event(start, end, precision), lang) == expected


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_no_thin_or_narrow_spaces_whatever_cldr_says(lang: str) -> None:
    for start, end in [(dt.date(2006, 7, 12), dt.date(2006, 7, 13)),
                       (dt.date(2005, 11, 30), dt.date(2005, 12, 2))]:
        text = event_dates(_event(start, end), lang)
        assert "\u2009" not in text
        assert "\u202f" not in text
        assert "\u2013" in text


@pytest.mark.parametrize(("lang", "day", "moment"), [
    ("en", "6 Dec 2026", "6 Dec 2026, 10:42"),
    ("fr", "6 déc. 2026", "6 déc. 2026 à 10\u00a0h\u00a042"),  # French writes "10 h 42"
    ("es", "6 dic 2026", "6 dic 2026, 10:42"),
])
def test_one_short_date_and_one_date_and_time_per_language(
        lang: str, day: str, moment: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        set_ui_language(lang)  # "{date}, {time}" is a sentence of the catalog
        when = dt.datetime(2026, 12, 6, 10, 42, tzinfo=dt.UTC)
        assert short_date(when.date(), lang) == day
        assert date_time(when, lang) == moment
        assert date_time(when.replace(tzinfo=None), lang) == moment  # stored times are UTC
        assert clock_time(when, lang) == ("10\u00a0h\u00a042" if lang == "fr" else "10:42")
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "15 January 2027, 17:00 Geneva time (CET)"),
    ("fr", "15 janvier 2027 à 17\u00a0h\u00a000 heure de Genève (CET)"),
    ("es", "15 de enero de 2027, 17:00 hora de Ginebra (CET)"),
])
def test_a_deadline_says_its_hour_unless_it_is_the_end_of_the_day(lang: str, said: str) -> None:
    set_ui_language(lang)
    try:
        assert deadline_day(Deadline(dt.date(2027, 1, 15), dt.time(17, 0)), lang) == said
        assert deadline_day(Deadline(dt.date(2027, 1, 15)), lang) == said.split(",")[0].split(" à ")[0]
    finally:
        set_ui_language("en")


def test_a_french_hour_has_no_leading_zero() -> None:
    from idm_desktop.core.formatting import hour

    assert hour(dt.time(6, 14), "fr") == "6\u00a0h\u00a014"
    assert hour(dt.time(17, 0), "fr") == "17\u00a0h\u00a000"
    assert hour(dt.time(6, 14), "en") == hour(dt.time(6, 14), "es") == "06:14"
