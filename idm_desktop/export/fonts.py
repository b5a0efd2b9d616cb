"""The PDF font: Liberation Serif, embedded, with the same metrics as Times New Roman
(which the DOCX names), so both files set a line to the same width."""

from __future__ import annotations

from functools import cache
from typing import Any

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


# Stand-ins the layout uses for the no-break spaces, and the characters the PDF's text layer
# says they are. reportlab would print U+00A0 as a plain space in the text layer, and it
# breaks lines at U+202F; a private-use stand-in (not whitespace, so no break) set with the
# real character's glyph and width keeps the words together *and* lets a reader copy the
# very character the French typography put there.
NBSP_STAND_IN = "\ue0a0"
NNBSP_STAND_IN = "\ue02f"
_STAND_INS = {ord(NBSP_STAND_IN): 0x00A0, ord(NNBSP_STAND_IN): 0x202F}


class _TextLayerFont(TTFont):  # type: ignore[misc]
    """A TrueType font whose no-break spaces keep their own code points in the PDF."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        face = self.face
        for stand_in, real in _STAND_INS.items():
            if real in face.charToGlyph:
                face.charToGlyph[stand_in] = face.charToGlyph[real]
                face.charWidths[stand_in] = face.charWidths[real]

    def splitString(self, text: str, doc: Any, encoding: str = "utf-8") -> Any:
        # reportlab maps U+00A0 to the space before it assigns codes; the stand-in escapes that.
        result = super().splitString(text.replace("\u00a0", NBSP_STAND_IN), doc, encoding)
        state = self.state.get(doc)
        if state is not None:
            for subset in state.subsets:
                for i, code in enumerate(subset):
                    if code in _STAND_INS:
                        # The subset's glyph and its ToUnicode entry: the real character's.
                        subset[i] = _STAND_INS[code]
        return result


@cache
def register_fonts() -> str:
    """Register the four faces as one family with reportlab (once per process); return its name.

    Parsing the TrueType files is the slowest step of a first export, so it is done once.
    """
    for name, filename in _FACES.items():
        pdfmetrics.registerFont(_TextLayerFont(name, str(resource("fonts", filename))))
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
