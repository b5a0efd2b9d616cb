"""The submission as a PDF (reportlab Platypus), and its exact page count.

One layout serves the file and the count: :func:`build_flowables` and :func:`doc_template`
feed :func:`render_pdf`, :func:`count_pages` and :func:`page_extent`, which differ only in
the canvas (the counting one lays out every page but never serialises a PDF).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
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
from idm_desktop.export.fonts import NBSP_STAND_IN, NNBSP_STAND_IN, italic_face, register_fonts
from idm_desktop.export.pdf_canvas import GREY, MARGIN, CountingCanvas, NumberedCanvas, running_head

_PAGE_SIZES = {"A4": A4, "LETTER": letter}
_LINK_COLOR = "#1a3f7a"
HEADING_LINES = 2
"""The lines of text a section heading keeps with it at the foot of a page."""
MIN_LAST_PAGE_FILL = 0.01
"""The least fill :func:`page_extent` gives a last page, so its figure never hides that page."""


# Characters reportlab cannot set as typed, and what stands in for them in the PDF only
# (the DOCX keeps every character):
# - reportlab breaks lines at U+202F and U+2007 as at a plain space, which would leave
#   "«" alone at the end of a line or a group of digits on the next: a stand-in that is not
#   whitespace keeps them together, and prints (and copies) as the real U+202F (see fonts.py);
# - U+00A0 is kept for the layout (reportlab never breaks at it) and copied as itself;
# - U+2011 has no glyph in Liberation Serif; the hyphen U+2010 has;
# - soft hyphens and zero-width characters would print as a hyphen or a missing-glyph box.
_PDF_CHARS = str.maketrans(
    {
        "\u202f": NNBSP_STAND_IN,
        "\u2007": NNBSP_STAND_IN,
        "\u2011": "\u2010",
        "\u00ad": None,
        "\u200b": None,
        "\u2060": None,
        "\ufeff": None,
        # A stand-in typed or pasted as such is not text.
        NBSP_STAND_IN: None,
        NNBSP_STAND_IN: None,
    }
)
# A link target reportlab can follow: a URI with a scheme. Anything else ("#x", "page.html")
# would make reportlab look for a named destination and fail, so it is printed as text.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True, slots=True)
class _Styles:
    dialogue: ParagraphStyle
    programme: ParagraphStyle
    workshop: ParagraphStyle
    meeting: ParagraphStyle
    dated: ParagraphStyle
    government: ParagraphStyle
    title: ParagraphStyle
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
        # A paragraph never leaves one line alone at the foot or the head of a page.
        allowOrphans=0,
        allowWidows=0,
    )
    centred = partial(ParagraphStyle, parent=body, alignment=TA_CENTER, spaceAfter=0)
    bold = f"{font}-Bold"
    return _Styles(
        # The meeting, as the organisation heads its documents: the dialogue in capitals,
        # the year's theme, then the meeting, where and when.
        dialogue=centred("idm-dialogue", fontName=bold, fontSize=10.5, leading=13),
        programme=centred("idm-programme", fontName=italic_face(), fontSize=10.5, leading=13),
        workshop=centred("idm-workshop", fontName=bold, fontSize=11.5, leading=14, spaceBefore=8),
        meeting=centred("idm-meeting", fontSize=10.5, leading=13, spaceBefore=1),
        # Then the government's paper: the date and the original language at the right,
        # as on a UN document, the government and the title.
        dated=ParagraphStyle(
            "idm-dated", parent=body, alignment=TA_RIGHT, fontSize=10, leading=12.5, spaceAfter=0
        ),
        government=centred("idm-government", fontName=bold, fontSize=13, leading=16,
                           spaceBefore=12),
        title=centred("idm-title", fontName=bold, fontSize=16, leading=20, spaceBefore=8,
                      spaceAfter=8),
        section=ParagraphStyle(
            "idm-section",
            parent=body,
            fontName=f"{font}-Bold",
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            # No keepWithNext: it would carry the heading *and its whole first paragraph*
            # to the next page, leaving a large blank. _HeadingRoom keeps the heading with
            # the first lines of its text instead.
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
    if head.dialogue:
        out.append(Paragraph(_text(head.dialogue.upper()), st.dialogue))
    if head.programme:
        out.append(Paragraph(_text(head.programme), st.programme))
    if head.workshop:
        out.append(Paragraph(_text(head.workshop), st.workshop))
    if head.meeting:
        out.append(Paragraph(_text(head.meeting), st.meeting))
    out.append(
        HRFlowable(width="100%", thickness=0.6, color=GREY, spaceBefore=8, spaceAfter=8)
    )
    out.append(Paragraph(_text(head.date), st.dated))
    out.append(Paragraph(_text(head.original), st.dated))
    out.append(Paragraph(_text(head.government), st.government))
    out.append(Paragraph(_text(head.title), st.title))
    for section in sections(ctx):
        title = Paragraph(_text(section.title), st.section)
        out.append(_HeadingRoom(title))
        out.append(title)
        out.extend(_blocks(section.blocks, st.body, 0))
    return out


class _HeadingRoom(CondPageBreak):  # type: ignore[misc]
    """Starts a new page when the heading that follows would not have room for itself and
    :data:`HEADING_LINES` lines of its text: a heading never ends a page, and the blank it
    leaves is at most that much (never a whole first paragraph, as keep-with-next would)."""

    def __init__(self, title: Paragraph) -> None:
        super().__init__(0)
        self._title = title

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, h = self._title.wrap(availWidth, availHeight)
        self.height = self._title.getSpaceBefore() + h + self._title.getSpaceAfter()
        self.height += HEADING_LINES * BODY_LEADING_PT
        return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]


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
        id="page", frames=[frame], onPage=partial(running_head, subject(ctx)), pagesize=pagesize
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
    doc.build(build_flowables(ctx), canvasmaker=partial(NumberedCanvas, footer=footer))
    return PdfResult(data=buf.getvalue(), page_count=int(doc.canv.page_count))


def count_pages(ctx: ExportContext) -> int:
    """The exact number of pages of :func:`render_pdf`'s output, without writing a PDF."""
    doc = doc_template(ctx, io.BytesIO())
    doc.build(build_flowables(ctx), canvasmaker=CountingCanvas)
    return int(doc.canv.page_count)


def page_extent(ctx: ExportContext) -> float:
    """How much of the pages the PDF fills: 2.4 is two full pages and 40% of the third
    page's text frame (the editor's gauge shows it).

    ``math.ceil(page_extent(ctx)) == count_pages(ctx)`` always: a last page holds at least
    :data:`MIN_LAST_PAGE_FILL`, even when only a flowable's spacing spilled onto it.
    """
    doc = doc_template(ctx, io.BytesIO())
    doc.build(build_flowables(ctx), canvasmaker=CountingCanvas)
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
