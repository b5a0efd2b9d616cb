"""PDF, Word (.docx), text and Markdown files -> text and metadata for the library.

Every file is treated as hostile (DESIGN §12): its size is capped before it is read, its
content must match its type, and the C parsers run in a separate process with a time limit.
A refused file raises :class:`~idm_desktop.core.errors.IngestError` with one translated line
that names the file and says what to do. Nothing is written to disk.
"""

from __future__ import annotations

from idm_desktop.ingest.extractor import DEFAULT_TIMEOUT, Extractor, extract
from idm_desktop.ingest.model import MAX_FILE_BYTES, MAX_TEXT_CHARS, SUPPORTED_SUFFIXES, Extracted

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_SUFFIXES",
    "Extracted",
    "Extractor",
    "extract",
]
