"""PDF files: text, title and page count, read with PDFium (pypdfium2).

Runs in the reader process (worker.py): PDFium is C code, and a hostile file that makes it
hang or crash must take only that process down. Pages are joined with a form feed (``\\f``),
so the text keeps its page boundaries while search sees plain white space.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from idm_desktop.ingest import titles
from idm_desktop.ingest.model import MAX_TEXT_CHARS, Failure, Parsed, Problem
from idm_desktop.ingest.normalise import clean_text

PAGE_SEPARATOR = "\f"


def _open(data: bytes) -> pdfium.PdfDocument | Failure:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            return Failure(Problem.PASSWORD, str(err))
        if code == pdfium_c.FPDF_ERR_SECURITY:
            return Failure(Problem.PROTECTED, str(err))
        return Failure(Problem.DAMAGED_PDF, str(err))


def _page_text(document: pdfium.PdfDocument, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()


def parse_pdf(data: bytes) -> Parsed | Failure:
    """The text (pages separated by ``\\f``), title and page count of a PDF, or why it cannot
    be read."""
    opened = _open(data)
    if isinstance(opened, Failure):
        return opened
    with opened as document:
        page_count = len(document)
        if page_count <= 0:
            return Failure(Problem.NO_PAGES)
        metadata = document.get_metadata_dict(skip_empty=True)
        title = titles.from_metadata(str(metadata.get("Title", "")))
        pages: list[str] = []
        size = 0
        cut = False
        try:
            for index in range(page_count):
                pages.append(_page_text(document, index))
                size += len(pages[-1]) + 1
                if size > MAX_TEXT_CHARS:
                    cut = True
                    break
        except pdfium.PdfiumError as err:
            return Failure(Problem.DAMAGED_PDF, f"page {index + 1}: {err}")
    text, truncated = clean_text(PAGE_SEPARATOR.join(pages))
    return Parsed(text=text, page_count=page_count, title=title, truncated=cut or truncated)
