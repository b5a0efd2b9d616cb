"""Dates as the United Nations prints them, in the three official languages."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

# Day, month in words, year: "26 June 2006", "26 juin 2006", "26 de junio de 2006".
# Babel's "long" formats differ ("June 26, 2006" in en), so the patterns are spelled out;
# Babel supplies the month names.
_PATTERNS = {
    "en": "d MMMM y",
    "fr": "d MMMM y",
    "es": "d 'de' MMMM 'de' y",
}
# French writes the first day of a month as an ordinal: "1er juin 2006".
_FRENCH_FIRST = "d'er' MMMM y"


def un_date(d: dt.date, lang: str) -> str:
    """``d`` in UN style in ``lang`` (en, fr or es; any other language falls back to en)."""
    if lang not in _PATTERNS:
        lang = "en"
    pattern = _FRENCH_FIRST if lang == "fr" and d.day == 1 else _PATTERNS[lang]
    return str(format_date(d, pattern, locale=lang))
