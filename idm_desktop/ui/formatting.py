"""The shared look of the window: colours, text styles, and numbers and times in the UI language.

Dates and times are never formatted here or in a view: they come from
:mod:`idm_desktop.core.formatting` (the one place, shared with the command line) in the UI
language, through the three wrappers below.

Every feature slice (workshops, library, submissions, sync) takes these from here, never from
another slice.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWidget

from idm_desktop.core.formatting import clock_time, date_time, short_date
from idm_desktop.core.i18n import ui_language

RED = "#b3261e"
AMBER = "#8a5a00"  # dark enough to read as text on a light background
GREEN = "#1e6b34"

# Style sheets of secondary text (guidance, word counts, the base text of a conflict).
MUTED_STYLE = "color: palette(placeholder-text);"


def locale() -> QLocale:
    """Qt's locale of the UI language (its data is in memory: no disk read on the GUI thread).
    English as the organisation writes it: day before month, 24-hour clock (en_GB)."""
    lang = ui_language()
    return QLocale("en_GB" if lang == "en" else lang)


def format_number(n: int) -> str:
    """1234 -> "1,234" (en), "1 234" (fr)."""
    return locale().toString(n)


def format_decimal(x: float, digits: int = 1) -> str:
    """2.4 -> "2.4" (en), "2,4" (fr)."""
    return locale().toString(x, "f", digits)


def format_time(when: dt.datetime) -> str:
    """The local time of ``when``, e.g. "10:42" (core.formatting, in the UI language)."""
    return clock_time(when, ui_language())


def format_datetime(when: dt.datetime) -> str:
    """The local date and time of ``when``, e.g. "26 Jun 2006, 10:42" (core.formatting)."""
    return date_time(when, ui_language())


def format_date(day: dt.date) -> str:
    """A date in a table or a line of facts, e.g. "26 Jun 2006" (core.formatting)."""
    return short_date(day, ui_language())


def now_time() -> str:
    return clock_time(dt.datetime.now(dt.UTC), ui_language())


def show_focus(widget: QWidget, *, framed: bool = True) -> None:
    """Draw a frame in the palette's highlight colour round ``widget`` while it has the keyboard
    focus: a scroll area, or a table with no rows, otherwise shows nothing when Tab reaches it.
    Without focus, a ``framed`` widget keeps a thin frame; another shows none. The widget needs an
    object name (the style sheet applies to it alone, not its children)."""
    name = widget.objectName()
    if not name:
        raise ValueError("show_focus needs a widget with an object name")
    kind = widget.metaObject().className()
    resting = "palette(mid)" if framed else "transparent"
    widget.setStyleSheet(
        f"{kind}#{name} {{ border: 1px solid {resting}; padding: 1px; }}"
        f" {kind}#{name}:focus {{ border: 2px solid palette(highlight); padding: 0px; }}")
