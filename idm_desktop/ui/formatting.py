"""The shared look of the window: colours, text styles, and numbers and times in the UI language.

Dates and times are never formatted here or in a view: they come from
:mod:`idm_desktop.core.formatting` (the one place, shared with the command line) in the UI
language, through the three wrappers below.

Every feature slice (workshops, library, submissions, sync) takes these from here, never from
another slice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import Enum

from PySide6.QtCore import QLocale, QObject, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

from idm_desktop.core.formatting import clock_time, date_time, short_date
from idm_desktop.core.i18n import ui_language

# The hues of the status texts, as a light theme shows them. Every colour a view uses is made from
# these and the current palette (tone_color), so that dark and high-contrast themes keep the
# text readable: never written as a fixed colour in a view.
_HUES = {"error": "#b3261e", "warning": "#8a5a00", "success": "#1e6b34"}

MIN_CONTRAST = 4.5
"""WCAG 2 AA for normal text: every text the window colours reaches this against its background."""


class Tone(Enum):
    """What a coloured text says; its colour comes from the palette (see :func:`tone_color`)."""

    ERROR = "error"
    WARNING = "warning"
    SUCCESS = "success"
    MUTED = "muted"  # secondary text: guidance, word counts, the base text of a conflict


BACKGROUND = (QPalette.ColorRole.Window,)
"""Labels, banners' surroundings, the status bar."""
TABLE_BACKGROUND = (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase)
"""Rows of tables and lists (alternating)."""


def luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 black … 1 white)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(color: QColor, background: QColor, share: float) -> QColor:
    """``share`` of ``color`` over ``background`` (0: the background, 1: the colour), opaque."""
    return QColor.fromRgbF(
        background.redF() + (color.redF() - background.redF()) * share,
        background.greenF() + (color.greenF() - background.greenF()) * share,
        background.blueF() + (color.blueF() - background.blueF()) * share)


def readable(color: QColor, backgrounds: Sequence[QColor], minimum: float = MIN_CONTRAST) -> QColor:
    """``color``, made just as much darker (on light backgrounds) or lighter (on dark ones) as it
    takes to reach ``minimum`` contrast against every one of ``backgrounds``; its hue is kept."""
    def passes(c: QColor) -> bool:
        return all(contrast_ratio(c, b) >= minimum for b in backgrounds)

    if passes(color):
        return QColor(color)
    # Mid-grey (luminance 0.18) is where black and white contrast equally with a background.
    darken = sum(luminance(b) for b in backgrounds) / len(backgrounds) > 0.18
    end = QColor("black") if darken else QColor("white")
    low, high = 0.0, 1.0
    for _step in range(24):
        middle = (low + high) / 2
        if passes(blend(end, color, middle)):
            high = middle
        else:
            low = middle
    while high < 1:
        found = QColor(blend(end, color, high).name())  # as it will be drawn: 8 bits a channel
        if passes(found):
            return found
        high = min(1.0, high + 0.005)
    return end


def tone_color(tone: Tone, roles: Sequence[QPalette.ColorRole] = BACKGROUND,
               palette: QPalette | None = None) -> QColor:
    """The colour of ``tone`` on the backgrounds ``roles`` of ``palette`` (the application's):
    the hue of the light theme, darkened or lightened until it reads at :data:`MIN_CONTRAST`."""
    palette = palette if palette is not None else QGuiApplication.palette()
    backgrounds = [palette.color(role) for role in roles]
    if tone is Tone.MUTED:
        text = palette.color(QPalette.ColorRole.WindowText)
        start = blend(text, backgrounds[0], 0.6)  # between the text and its background
    else:
        start = QColor(_HUES[tone.value])
    return readable(start, backgrounds)


def tone_style(tone: Tone, *, bold: bool = False, roles: Sequence[QPalette.ColorRole] = BACKGROUND) -> str:
    """A style sheet's declarations for text of ``tone``: "color: #6b6b6b;"."""
    weight = " font-weight: 600;" if bold else ""
    return f"color: {tone_color(tone, roles).name()};{weight}"


