"""CLDR's words for the program's three languages, as Babel gives them, without loading Babel.

Formatting a date with Babel costs a one-shot command some 35 ms (its modules and the locale
data it unpickles) before the first line is printed. For English (Babel's ``en_GB``, see
core.formatting), French and Spanish the few words a date, a span of time or a language's name
needs are written out here; tests/core/test_cldr.py holds every one of them equal to Babel's, so
a Babel upgrade that changes CLDR's words fails there, not silently. Anything else (another
language, a pattern not listed) returns None and the caller asks Babel.
"""

from __future__ import annotations

import datetime as dt

# Months: abbreviated (MMM) and wide (MMMM) in the "format" context; the stand-alone wide form
# (LLLL) is the same word in these three languages.
_MONTHS_SHORT = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
           "déc."),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"),
}
_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"),
}

# A span of time with its direction ("in 3 months", "il y a 20 ans"): (future, past) for one and
# for other, by unit, as babel.dates.format_timedelta(add_direction=True) words them.
_SPANS: dict[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "en": {
        "year": (("in {0} year", "{0} year ago"), ("in {0} years", "{0} years ago")),
        "month": (("in {0} month", "{0} month ago"), ("in {0} months", "{0} months ago")),
        "week": (("in {0} week", "{0} week ago"), ("in {0} weeks", "{0} weeks ago")),
        "day": (("in {0} day", "{0} day ago"), ("in {0} days", "{0} days ago")),
    },
    "fr": {
        "year": (("dans {0} an", "il y a {0} an"), ("dans {0} ans", "il y a {0} ans")),
        "month": (("dans {0} mois", "il y a {0} mois"), ("dans {0} mois", "il y a {0} mois")),
        "week": (("dans {0} semaine", "il y a {0} semaine"), ("dans {0} semaines", "il y a {0} semaines")),
        "day": (("dans {0} jour", "il y a {0} jour"), ("dans {0} jours", "il y a {0} jours")),
    },
    "es": {
        "year": (("dentro de {0} año", "hace {0} año"), ("dentro de {0} años", "hace {0} años")),
        "month": (("dentro de {0} mes", "hace {0} mes"), ("dentro de {0} meses", "hace {0} meses")),
        "week": (("dentro de {0} semana", "hace {0} semana"), ("dentro de {0} semanas", "hace {0} semanas")),
        "day": (("dentro de {0} día", "hace {0} día"), ("dentro de {0} días", "hace {0} días")),
    },
}
# Babel's units and their length in seconds, largest first, and its threshold for moving up.
_UNITS = (("year", 3600 * 24 * 365), ("month", 3600 * 24 * 30), ("week", 3600 * 24 * 7),
          ("day", 3600 * 24))
_THRESHOLD = 0.85

# The name of each language in each of them (CLDR), e.g. "anglais" in French.
LANGUAGE_NAMES = {
    "en": {"en": "English", "fr": "French", "es": "Spanish"},
    "fr": {"en": "anglais", "fr": "français", "es": "espagnol"},
    "es": {"en": "inglés", "fr": "francés", "es": "español"},
}


def format_date(d: dt.date, pattern: str, lang: str) -> str | None:
    """``d`` in a CLDR ``pattern`` made of ``d``, ``y``, ``MMM``, ``MMMM``, ``LLLL`` and quoted
    text, as babel.dates.format_date gives it; None for another language or pattern field."""
    if lang not in _MONTHS:
        return None
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "'":
            end = pattern.find("'", i + 1)
            if end < 0:
                return None
            out.append(pattern[i + 1:end] if end > i + 1 else "'")
            i = end + 1
        elif c.isalpha():
            end = i
            while end < len(pattern) and pattern[end] == c:
                end += 1
            value = _field(d, pattern[i:end], lang)
            if value is None:
                return None
            out.append(value)
            i = end
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _field(d: dt.date, field: str, lang: str) -> str | None:
    if field == "d":
        return str(d.day)
    if field == "y":
        return str(d.year)
    if field == "MMM":
        return _MONTHS_SHORT[lang][d.month - 1]
    if field in ("MMMM", "LLLL"):
        return _MONTHS[lang][d.month - 1]
    return None


def relative(delta: dt.timedelta, lang: str) -> str | None:
    """A span of at least a day, with its direction, as babel.dates.format_timedelta(delta,
    add_direction=True) words it ("in 3 months", "il y a 20 ans"); None otherwise."""
    spans = _SPANS.get(lang)
    if spans is None:
        return None
    seconds = delta.total_seconds()
    for unit, length in _UNITS:
        value = abs(seconds) / length
        if value >= _THRESHOLD:
            n = round(value)
            one = n in (0, 1) if lang == "fr" else n == 1  # CLDR's plural rule "one"
            future, past = spans[unit][0 if one else 1]
            return (future if seconds >= 0 else past).replace("{0}", str(n))
    return None


# The digit group separator of a whole number ("10,000", "10 000" with a narrow no-break space,
# "10.000"): Babel groups from 1,000 up in these three languages.
_GROUP = {"en": ",", "fr": "\u202f", "es": "."}


# CLDR's minimumGroupingDigits: Spanish writes 1229 and 12.290 (Babel groups both; Qt's QLocale,
# which the window uses, follows CLDR, so the window and the command line print the same count).
_MIN_GROUPING = {"es": 2}


def whole_number(n: int, lang: str) -> str | None:
    """``n`` as CLDR writes a whole number in ``lang`` ("1,229", "1 229", "1229", "12.290"); None
    for another language."""
    sep = _GROUP.get(lang)
    if sep is None:
        return None
    if abs(n) < 10 ** (2 + _MIN_GROUPING.get(lang, 1)):
        return str(n)
    return f"{n:,}".replace(",", sep)
