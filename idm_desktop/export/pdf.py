"""The submission as a PDF (reportlab Platypus), and its exact page count.

One layout serves the file and the count: :func:`build_flowables` and :func:`doc_template`
feed :func:`render_pdf`, :func:`count_pages` and :func:`page_extent`, which differ only in
the canvas (the counting one lays out every page but never serialises a PDF).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    ListFlowable,
    ListItem,
    PageTemplate,
    Paragraph,
)

from idm_desktop.export import markup as md
from idm_desktop.export.context import (
    BODY_LEADING_PT,
    BODY_PT,
    CREATOR,
    MARGIN_CM,
    ExportContext,
    PdfResult,
    footer_text,
    heading,
    lang_tag,
    language,
    page_format,
    sections,
    subject,
)
from idm_desktop.export.files import write_atomic
from idm_desktop.export.fonts import italic_face, register_fonts

_PAGE_SIZES = {"A4": A4, "LETTER": letter}
MARGIN = MARGIN_CM * cm
_FOOTER_Y = 1.3 * cm
_RUNNING_HEAD_Y = 1.5 * cm  # from the top edge
_LINK_COLOR = "#1a3f7a"
_GREY = colors.Color(0.35, 0.35, 0.35)
MIN_LAST_PAGE_FILL = 0.01
"""The least fill :func:`page_extent` gives a last page, so its figure never hides that page."""


# Characters reportlab cannot set as typed, and what stands in for them in the PDF only
# (the DOCX keeps every character):
# - reportlab breaks lines at U+202F and U+2007 as at a plain space, which would leave
#   "«" alone at the end of a line; U+00A0 keeps the words together (reportlab prints any
#   no-break space with the space glyph, so the text layer shows a space either way);
# - U+2011 has no glyph in Liberation Serif; the hyphen U+2010 has;
# - soft hyphens and zero-width characters would print as a hyphen or a missing-glyph box.
_PDF_CHARS = str.maketrans(
    {
        "\u202f": "\u00a0",
        "\u2007": "\u00a0",
        "\u2011": "\u2010",
        "\u00ad": None,
        "\u200b": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
# A link target reportlab can follow: a URI with a scheme. Anything else ("#x", "page.html")
# would make reportlab look for a named destination and fail, so it is printed as text.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True, slots=True)
class _Styles:
    workshop: ParagraphStyle
    country: ParagraphStyle
    title: ParagraphStyle
    date: ParagraphStyle
    section: ParagraphStyle
    body: ParagraphStyle
    item: ParagraphStyle


@cache
def _styles() -> _Styles:
    """The paragraph styles, made once: the editor's page gauge exports often."""
    font = register_fonts()
    body = ParagraphStyle(
        "idm-body",
        fontName=font,
        fontSize=BODY_PT,
        leading=BODY_LEADING_PT,
        spaceAfter=6,
        # Ragged right, not justified: without hyphenation justified lines open wide gaps,
        # and reportlab would stretch no-break spaces too ("10   000", "«   mot").
        alignment=TA_LEFT,
        bulletFontName=font,
    )
    centred = partial(ParagraphStyle, parent=body, alignment=TA_CENTER, spaceAfter=0)
    return _Styles(
        workshop=centred("idm-workshop", fontName=italic_face(), fontSize=11, leading=14),
        country=centred(
            "idm-country", fontName=f"{font}-Bold", fontSize=13, leading=16, spaceBefore=6
        ),
        title=centred(
            "idm-title", fontName=f"{font}-Bold", fontSize=16, leading=20, spaceBefore=10
        ),
        date=centred("idm-date", fontSize=11, leading=14, spaceBefore=8),
        section=ParagraphStyle(
            "idm-section",
            parent=body,
            fontName=f"{font}-Bold",
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        body=body,
        item=ParagraphStyle("idm-item", parent=body, spaceAfter=3),
    )


def build_flowables(ctx: ExportContext) -> list[Flowable]:
    """The document as reportlab flowables: heading block, then each section with text.

    A build consumes its flowables, so each build needs a fresh list from here.
    """
    st = _styles()
    head = heading(ctx)
    out: list[Flowable] = []
    if head.workshop:
        out.append(Paragraph(_text(head.workshop), st.workshop))
    out.append(Paragraph(_text(head.country), st.country))
    out.append(Paragraph(_text(head.title), st.title))
    out.append(Paragraph(_text(head.date), st.date))
    out.append(
        HRFlowable(width="100%", thickness=0.6, color=_GREY, spaceBefore=10, spaceAfter=6)
    )
    for section in sections(ctx):
        out.append(Paragraph(_text(section.title), st.section))
        out.extend(_blocks(section.blocks, st.body, 0))
    return out


def doc_template(ctx: ExportContext, out: BinaryIO | str) -> BaseDocTemplate:
    """The page template of ``ctx``'s PDF (size, margins, metadata, decorations) on ``out``.

    Build it with a fresh :func:`build_flowables` list; one template serves one build.
    """
    font = register_fonts()
    head = heading(ctx)
    pagesize = _PAGE_SIZES[page_format(ctx)]
    width, height = pagesize
    # No frame padding (reportlab's default is 6 pt): the text starts exactly at the
    # margins, which are the DOCX's margins too.
    frame = Frame(
        MARGIN,
        MARGIN,
        width - 2 * MARGIN,
        height - 2 * MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="text",
    )
    page = PageTemplate(
        id="page", frames=[frame], onPage=partial(_running_head, subject(ctx)), pagesize=pagesize
    )
    return BaseDocTemplate(
        out,
        pageTemplates=[page],
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=head.title,
        author=head.country,
        subject=subject(ctx),
        creator=CREATOR,
        lang=lang_tag(language(ctx)),
        # The canvas starts every page in its initial font: with reportlab's default
        # (Helvetica) the PDF would name a font that is not embedded.
        initialFontName=font,
        initialFontSize=BODY_PT,
        pageCompression=1,
    )


def render_pdf(ctx: ExportContext) -> PdfResult:
    """Render ``ctx`` as a PDF in memory."""
    buf = io.BytesIO()
    doc = doc_template(ctx, buf)
    footer = partial(footer_text, language(ctx))
    # One layout pass: the numbered canvas holds the finished pages and writes their
    # footers once the total is known, so "Page X of Y" costs no second pass.
    doc.build(build_flowables(ctx), canvasmaker=partial(_NumberedCanvas, footer=footer))
    return PdfResult(data=buf.getvalue(), page_count=int(doc.canv.page_count))


def count_pages(ctx: ExportContext) -> int:
    """The exact number of pages of :func:`render_pdf`'s output, without writing a PDF."""
    doc = doc_template(ctx, io.BytesIO())
    doc.build(build_flowables(ctx), canvasmaker=_CountingCanvas)
    return int(doc.canv.page_count)


def page_extent(ctx: ExportContext) -> float:
    """How much of the pages the PDF fills: 2.4 is two full pages and 40% of the third
    page's text frame (the editor's gauge shows it).

    ``math.ceil(page_extent(ctx)) == count_pages(ctx)`` always: a last page holds at least
    :data:`MIN_LAST_PAGE_FILL`, even when only a flowable's spacing spilled onto it.
    """
    doc = doc_template(ctx, io.BytesIO())
    doc.build(build_flowables(ctx), canvasmaker=_CountingCanvas)
    pages = int(doc.canv.page_count)
    # After the build, the document's frame is the last page's, and its cursor sits below
    # the last flowable (and its space after).
    frame = doc.frame
    top = frame._y2 - frame._topPadding
    used = (top - frame._y) / frame._aH if frame._aH > 0 else 1.0
    return max(pages - 1, 0) + min(1.0, max(MIN_LAST_PAGE_FILL, used))


def write_pdf(ctx: ExportContext, path: Path) -> int:
    """Write the PDF to ``path`` atomically; return its page count.

    Raise :class:`~idm_desktop.core.errors.ExportError` when ``path`` cannot be written.
    """
    result = render_pdf(ctx)
    write_atomic(path, result.data)
    return result.page_count


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds every finished page until the document ends, then stamps "Page X of Y"."""

    def __init__(self, *args: Any, footer: Callable[[int, int], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict[str, Any]] = []
        self.page_count = 0

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
        self.setFillColor(_GREY)
        self.drawCentredString(width / 2, _FOOTER_Y, self._footer(number, total))
        self.restoreState()


class _CountingCanvas(Canvas):  # type: ignore[misc]
    """Receives the laid-out pages and only counts them: no page objects, no file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_count = 0

    def showPage(self) -> None:  # reportlab's name
        self.page_count += 1
        self._startPage()

    def save(self) -> None:
        pass


def _running_head(text: str, canv: Any, doc: Any) -> None:
    """Pages after the first name the workshop at the top, in small italics (as the DOCX);
    the first opens on the heading block."""
    if doc.page == 1:
        return
    width, height = doc.pagesize
    face = italic_face()
    size = 9.0
    canv.saveState()
    canv.setFont(face, size)
    canv.setFillColor(_GREY)
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


def _blocks(blocks: Sequence[md.Block], style: ParagraphStyle, depth: int) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, md.Para):
            out.append(Paragraph(_markup(block.inlines), style))
        else:
            out.append(_list(block, depth))
    return out


