"""Submission -> PDF (reportlab) and DOCX (python-docx), and the exact page count.

Qt-free: imports the core and the file-format libraries only. Everything is printed in the
submission's language; error messages are in the UI language. The writers (and reportlab and
python-docx with them, some 20 MB) are imported when first used: a process that only reads an
``ExportContext`` or a date (the service's pages, the desktop's one-shot commands) never pays for
them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from idm_desktop.export.context import ExportContext, PdfResult
from idm_desktop.export.dates import un_date

if TYPE_CHECKING:
    from idm_desktop.export.docx_writer import render_docx, write_docx
    from idm_desktop.export.pdf import build_flowables, count_pages, page_extent, render_pdf, write_pdf

_DOCX = frozenset({"render_docx", "write_docx"})
_PDF = frozenset({"build_flowables", "count_pages", "page_extent", "render_pdf", "write_pdf"})


def __getattr__(name: str) -> Any:
    if name in _DOCX:
        from idm_desktop.export import docx_writer as module
    elif name in _PDF:
        from idm_desktop.export import pdf as module  # type: ignore[no-redef]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value


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
