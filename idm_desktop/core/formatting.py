"""Dates, deadlines and labels as the program shows them (CLDR through Babel or core.cldr, gettext).

Shared by the window, the command line, the check and the exports: the one place where a date or
a time becomes text, so that one window never shows "Dec 6, 2026", "06/12/2026" and "6/12/26"
side by side. Callers pass the language (the UI's, or a submission's); the helpers never read it
themselves, so a test can ask for any. The forms, in each language:

- :func:`long_date`: "26 June 2006", "26 juin 2006", "26 de junio de 2006" (prose, exports);
- :func:`short_date`: "26 Jun 2006", "26 juin 2006", "26 jun 2006" (tables, facts, choices);
- :func:`clock_time`: "10:42" (24-hour everywhere);
- :func:`date_time`: "26 Jun 2006, 10:42", "26 juin 2006 à 10 h 42", "26 jun 2006, 10:42".

Times are shown in the computer's time zone; a time without a zone is UTC (as stored).
"""

from __future__ import annotations

import datetime as dt

from idm_desktop.core import cldr
from idm_desktop.core.i18n import N_, _, ngettext
from idm_desktop.core.workshops import DatePrecision, Deadline, EventKind, EventStatus, Workshop

# Beyond this many days a countdown in days stops being useful: "in 3 months", "20 years ago".
DAYS_COUNTED = 60

# English dates the way the organisation prints them ("12–13 Jul 2006", not "Jul 12 – 13, 2006").
_BABEL_LOCALES = {"en": "en_GB"}

# Day, month in words, year (UN style); Babel gives the month names. Babel's own "long"
# formats differ ("June 26, 2006" in en), so the patterns are spelled out.
_LONG_DATE = {"en": "d MMMM y", "fr": "d MMMM y", "es": "d 'de' MMMM 'de' y"}
_FRENCH_FIRST = "d'er' MMMM y"

# The en dash of a range of dates, with plain spaces where the range is spaced.
RANGE_DASH = "\u2013"


def babel_locale(lang: str) -> str:
    """The Babel locale whose date formats suit ``lang`` in this program."""
    return _BABEL_LOCALES.get(lang, lang)


def decimal(x: float, lang: str) -> str:
    """1.8 with one decimal as ``lang`` writes it: "1.8", "1,8"."""
    from babel.numbers import format_decimal

    return str(format_decimal(x, "0.0", locale=babel_locale(lang)))


def _format_date(d: dt.date, pattern: str, lang: str) -> str:
    """Babel's format_date; the program's three languages without loading Babel (core.cldr)."""
    quick = cldr.format_date(d, pattern, lang)
    if quick is not None:
        return quick
    from babel.dates import format_date  # loaded by the first date in another language

    return str(format_date(d, pattern, locale=babel_locale(lang)))


def long_date(d: dt.date, lang: str) -> str:
    """"26 June 2006", "26 juin 2006" ("1er juin 2006"), "26 de junio de 2006"; another
    language falls back to English."""
    if lang not in _LONG_DATE:
        lang = "en"
    pattern = _LONG_DATE[lang]
    if lang == "fr" and d.day == 1:
        pattern = _FRENCH_FIRST
    return _format_date(d, pattern, lang)


def short_date(d: dt.date, lang: str) -> str:
    """"6 Dec 2026", "6 déc. 2026", "6 dic 2026": day, abbreviated month, year (the
    organisation's order in every language, as in :func:`event_dates`)."""
    return _format_date(d, "d MMM y", lang)


def month_year(d: dt.date, lang: str) -> str:
    """"Jul 2006", "juil. 2006", "jul 2006"."""
    return _format_date(d, "MMM y", lang)


_LONG_MONTH = {"es": "LLLL 'de' y"}


def long_month(d: dt.date, lang: str) -> str:
    """A month in words, for a date known only to the month: "July 2006", "juillet 2006",
    "julio de 2006"."""
    return _format_date(d, _LONG_MONTH.get(lang, "LLLL y"), lang)


def local(when: dt.datetime) -> dt.datetime:
    """``when`` in the computer's time zone (a naive time is taken as UTC, as stored)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone()


def hour(t: dt.time | dt.datetime, lang: str) -> str:
    """A time of day as a sentence writes it, 24-hour clock: "17:00"; in French "17 h 00", "6 h 14"
    (no-break spaces, the hour without a leading zero), as the United Nations' French documents do."""
    if lang.split("_")[0].split("-")[0] == "fr":
        return f"{t.hour}\u00a0h\u00a0{t:%M}"
    return f"{t:%H:%M}"


