"""The PDF font: Liberation Serif, embedded, with the same metrics as Times New Roman
(which the DOCX names), so both files set a line to the same width."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from idm_desktop.core.resources import resource

FAMILY = "LiberationSerif"
"""The reportlab name of the regular face, and of the family (``<b>``/``<i>`` pick the others)."""

_FACES = {
    FAMILY: "LiberationSerif-Regular.ttf",
    f"{FAMILY}-Bold": "LiberationSerif-Bold.ttf",
    f"{FAMILY}-Italic": "LiberationSerif-Italic.ttf",
    f"{FAMILY}-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}


@cache
def register_fonts() -> str:
    """Register the four faces as one family with reportlab (once per process); return its name.

    Parsing the TrueType files is the slowest step of a first export, so it is done once.
    """
    for name, filename in _FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", filename))))
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=FAMILY,
        bold=f"{FAMILY}-Bold",
        italic=f"{FAMILY}-Italic",
        boldItalic=f"{FAMILY}-BoldItalic",
    )
    return FAMILY


def bold_face() -> str:
    """The reportlab name of the bold face."""
    return f"{register_fonts()}-Bold"


def italic_face() -> str:
    """The reportlab name of the italic face."""
    return f"{register_fonts()}-Italic"
