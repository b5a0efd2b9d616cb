"""Deciding a file's type: the suffix says what the user meant, the first bytes must agree.

Only cheap checks on the bytes happen here, in the app's process; anything that parses the
structure of a file runs in the reader process (worker.py).
"""

from __future__ import annotations

from pathlib import PurePath

from idm_desktop.ingest import messages
from idm_desktop.ingest.model import SUFFIX_KINDS, Kind, Problem

# Readers accept a header anywhere in the first kilobyte (some tools prepend junk) and an
# end-of-file marker anywhere in the last one (some append padding); Acrobat does the same.
_PDF_HEADER = b"%PDF-"
_PDF_TRAILER = b"%%EOF"
_WINDOW = 1024

_ZIP_LOCAL_HEADER = b"PK\x03\x04"
# An OLE compound file: a .doc from Word 97-2003, or a password-protected .docx (Office wraps
# encrypted documents in one).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def kind_for(path: PurePath) -> Kind:
    """The file type the name asks for, or an :class:`IngestError` listing the supported ones."""
    kind = SUFFIX_KINDS.get(path.suffix.lower())
    if kind is None:
        raise messages.unsupported_type(path.name)
    return kind


def check_content(kind: Kind, data: bytes, filename: str) -> None:
    """Refuse ``data`` with an :class:`IngestError` if it does not start like a ``kind`` file.

    A PDF whose end-of-file marker is missing is refused as cut short: a PDF reader may still
    open the first part of it, and a library silently holding half a document is worse than
    a refusal.
    """
    if kind is Kind.PDF:
        if _PDF_HEADER not in data[:_WINDOW]:
            raise messages.not_pdf(filename)
        if _PDF_TRAILER not in data[-_WINDOW:]:
            raise messages.truncated_pdf(filename)
    elif kind is Kind.DOCX:
        if data.startswith(_OLE_MAGIC):
            raise messages.old_word_file(filename)
        if not data.startswith(_ZIP_LOCAL_HEADER):
            raise messages.for_problem(Problem.NOT_DOCX, filename)
