"""The entry point of the reader process: one call per PDF or Word file.

Imported only in that process, so the app itself never loads PDFium or python-docx.
"""

from __future__ import annotations

from collections.abc import Callable

from idm_desktop.ingest.docx import parse_docx
from idm_desktop.ingest.model import Failure, Kind, Parsed, Problem
from idm_desktop.ingest.pdf import parse_pdf

_PARSERS: dict[Kind, tuple[Callable[[bytes], Parsed | Failure], Problem]] = {
    Kind.PDF: (parse_pdf, Problem.DAMAGED_PDF),
    Kind.DOCX: (parse_docx, Problem.DAMAGED_DOCX),
}


def read(kind: Kind, data: bytes) -> Parsed | Failure:
    """Parse ``data`` as a ``kind`` file (PDF or DOCX); never raises for a bad file."""
    parser, damaged = _PARSERS[kind]
    try:
        return parser(data)
    # The process boundary: whatever a parser raises on a hostile file (python-docx and lxml
    # have no single error type) is that file's problem, reported with its detail for the log.
    except Exception as err:  # noqa: BLE001
        return Failure(damaged, f"{type(err).__name__}: {err}")
