"""Dates as the United Nations prints them, in the three official languages."""

from __future__ import annotations

import datetime as dt

from idm_desktop.core.formatting import long_date


def un_date(d: dt.date, lang: str) -> str:
    """``d`` in UN style in ``lang`` (en, fr or es; any other language falls back to en)."""
    return long_date(d, lang)
