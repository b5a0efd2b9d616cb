"""The PDF's text layer keeps the no-break spaces of French typography.

Readers (poppler among them) treat a lone no-break space as a word break and copy it as a
plain space. Marked content with an ``/ActualText`` spanning the no-break space *and* a
neighbouring character ("«\u00a0", "\u202f;") is copied as written: a reader who copies
"80 000 personnes ; « oui »" from the PDF gets the same characters the DOCX holds.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.textobject import PDFTextObject

from idm_desktop.export.fonts import NBSP_STAND_IN, NNBSP_STAND_IN

_SPACES = f"\u00a0{NBSP_STAND_IN}{NNBSP_STAND_IN}"
_REAL = str.maketrans({NBSP_STAND_IN: "\u00a0", NNBSP_STAND_IN: "\u202f"})


def _visible(char: str) -> bool:
    return not char.isspace() and char not in _SPACES


def actual_text(text: str) -> str:
    """``text`` as a PDF hex string in UTF-16BE with its byte order mark."""
    return "<FEFF" + text.translate(_REAL).encode("utf-16-be").hex().upper() + ">"


class TextLayerText(PDFTextObject):  # type: ignore[misc]
    """A text object that marks each no-break space and its neighbour with its actual text."""

    def _formatText(self, text: Any) -> str:
        if not isinstance(text, str) or not any(c in text for c in _SPACES):
            return str(super()._formatText(text))
        parts: list[str] = []
        pos = i = 0
        while i < len(text):
            if text[i] not in _SPACES:
                i += 1
                continue
            # The pair: the space and the character after it, else the one before it.
            if i + 1 < len(text) and _visible(text[i + 1]):
                start, end = i, i + 2
            elif i > pos and _visible(text[i - 1]):
                start, end = i - 1, i + 1
            else:
                i += 1
                continue
            if start > pos:
                parts.append(super()._formatText(text[pos:start]))
            pair = text[start:end]
            parts += [f"/Span <</ActualText {actual_text(pair)}>> BDC",
                      super()._formatText(pair), "EMC"]
            pos = i = end
        if pos < len(text):
            parts.append(super()._formatText(text[pos:]))
        return " ".join(p for p in parts if p)


def begin_text(canvas: Any, x: float = 0, y: float = 0, direction: Any = None) -> TextLayerText:
    """What a canvas's ``beginText`` returns in this program's PDFs."""
    return TextLayerText(canvas, x, y, direction=direction)