def clock_time(when: dt.datetime, lang: str) -> str:
    """"10:42" ("10 h 42" in French): the local time of ``when``, 24-hour clock."""
    return hour(local(when), lang)


def date_time(when: dt.datetime, lang: str) -> str:
    """"6 Dec 2026, 10:42" ("6 déc. 2026 à 10 h 42"): the local date and time of ``when``."""
    moment = local(when)
    return _("{date}, {time}").format(date=short_date(moment.date(), lang),
                                      time=clock_time(moment, lang))


def date_time_zone(when: dt.datetime, lang: str) -> str:
    """"6 Dec 2026, 10:42 CET": :func:`date_time` with the computer's time zone named (its
    abbreviation, else its offset from UTC, "UTC+05:30"), for a moment read on its own."""
    moment = local(when)
    name = moment.tzname() or ""
    if not name or not name.isalpha():
        offset = moment.utcoffset() or dt.timedelta(0)
        minutes = int(offset.total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        hours, mins = divmod(abs(minutes), 60)
        name = "UTC" if minutes == 0 else f"UTC{sign}{hours:02d}:{mins:02d}"
    return f"{date_time(when, lang)} {name}"


def event_dates(w: Workshop, lang: str) -> str:
    """"12–13 Jul 2006", "30 Nov – 2 Dec 2005", "8 Mar 2006", "Jul 2006", "Nov–Dec 2005" (only the
    months known).

    The range is put together here, in the organisation's style (a closed-up en dash between
    two days or two months, a spaced one between two full dates), from Babel's month names
    only: CLDR's interval patterns change between releases (thin spaces around the dash since
    CLDR 47), and a date printed in a workshop list must not.
    """
    if w.start is None:
        return ""
    start = w.start
    end = w.end if w.end is not None and w.end > w.start else None

    def fmt(d: dt.date, pattern: str) -> str:
        return _format_date(d, pattern, lang)

    if w.date_precision is DatePrecision.MONTH:
        if end is None or (end.year, end.month) == (start.year, start.month):
            return month_year(start, lang)
        if end.year == start.year:
            return f"{fmt(start, 'MMM')}{RANGE_DASH}{fmt(end, 'MMM y')}"
        return f"{fmt(start, 'MMM y')} {RANGE_DASH} {fmt(end, 'MMM y')}"
    if end is None:
        return fmt(start, "d MMM y")
    if (end.year, end.month) == (start.year, start.month):
        return f"{start.day}{RANGE_DASH}{fmt(end, 'd MMM y')}"
    if end.year == start.year:
        return f"{fmt(start, 'd MMM')} {RANGE_DASH} {fmt(end, 'd MMM y')}"
    return f"{fmt(start, 'd MMM y')} {RANGE_DASH} {fmt(end, 'd MMM y')}"


def meeting_dates(w: Workshop, lang: str) -> str:
    """The dates of a meeting in words, as a heading prints them: "12–13 July 2006",
    "12–13 juillet 2006", "12–13 de julio de 2006", "30 November – 2 December 2005",
    "July 2006", "November–December 2005" (only the months known); "" when the catalog has no date."""
    if w.start is None:
        return ""
    start = w.start
    end = w.end if w.end is not None and w.end > w.start else None

    def fmt(d: dt.date, pattern: str) -> str:
        return _format_date(d, pattern, lang)

    if w.date_precision is DatePrecision.MONTH:
        month_year = _LONG_MONTH.get(lang, "LLLL y")
        if end is None or (end.year, end.month) == (start.year, start.month):
            return fmt(start, month_year)
        if end.year == start.year:  # "November–December 2005"
            return f"{fmt(start, 'LLLL')}{RANGE_DASH}{fmt(end, month_year)}"
        return f"{fmt(start, month_year)} {RANGE_DASH} {fmt(end, month_year)}"
    if end is None:
        return long_date(start, lang)
    if (end.year, end.month) == (start.year, start.month):
        first = "1er" if lang == "fr" and start.day == 1 else str(start.day)
        return f"{first}{RANGE_DASH}{long_date(end, lang)}"
    if end.year == start.year:
        day_month = "d 'de' MMMM" if lang == "es" else "d MMMM"
        return f"{fmt(start, day_month)} {RANGE_DASH} {long_date(end, lang)}"
    return f"{long_date(start, lang)} {RANGE_DASH} {long_date(end, lang)}"


def deadline_time(deadline: Deadline, lang: str) -> str | None:
    """The deadline's time of day where it is not the end of the day: "17:00 Geneva time (CET)"
    (the zone's short name as that day has it); None for a deadline at the end of its day."""
    if deadline.time >= dt.time(23, 59):
        return None
    at = deadline.instant
    if deadline.tz in ("Europe/Zurich", "Europe/Geneva"):
        return _("{time} Geneva time ({zone})").format(time=hour(at, lang), zone=at.tzname())
    return f"{hour(at, lang)} ({deadline.tz})"


def deadline_day(deadline: Deadline, lang: str) -> str:
    """The deadline as delegates read it in a list: its date, and its time where that is not the end of
    the day: "15 January 2027", "15 January 2027, 17:00 Geneva time (CET)"."""
    day = long_date(deadline.date, lang)
    at = deadline_time(deadline, lang)
    return day if at is None else _("{date}, {time}").format(date=day, time=at)


ZONE_PLACES = {"Europe/Zurich": N_("Geneva time")}
"""The time zones the secretariat sets deadlines in, named as a delegate says them (the zone of
Geneva is called after Zurich in the tz database, which nobody at the Council would write)."""


def zone_label(instant: dt.datetime, tz: str, lang: str) -> str:
    """"Geneva time (CEST, UTC+2)": the place, then the abbreviation and offset in force at ``instant``
    (a deadline in winter falls in CET, UTC+1). A zone with no name of ours is named by CLDR."""
    from zoneinfo import ZoneInfo

    place = ZONE_PLACES.get(tz)
    if place:
        name = _(place)
    else:  # babel.dates takes some 15 ms to load: only for a zone without a name of ours
        from babel.dates import get_timezone_location

        name = get_timezone_location(ZoneInfo(tz), locale=babel_locale(lang))
    local_time = instant.astimezone(ZoneInfo(tz))
    offset = local_time.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    utc = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    abbreviation = local_time.tzname() or ""
    if not abbreviation or abbreviation[0] in "+-":  # zones without letters: the offset says it all
        return f"{name} ({utc})"
    return f"{name} ({abbreviation}, {utc})"


def deadline_when(deadline: Deadline, lang: str) -> str:
    """"26 June 2006, 23:59 Geneva time (CEST, UTC+2)"."""
    return _("{date}, {time} {zone}").format(
        date=long_date(deadline.date, lang), time=hour(deadline.time, lang),
        zone=zone_label(deadline.instant, deadline.tz, lang))


def countdown(deadline: Deadline, now: dt.datetime, lang: str) -> str:
    """"13 days left", "due today", "deadline passed 2 days ago", "deadline passed 20 years ago".

    Days are counted in the deadline's time zone (the secretariat's), as the deadline is set.
    """
    days = deadline.days_left(now)
    if not deadline.has_passed(now):
        if days <= 0:
            return _("due today")
        if days <= DAYS_COUNTED:
            return ngettext("{n} day left", "{n} days left", days).format(n=days)
        return _("due {relative}").format(relative=_relative(deadline, now, lang))
    ago = -days
    if ago <= 0:
        return _("deadline passed today")
    if ago <= DAYS_COUNTED:
        return ngettext("deadline passed {n} day ago", "deadline passed {n} days ago", ago).format(n=ago)
    return _("deadline passed {relative}").format(relative=_relative(deadline, now, lang))


def _relative(deadline: Deadline, now: dt.datetime, lang: str) -> str:
    """"in 3 months", "20 years ago": Babel's wording for a long span."""
    from zoneinfo import ZoneInfo

    delta = deadline.instant - now.astimezone(ZoneInfo(deadline.tz))
    quick = cldr.relative(delta, lang)
    if quick is not None:
        return quick
    from babel.dates import format_timedelta

    return str(format_timedelta(delta, add_direction=True, locale=babel_locale(lang)))


def kind_label(kind: EventKind) -> str:
    return {
        EventKind.COUNCIL_SESSION: _("Council session"),
        EventKind.WORKSHOP: _("Workshop"),
        EventKind.EXPERT_WORKSHOP: _("Expert workshop"),
        EventKind.TRAINING: _("Training session"),
        EventKind.BRIEFING: _("Briefing"),
    }[kind]


def city_label(city: str) -> str:
    """The city's name in the UI language, where it has one of its own (Genève, Ginebra)."""
    return {"Geneva": _("Geneva")}.get(city, city)


def status_label(status: EventStatus) -> str:
    return {
        EventStatus.PLANNED: _("planned"),
        EventStatus.TENTATIVE: _("tentative"),
        EventStatus.CONFIRMED: _("confirmed"),
        EventStatus.HELD: _("held"),
    }[status]
