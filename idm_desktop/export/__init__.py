"""Submission -> PDF (reportlab) and DOCX (python-docx), and the exact page count.

Qt-free: imports the core and the file-format libraries only. Everything is printed in the
submission's language; error messages are in the UI language.
"""

from idm_desktop.export.context import ExportContext, PdfResult
from idm_desktop.export.dates import un_date
from idm_desktop.export.docx_writer import render_docx, write_docx
from idm_desktop.export.pdf import build_flowables, count_pages, page_extent, render_pdf, write_pdf

__all__ = [
    "ExportContext",
    "PdfResult",
    "build_flowables",
    "count_pages",
    "page_extent",
    "render_docx",
    "render_pdf",
    "un_date",
    "write_docx",
    "write_pdf",
]
