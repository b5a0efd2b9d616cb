"""Dates in UN style, in the three official languages."""

from __future__ import annotations

import datetime as dt

import pytest

from idm_desktop.export import un_date


@pytest.mark.parametrize(
    ("day", "lang", "expected"),
    [
        (dt.date(2006, 6, 26), "en", "26 June 2006"),
        (dt.date(2006, 6, 26), "fr", "26 juin 2006"),
        (dt.date(2006, 6, 26), "es", "26 de junio de 2006"),
        (dt.date(2006, 6, 1), "en", "1 June 2006"),
        (dt.date(2006, 6, 1), "fr", "1er juin 2006"),
        (dt.date(2006, 6, 1), "es", "1 de junio de 2006"),
        (dt.date(2006, 2, 22), "fr", "22 février 2006"),
        (dt.date(2005, 12, 1), "fr", "1er décembre 2005"),
        (dt.date(2006, 3, 8), "es", "8 de marzo de 2006"),
        (dt.date(2006, 3, 8), "de", "8 March 2006"),
    ],
)
def test_un_date(day: dt.date, lang: str, expected: str) -> None:
    assert un_date(day, lang) == expected
