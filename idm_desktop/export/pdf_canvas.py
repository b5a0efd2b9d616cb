"""The canvases the PDF's single layout pass draws on: one that writes the file and stamps
"Page X of Y" once the total is known, one that only counts pages; and the running head."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from idm_desktop.export.context import MARGIN_CM
from idm_desktop.export.fonts import italic_face, register_fonts
from idm_desktop.export.text_layer import begin_text

MARGIN = MARGIN_CM * cm
GREY = colors.Color(0.35, 0.35, 0.35)
_FOOTER_Y = 1.3 * cm
_RUNNING_HEAD_Y = 1.5 * cm  # from the top edge


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds every finished page until the document ends, then stamps "Page X of Y"."""

    def __init__(self, *args: Any, footer: Callable[[int, int], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict[str, Any]] = []
        self.page_count = 0

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> Any:
        return begin_text(self, x, y, direction)

    def showPage(self) -> None:  # reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        self.page_count = total
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(register_fonts(), 9)
        self.setFillColor(GREY)
        self.drawCentredString(width / 2, _FOOTER_Y, self._footer(number, total))
        self.restoreState()


class CountingCanvas(Canvas):  # type: ignore[misc]
    """Receives the laid-out pages and only counts them: no page objects, no file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_count = 0

    def showPage(self) -> None:  # reportlab's name
        self.page_count += 1
        self._startPage()

    def save(self) -> None:
        pass


def running_head(text: str, canv: Any, doc: Any) -> None:
    """Pages after the first name the workshop at the top, in small italics (as the DOCX);
    the first opens on the heading block."""
    if doc.page == 1:
        return
    width, height = doc.pagesize
    face = italic_face()
    size = 9.0
    canv.saveState()
    canv.setFont(face, size)
    canv.setFillColor(GREY)
    canv.drawCentredString(
        width / 2, height - _RUNNING_HEAD_Y, _fit(text, face, size, width - 2 * MARGIN)
    )
    canv.restoreState()


def _fit(text: str, face: str, size: float, width: float) -> str:
    if stringWidth(text, face, size) <= width:
        return text
    while text and stringWidth(text + "…", face, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
