"""A Word draft (.docx) read as paragraphs to bring into a submission (core/word_draft.py).

What is kept: headings (and the number Word prints before them), paragraphs, lists with their
depth and kind (bullet or numbered, from Word's numbering definitions), bold, italic and links;
a table becomes one paragraph per row, its cells joined by " | " (the overview has no tables:
each row is marked with its table, so that the preview says how many there were), a line break
inside a paragraph a space. Headers, footers, footnotes, comments, pictures and text boxes are
not read. The file is hostile until checked: its size, its zip (ingest/zipguard.py) and the
length of its text are capped before and while it is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from idm_desktop.core.word_draft import CELL_SEPARATOR, DraftPara, DraftRun
from idm_desktop.ingest.docx import open_docx
from idm_desktop.ingest.model import MAX_TEXT_CHARS, Failure
from idm_desktop.ingest.normalise import clean_text

_BOLD_STYLES = ("Strong", "Intense Emphasis", "Book Title")
_ITALIC_STYLES = ("Emphasis", "Subtle Emphasis", "Intense Emphasis")
_ORDERED_FORMATS_NOT = ("bullet", "none")


def read_word_draft(data: bytes) -> list[DraftPara] | Failure:
    """The paragraphs of a Word draft, or why it cannot be read (the caller caps its size
    at :data:`~idm_desktop.ingest.model.MAX_FILE_BYTES` before reading it)."""
    document = open_docx(data)
    if isinstance(document, Failure):
        return document
    return _Reader(document).paragraphs()


class _Reader:
    def __init__(self, document: DocxDocument) -> None:
        self._doc = document
        self._size = 0
        self._heading_counts: dict[int, int] = {}
        self._tables = 0
        try:
            self._numbering: Any = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self._numbering = None

    def paragraphs(self) -> list[DraftPara]:
        out: list[DraftPara] = []
        for block in self._doc.iter_inner_content():
            new = [self._paragraph(block)] if isinstance(block, Paragraph) else self._table(block)
            for para in new:
                if para is None or not para.text.strip():
                    continue
                self._size += len(para.text) + 1
                if self._size > MAX_TEXT_CHARS:
                    return out
                out.append(para)
        return out

    # -- paragraphs --------------------------------------------------------------------------

    def _paragraph(self, p: Paragraph) -> DraftPara | None:
        runs = tuple(self._runs(p))
        if not runs:
            return None
        style = p.style.name if p.style is not None else ""
        heading = _heading_level(p, str(style or ""))
        num = self._num(p)
        if heading is not None:
            number = None
            if num is not None and heading > 0:
                # Word numbers this heading itself: count it as Word does, per level.
                count = self._heading_counts.get(heading, 0) + 1
                self._heading_counts = {k: v for k, v in self._heading_counts.items()
                                        if k < heading}
                self._heading_counts[heading] = count
                number = count
            return DraftPara(runs, heading=heading, number=number)
        if num is not None:
            level, ordered = num
            return DraftPara(runs, list_level=level, ordered=ordered)
        name = str(style or "")
        if name.startswith(("List Bullet", "List Number", "List Paragraph")):
            return DraftPara(runs, list_level=_style_level(name), ordered="Number" in name)
        return DraftPara(runs)

    def _runs(self, p: Paragraph) -> Iterator[DraftRun]:
        for item in p.iter_inner_content():
            if isinstance(item, Hyperlink):
                href = item.url or None
                for run in item.runs:
                    yield from _run(run, href)
            else:
                yield from _run(item, None)

    def _num(self, p: Paragraph) -> tuple[int, bool] | None:
        """(level, ordered) when Word numbers or bullets ``p`` (directly or by its style)."""
        ppr = p._p.pPr
        num_pr: Any = ppr.numPr if ppr is not None else None
        if num_pr is None and p.style is not None:
            style_ppr = p.style.element.pPr
            num_pr = style_ppr.numPr if style_ppr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None
        num_id = num_pr.numId.val
        if num_id == 0:
            return None  # numbering switched off
        if num_pr.ilvl is not None:
            level = int(num_pr.ilvl.val)
            return level, self._ordered(num_id, level)
        # Word's "List Bullet 2" style numbers at its own definition's first level; the
        # depth is in the style's name.
        name = str(p.style.name) if p.style is not None and p.style.name else ""
        return _style_level(name), self._ordered(num_id, 0)

    def _ordered(self, num_id: int, level: int) -> bool:
        if self._numbering is None:
            return False
        try:
            num = self._numbering.num_having_numId(num_id)
        except KeyError:
            return False
        abstract_id = num.abstractNumId.val
        for abstract in self._numbering.findall(qn("w:abstractNum")):
            if abstract.get(qn("w:abstractNumId")) != str(abstract_id):
                continue
            for lvl in abstract.findall(qn("w:lvl")):
                if lvl.get(qn("w:ilvl")) == str(level):
                    fmt = lvl.find(qn("w:numFmt"))
                    value = fmt.get(qn("w:val")) if fmt is not None else "decimal"
                    return value not in _ORDERED_FORMATS_NOT
        return False

    # -- tables ------------------------------------------------------------------------------

    def _table(self, table: Table) -> list[DraftPara | None]:
        self._tables += 1
        rows: list[DraftPara | None] = []
        for tr in table._tbl.tr_lst:
            # The cells present in the row (a merged cell once, not once per column it spans).
            cells = [_cell_text(_Cell(tc, table)) for tc in tr.tc_lst]
            # Empty cells are kept ("A |  | C"), so each column stays in its place.
            text = CELL_SEPARATOR.join(cells) if any(cells) else ""
            if text:
                rows.append(DraftPara((DraftRun(text),), table=self._tables))
        return rows


def _run(run: Run, href: str | None) -> Iterator[DraftRun]:
    text, _ = clean_text(run.text.replace("\n", " ").replace("\t", " "))
    if not text:
        return
    style = str(run.style.name) if run.style is not None and run.style.name else ""
    bold = bool(run.bold) or style in _BOLD_STYLES
    italic = bool(run.italic) or style in _ITALIC_STYLES
    yield DraftRun(text, bold=bold, italic=italic, href=href)


def _cell_text(cell: _Cell) -> str:
    parts: list[str] = []
    for block in cell.iter_inner_content():
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            for tr in block._tbl.tr_lst:
                parts.extend(_cell_text(_Cell(tc, block)) for tc in tr.tc_lst)
    text, _ = clean_text(" ".join(p.replace("\n", " ").replace("\t", " ") for p in parts))
    return " ".join(text.split())


def _heading_level(p: Paragraph, style: str) -> int | None:
    if style == "Title":
        return 0
    if style.startswith("Heading"):
        tail = style.removeprefix("Heading").strip()
        return int(tail) if tail.isdigit() else 1
    ppr = p._p.pPr
    outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if outline is not None:
        value = outline.get(qn("w:val"))
        if value is not None and value.isdigit() and int(value) < 9:
            return int(value) + 1
    return None


def _style_level(name: str) -> int:
    tail = name.rsplit(" ", 1)[-1]
    return int(tail) - 1 if tail.isdigit() else 0
