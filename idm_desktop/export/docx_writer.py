"""The submission as a Word document (python-docx), for circulating in a ministry.

Real styles (Title, Heading 1, List Bullet, List Number...), so the text stays easy to edit;
the document language set everywhere Word looks, so it proofs French and Spanish as such;
the same page size, margins and body size as the PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from idm_desktop.export import markup as md
from idm_desktop.export.context import (
    BODY_LEADING_PT,
    BODY_PT,
    CREATOR,
    DOCX_FONT,
    MARGIN_CM,
    ExportContext,
    footer_parts,
    heading,
    lang_tag,
    language,
    page_format,
    sections,
    subject,
)
from idm_desktop.export.docx_comments import add_comments
from idm_desktop.export.files import write_atomic

_MARGIN = Cm(MARGIN_CM)
_BODY_SIZE = Pt(BODY_PT)
_PAGE_SIZES = {"A4": (Mm(210), Mm(297)), "LETTER": (Inches(8.5), Inches(11))}
_BLACK = RGBColor(0, 0, 0)
_GREY = RGBColor(0x59, 0x59, 0x59)
_LINK = RGBColor(0x1A, 0x3F, 0x7A)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")

DIALOGUE_STYLE = "Dialogue"
PROGRAMME_STYLE = "Programme"
WORKSHOP_STYLE = "Workshop"
MEETING_STYLE = "Meeting"
DATE_STYLE = "Document Date"
ORIGINAL_STYLE = "Original"
GOVERNMENT_STYLE = "Government"
LINK_STYLE = "Hyperlink"
# The default template has list styles for three levels; deeper items stay at the third.
_MAX_LIST_LEVEL = 3


def render_docx(ctx: ExportContext) -> bytes:
    """Render ``ctx`` as a .docx file in memory."""
    doc = Document()
    tag = lang_tag(language(ctx))
    _set_up_page(doc, page_format(ctx))
    _set_up_styles(doc, tag)
    _set_up_header_footer(doc, ctx)

    head = heading(ctx)
    for text, style in (
        (head.dialogue, DIALOGUE_STYLE),
        (head.programme, PROGRAMME_STYLE),
        (head.workshop, WORKSHOP_STYLE),
        (head.meeting, MEETING_STYLE),
    ):
        if text:
            doc.add_paragraph(text, style=style)
    doc.add_paragraph(head.date, style=DATE_STYLE)
    doc.add_paragraph(head.original, style=ORIGINAL_STYLE)
    doc.add_paragraph(head.government, style=GOVERNMENT_STYLE)
    doc.add_paragraph(head.title, style="Title")
    spans: dict[str, tuple[int, int]] = {}
    for section in sections(ctx):
        first = len(doc.paragraphs)
        doc.add_paragraph(section.title, style="Heading 1")
        _add_blocks(doc, section.blocks, 0)
        spans[section.key] = (first, len(doc.paragraphs))
    add_comments(doc, ctx.comments, spans, language(ctx))

    props = doc.core_properties
    now = dt.datetime.now(dt.UTC)
    props.title = head.title
    props.author = head.country
    props.last_modified_by = head.country
    props.subject = subject(ctx)
    props.language = tag
    props.comments = ""
    props.created = now
    props.modified = now
    props.revision = 1
    _set_app_properties(doc)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_docx(ctx: ExportContext, path: Path) -> None:
    """Write the .docx to ``path`` atomically.

    Raise :class:`~idm_desktop.core.errors.ExportError` when ``path`` cannot be written.
    """
    write_atomic(path, render_docx(ctx))


def _set_app_properties(doc: DocxDocument) -> None:
    """Name this program in docProps/app.xml.

    python-docx copies its template's extended properties as they are ("Microsoft Macintosh
    Word", page and word counts of an empty file); a reader should not trust those.
    """
    for part in doc.part.package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = _APP_XML.encode("utf-8")


_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    f"<Application>{CREATOR}</Application><DocSecurity>0</DocSecurity></Properties>"
)


# -- page, styles, header and footer -------------------------------------------------------


def _set_up_page(doc: DocxDocument, fmt: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = _PAGE_SIZES[fmt]
    section.left_margin = section.right_margin = _MARGIN
    section.top_margin = section.bottom_margin = _MARGIN
    section.header_distance = Cm(1.2)
    section.footer_distance = Cm(1.1)


def _set_up_styles(doc: DocxDocument, tag: str) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr)
            _set_lang(rpr, tag)
    # The template says it was proofed and found clean; Word would then not check it.
    settings = doc.settings.element
    for el in settings.findall(qn("w:proofState")):
        settings.remove(el)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), tag)

    normal: Any = styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr())
    _set_lang(normal.element.get_or_add_rPr(), tag)
    normal.font.size = _BODY_SIZE
    normal.paragraph_format.space_after = Pt(6)
    # Exact line heights, the PDF's leading, so both break pages in nearly the same places.
    normal.paragraph_format.line_spacing = Pt(BODY_LEADING_PT)

    title_ppr = styles["Title"].element.pPr
    if title_ppr is not None:
        for el in title_ppr.findall(qn("w:pBdr")):
            title_ppr.remove(el)
    for el in styles["Title"].element.rPr.findall(qn("w:spacing")):
        styles["Title"].element.rPr.remove(el)
    _restyle(styles["Title"], size=16, leading=20, bold=True, before=8, after=8, centred=True)
    normal.paragraph_format.widow_control = True
    for name, size, leading, before, after in (
        ("Heading 1", 12.5, 16, 10, 4),
        ("Heading 2", 11.5, 14.5, 8, 3),
    ):
        _restyle(styles[name], size=size, leading=leading, bold=True, before=before, after=after)
        # Keep with next (the heading and the first lines of its text, as the PDF), never
        # keep-together of the whole section.
        styles[name].paragraph_format.keep_with_next = True

    def add(name: str, **look: Any) -> Any:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _restyle(style, **look)
        style.paragraph_format.keep_with_next = True
        return style

    # The heading block, as the PDF prints it.
    dialogue = add(DIALOGUE_STYLE, size=10.5, leading=13, bold=True, centred=True, after=0)
    dialogue.font.all_caps = True
    add(PROGRAMME_STYLE, size=10.5, leading=13, italic=True, centred=True, after=0)
    add(WORKSHOP_STYLE, size=11.5, leading=14, bold=True, centred=True, before=8, after=0)
    meeting = add(MEETING_STYLE, size=10.5, leading=13, centred=True, before=1, after=8)
    _bottom_rule(meeting.element.get_or_add_pPr())
    add(DATE_STYLE, size=10, leading=12.5, right=True, before=8, after=0)
    add(ORIGINAL_STYLE, size=10, leading=12.5, right=True, after=0)
    add(GOVERNMENT_STYLE, size=13, leading=16, bold=True, centred=True, before=12, after=0)

    link: Any = styles.add_style(LINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = _LINK
    link.font.underline = True

    for name, italic in (("Header", True), ("Footer", False)):
        _restyle(styles[name], size=9, leading=11, italic=italic, centred=True, colour=_GREY)
    for kind in ("List Bullet", "List Number", "List Continue"):
        for suffix in ("", " 2", " 3"):
            style: Any = styles[kind + suffix]
            style.paragraph_format.space_after = Pt(3)
            # The template drops the space between items of one style; the PDF keeps it.
            ppr = style.element.pPr
            for el in [] if ppr is None else ppr.findall(qn("w:contextualSpacing")):
                ppr.remove(el)


def _restyle(
    style: Any,
    *,
    size: float,
    leading: float,
    bold: bool = False,
    italic: bool = False,
    centred: bool = False,
    right: bool = False,
    before: float | None = None,
    after: float | None = None,
    colour: RGBColor = _BLACK,
) -> None:
    """Times New Roman in black at ``size``: the template's theme fonts and blues are gone."""
    _set_fonts(style.element.get_or_add_rPr())
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = colour
    pf = style.paragraph_format
    pf.line_spacing = Pt(leading)
    if centred:
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)


