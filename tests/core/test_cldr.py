"""core.cldr writes dates, spans of time, numbers and language names exactly as Babel does for
English (en_GB), French and Spanish: every month, the patterns the program uses, spans on both
sides of each unit's threshold, and numbers from 1,000 up."""

from __future__ import annotations

import datetime as dt

import pytest
from babel import Locale
from babel.dates import format_date, format_timedelta
from babel.numbers import format_decimal
from PySide6.QtCore import QLocale

from idm_desktop.core import cldr
from idm_desktop.core.formatting import babel_locale

LANGS = ("en", "fr", "es")
PATTERNS = ("d MMMM y", "d 'de' MMMM 'de' y", "d'er' MMMM y", "d MMM y", "MMM y", "LLLL y", "LLLL 'de' y",
            "MMM", "d MMM", "LLLL", "d 'de' MMMM", "d MMMM")


@pytest.mark.parametrize("lang", LANGS)
def test_dates_read_as_babel_writes_them(lang: str) -> None:
    for month in range(1, 13):
        for day in (1, 9, 26):
            d = dt.date(2006, month, day)
            for pattern in PATTERNS:
                babel = format_date(d, pattern, locale=babel_locale(lang))
                assert cldr.format_date(d, pattern, lang) == babel


def test_other_languages_and_fields_are_left_to_babel() -> None:
    assert cldr.format_date(dt.date(2006, 7, 12), "d MMM y", "de") is None
    assert cldr.format_date(dt.date(2006, 7, 12), "EEEE d MMM", "en") is None
    assert cldr.relative(dt.timedelta(hours=5), "en") is None
    assert cldr.relative(dt.timedelta(days=400), "de") is None
    assert cldr.whole_number(10_000, "de") is None


@pytest.mark.parametrize("lang", LANGS)
def test_spans_read_as_babel_writes_them(lang: str) -> None:
    days = [1, 2, 5, 6, 7, 13, 25, 26, 27, 40, 45, 59, 61, 75, 90, 300, 310, 311, 365, 400, 547, 548,
            730, 7300, 7400]
    for n in days:
        for sign in (1, -1):
            delta = dt.timedelta(days=sign * n, hours=sign * 7)
            assert cldr.relative(delta, lang) == format_timedelta(
                delta, add_direction=True, locale=babel_locale(lang)), (n, sign)


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_and_language_names_read_as_babel_writes_them(lang: str) -> None:
    for n in (1000, 1001, 9999, 10_000, 123_456, 1_234_567, -1234, -12_345):
        if lang == "es" and abs(n) < 10_000:
            # CLDR's minimum grouping digits for Spanish (2), which Babel does not apply and Qt does.
            assert cldr.whole_number(n, lang) == str(n) == QLocale("es").toString(n)
        else:
            assert cldr.whole_number(n, lang) == format_decimal(n, locale=babel_locale(lang))
    for code in LANGS:
        assert cldr.LANGUAGE_NAMES[lang][code] == Locale(lang).languages[code]


def test_the_public_pages_write_counts_as_the_desktop_does() -> None:
    from idm_desktop.server.pagekit import number

    assert [number(n, "es") for n in (1229, 12_290)] == ["1229", "12.290"]
    assert number(1229, "fr") == "1\u202f229"
    assert number(1229, "en") == "1,229"