def _list(block: md.ListBlock, depth: int) -> Flowable:
    st = _styles()
    items = [
        ListItem(_blocks(item.blocks, st.item, depth + 1) or [Paragraph("", st.item)])
        for item in block.items
    ]
    common: dict[str, Any] = {
        "bulletFontName": register_fonts(),
        "bulletFontSize": BODY_PT,
        "leftIndent": 18,
        "spaceAfter": 3 if depth else 6,
    }
    if block.ordered:
        return ListFlowable(
            items, bulletType="1", start=block.start, bulletFormat="%s.", **common
        )
    # A bullet at the first level, an en dash below it.
    return ListFlowable(items, bulletType="bullet", start="•" if depth == 0 else "–", **common)


def _text(text: str) -> str:
    """Plain text as Paragraph markup."""
    return escape(text.translate(_PDF_CHARS))


def _markup(inlines: Sequence[md.Inline]) -> str:
    """Spans as reportlab Paragraph markup, every character of the text escaped."""
    parts: list[str] = []
    for inline in inlines:
        if isinstance(inline, md.LineBreak):
            parts.append("<br/>")
            continue
        s = _text(inline.text)
        if inline.italic:
            s = f"<i>{s}</i>"
        if inline.bold:
            s = f"<b>{s}</b>"
        if inline.href and _URI.match(inline.href):
            href = escape(inline.href, {'"': "&quot;"})
            s = f'<a href="{href}" color="{_LINK_COLOR}"><u>{s}</u></a>'
        parts.append(s)
    return "".join(parts)