def _set_fonts(rpr: Any) -> None:
    """Name Times New Roman for every script, dropping theme fonts (which would win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), DOCX_FONT)


def _set_lang(rpr: Any, tag: str) -> None:
    """Set the proofing language (w:lang is among the last children of w:rPr)."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _bottom_rule(ppr: Any) -> None:
    """A thin grey rule under the paragraph, like the one under the PDF's heading block."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    # sz in eighths of a point (0.5 pt), space in points: the PDF's rule sits 10 pt below.
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "10"), ("w:color", "595959")):
        bottom.set(qn(key), value)
    border.append(bottom)
    # w:pBdr comes before w:spacing/w:jc in w:pPr.
    ppr.insert_element_before(
        border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
        "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
        "w:pPrChange",
    )


def _set_up_header_footer(doc: DocxDocument, ctx: ExportContext) -> None:
    """The workshop at the top of every page but the first (which opens on the heading
    block, as in the PDF), and "Page X of Y" at the foot of every page."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = subject(ctx)
    header.style = doc.styles["Header"]
    section.first_page_header.paragraphs[0].style = doc.styles["Header"]
    parts = footer_parts(language(ctx))
    for footer in (section.footer.paragraphs[0], section.first_page_footer.paragraphs[0]):
        footer.style = doc.styles["Footer"]
        for part in parts:
            if part == "{page}":
                _add_field(footer, "PAGE")
            elif part == "{pages}":
                _add_field(footer, "NUMPAGES")
            elif part:
                footer.add_run(part)


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """A field Word and LibreOffice compute when they lay the pages out (PAGE, NUMPAGES)."""

    def fld_char(kind: str) -> Any:
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        return run

    p = paragraph._p
    p.append(fld_char("begin"))
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run.append(instr)
    p.append(run)
    p.append(fld_char("separate"))
    paragraph.add_run("1")  # shown until the reader updates the field
    p.append(fld_char("end"))