def banner_colors(tone: Tone, palette: QPalette | None = None,
                  role: QPalette.ColorRole = QPalette.ColorRole.Window) -> tuple[QColor, QColor, QColor]:
    """(background, border, text) of a banner (or a marked run of text) of ``tone``: a wash of
    the tone's hue over the ``role`` background, a firmer line of it, and text that reads on the
    wash."""
    palette = palette if palette is not None else QGuiApplication.palette()
    window = palette.color(role)
    hue = QColor(_HUES.get(tone.value, _HUES["warning"]))
    dark = luminance(window) < 0.18
    background = blend(hue, window, 0.28 if dark else 0.12)
    border = blend(hue, window, 0.6 if dark else 0.45)
    return background, border, readable(hue, [background])


def banner_style(tone: Tone, selector: str, text_selector: str = "QLabel") -> str:
    """A style sheet for a banner (``selector``) and its texts (``text_selector``)."""
    background, border, text = banner_colors(tone)
    return (f"{selector} {{ background: {background.name()}; border: 1px solid {border.name()};"
            f" border-radius: 4px; }} {text_selector} {{ color: {text.name()}; }}")


def highlight_colors() -> tuple[QColor, QColor]:
    """(background, text) of a search hit: a marker's yellow with black text in every theme
    (as browsers mark found text), 15:1."""
    return QColor("#ffe680"), QColor("#000000")


class _Tint(QObject):
    """Keeps a widget's colours in step with the palette: the style sheet is made again when the
    application's palette changes (the desktop switched to a dark or a high-contrast theme, and
    Qt followed). A widget whose style sheet sets a colour hears of no palette change itself."""

    def __init__(self, widget: QWidget, make: Callable[[], str]) -> None:
        super().__init__(widget)
        self.setObjectName("tint")
        self.make = make
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.paletteChanged.connect(self._on_app_palette_changed)

    def _on_app_palette_changed(self, _palette: QPalette) -> None:
        widget = self.parent()
        if isinstance(widget, QWidget):
            widget.setStyleSheet(self.make())


def tint(widget: QWidget, make: Callable[[], str] | Tone, *, bold: bool = False) -> None:
    """Give ``widget`` the style sheet ``make()`` (or the text colour of a tone) now, and again
    whenever the palette changes. Calling it again replaces the previous one."""
    if isinstance(make, Tone):
        tone = make

        def make_style() -> str:
            return tone_style(tone, bold=bold)
        builder: Callable[[], str] = make_style
    else:
        builder = make
    existing = widget.findChild(_Tint, "tint", Qt.FindChildOption.FindDirectChildrenOnly)
    if existing is not None:
        existing.make = builder
    else:
        _Tint(widget, builder)
    widget.setStyleSheet(builder())


def untint(widget: QWidget) -> None:
    """Back to the palette's own colours."""
    existing = widget.findChild(_Tint, "tint", Qt.FindChildOption.FindDirectChildrenOnly)
    if existing is not None:
        existing.make = str
    widget.setStyleSheet("")


class TextSize(Enum):
    """The window's type scale: a few steps above the body text, the same in every view."""

    PAGE = 1.4  # a view's heading ("Submissions", "Sync")
    TITLE = 1.25  # what a view is about: an event, a document, a submission, a conflict
    SECTION = 1.12  # a part of it: a template's section, a conflicting section
    FIGURE = 1.5  # the one number that matters: the page gauge


def set_text_size(widget: QWidget, size: TextSize, *, bold: bool = True) -> None:
    """Set ``widget``'s text one step of the scale above the application's body text."""
    font = QFont(widget.font())
    font.setPointSizeF(QGuiApplication.font().pointSizeF() * size.value)
    font.setBold(bold)
    widget.setFont(font)


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
