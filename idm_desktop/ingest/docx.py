"""Word (.docx) files: text, title and page count, read with python-docx.

Runs in the reader process (worker.py). The text is the body's paragraphs and tables in
document order, a table row per line with its cells separated by tabs; headers, footers,
footnotes and text boxes are left out (running heads would repeat on every page, and
python-docx does not read the others).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as DocxDocument
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from idm_desktop.core.text import word_count
from idm_desktop.ingest import titles
from idm_desktop.ingest.model import MAX_TEXT_CHARS, Failure, Parsed, Problem
from idm_desktop.ingest.normalise import clean_text
from idm_desktop.ingest.zipguard import check_docx_archive

_APP_PROPERTIES = "docProps/app.xml"
# <Pages> and <Words> are plain numbers in the extended properties Word writes; a regular
# expression reads them without handing an untrusted XML part to a parser.
_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d{1,7})\s*</(?:\w+:)?Pages>")
_WORDS = re.compile(rb"<(?:\w+:)?Words>\s*(\d{1,10})\s*</(?:\w+:)?Words>")
_MAX_PAGES = 100_000
_HEADING_STYLES = ("Title", "Heading")


def _recorded_pages(archive: zipfile.ZipFile, has_words: bool) -> int | None:
    """The page count Word recorded when it last saved the file, if it can be trusted.

    Files made by a program rather than saved by Word (python-docx, for one) carry the
    properties of the template they started from: "0 words, 1 page" whatever the body holds.
    Such a stale count is ignored, and the pages are estimated instead.
    """
    try:
        xml = archive.read(_APP_PROPERTIES)
    except KeyError:
        return None
    pages = _PAGES.search(xml)
    if not pages:
        return None
    words = _WORDS.search(xml)
    if words and int(words.group(1)) == 0 and has_words:
        return None
    count = int(pages.group(1))
    return count if 0 < count <= _MAX_PAGES else None


def _cell_lines(cell: _Cell) -> Iterator[str]:
    for block in cell.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
        else:
            yield from _table_lines(block)


def _table_lines(table: Table) -> Iterator[str]:
    # Walk the cells actually present in each row: python-docx's row.cells repeats a merged
    # cell once per column it spans, which would repeat its text.
    for tr in table._tbl.tr_lst:
        cells = [" ".join(_cell_lines(_Cell(tc, table))) for tc in tr.tc_lst]
        yield "\t".join(cells)


def _is_heading(paragraph: Paragraph) -> bool:
    style = paragraph.style
    name = style.name if style is not None else None
    return bool(name) and str(name).startswith(_HEADING_STYLES)


def _body(document: DocxDocument) -> tuple[list[str], str | None, bool]:
    """The lines of the body, the text of its first heading, and whether the text was cut."""
    lines: list[str] = []
    heading: str | None = None
    size = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            new = [block.text]
            if heading is None and new[0].strip() and _is_heading(block):
                heading = new[0]
        else:
            new = list(_table_lines(block))
        lines.extend(new)
        size += sum(len(line) + 1 for line in new)
        if size > MAX_TEXT_CHARS:
            return lines, heading, True
    return lines, heading, False


def open_docx(data: bytes) -> DocxDocument | Failure:
    """The Word document in ``data``, opened only after its archive was checked as hostile input
    (zipguard: sizes, ratios, encryption); or why it cannot be: not a zip at all (a PDF, an old
    .doc), a damaged package, not a word-processing document."""
    if not data.startswith(b"PK"):
        return Failure(Problem.NOT_DOCX, "not a zip archive")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        return Failure(Problem.DAMAGED_DOCX, repr(err))
    with archive:
        unsafe = check_docx_archive(archive)
        if unsafe is not None:
            return unsafe
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as err:
        # python-docx says so when the main part is not a word-processing document
        # (a macro-enabled .docm renamed .docx, for instance).
        return Failure(Problem.NOT_DOCX, repr(err))
    except (KeyError, zipfile.BadZipFile, SyntaxError) as err:
        # A part named in the package but missing, or XML that does not parse.
        return Failure(Problem.DAMAGED_DOCX, repr(err))


def parse_docx(data: bytes) -> Parsed | Failure:
    """The text, title and page count of a Word document, or why it cannot be read."""
    document = open_docx(data)
    if isinstance(document, Failure):
        return document
    lines, heading, cut = _body(document)
    text, truncated = clean_text("\n".join(lines))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # checked by open_docx
        pages = _recorded_pages(archive, has_words=word_count(text) > 0)
    recorded = titles.from_metadata(document.core_properties.title)
    title = recorded or (titles.tidy(heading) if heading else None)
    return Parsed(text=text, page_count=pages, title=title, truncated=cut or truncated)