# -- body ----------------------------------------------------------------------------------


def _add_blocks(doc: DocxDocument, blocks: Sequence[md.Block], depth: int) -> None:
    for block in blocks:
        if isinstance(block, md.Para):
            _add_runs(doc.add_paragraph(), block.inlines)
        else:
            _add_list(doc, block, depth)


def _add_list(doc: DocxDocument, block: md.ListBlock, depth: int) -> None:
    level = min(depth + 1, _MAX_LIST_LEVEL)
    suffix = "" if level == 1 else f" {level}"
    style = ("List Number" if block.ordered else "List Bullet") + suffix
    num_id = _restart_numbering(doc, style, block.start) if block.ordered else None
    for item in block.items:
        if not item.blocks or not isinstance(item.blocks[0], md.Para):
            # An empty item, or one that opens on a sub-list, still shows its own marker.
            _list_paragraph(doc, style, num_id)
        first = True
        for sub in item.blocks:
            if isinstance(sub, md.Para):
                if first:
                    paragraph = _list_paragraph(doc, style, num_id)
                else:
                    paragraph = doc.add_paragraph(style="List Continue" + suffix)
                _add_runs(paragraph, sub.inlines)
                first = False
            else:
                _add_list(doc, sub, depth + 1)


def _list_paragraph(doc: DocxDocument, style: str, num_id: int | None) -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    if num_id is not None:
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num_id
    return paragraph


def _restart_numbering(doc: DocxDocument, style: str, start: int) -> int:
    """A new numbering instance for one list, so each numbered list counts from its start.

    Every "List Number" paragraph shares one numbering in the template; without this a
    second list would go on from where the first stopped.
    """
    numbering = doc.part.numbering_part.element
    style_num: Any = doc.styles[style].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return int(num.numId)


def _add_runs(paragraph: Paragraph, inlines: Sequence[md.Inline]) -> None:
    for inline in inlines:
        if isinstance(inline, md.LineBreak):
            paragraph.add_run().add_break()
        elif inline.href and _URI.match(inline.href):
            _add_link(paragraph, inline, inline.href)
        else:
            run = paragraph.add_run(inline.text)
            run.bold = inline.bold or None
            run.italic = inline.italic or None


def _add_link(paragraph: Paragraph, span: md.Span, href: str) -> None:
    """A real hyperlink (w:hyperlink to an external relationship) around a styled run."""
    r_id = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = paragraph.add_run(span.text, style=LINK_STYLE)
    run.bold = span.bold or None
    run.italic = span.italic or None
    link.append(run._r)  # moves the run from the paragraph into the link
    paragraph._p.append(link)
