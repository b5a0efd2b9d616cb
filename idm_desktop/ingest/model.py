"""What ingest produces, and the small values passed between the app and the reader process."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_FILE_BYTES = 100 * 1024 * 1024
"""The default size cap of an imported file, checked before anything is read."""

MAX_TEXT_CHARS = 20_000_000
"""Extracted text is cut to this many characters (about 20 MB): more is not a document a
delegate reads, and it would bloat the search index."""


class Kind(StrEnum):
    """A supported file type; the value is its MIME type."""

    PDF = "application/pdf"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    TEXT = "text/plain"
    MARKDOWN = "text/markdown"


SUFFIX_KINDS: dict[str, Kind] = {
    ".pdf": Kind.PDF,
    ".docx": Kind.DOCX,
    ".txt": Kind.TEXT,
    ".md": Kind.MARKDOWN,
    ".markdown": Kind.MARKDOWN,
}

SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(SUFFIX_KINDS)
"""The file name endings ingest accepts (compared case-insensitively)."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """A file read for the library: its text, metadata and original bytes.

    ``text`` has ``\\n`` line ends, no NUL or other control characters except tab, newline and
    form feed, and is NFC-normalised so that accented words match in search. The pages of a PDF
    are separated by a form feed (``\\f``): search treats it as plain white space, while a viewer
    can still map a hit to its page.
    """

    text: str
    page_count: int
    mime: str
    sha256: str
    size: int
    filename: str
    title: str | None
    data: bytes


class Problem(StrEnum):
    """Why a file was refused; turned into a translated message by the app (messages.py).

    The reader process does not translate: it reports one of these codes instead, so that the
    message follows the language the user chose in the app.
    """

    PASSWORD = "password"
    PROTECTED = "protected"
    DAMAGED_PDF = "damaged_pdf"
    NO_PAGES = "no_pages"
    DAMAGED_DOCX = "damaged_docx"
    NOT_DOCX = "not_docx"
    UNSAFE_ARCHIVE = "unsafe_archive"
    BINARY = "binary"
    NOT_UTF8 = "not_utf8"


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a parser read from a file's bytes.

    ``page_count`` is None where the format does not say (then it is estimated from the words);
    ``truncated`` tells that the text was cut at :data:`MAX_TEXT_CHARS`.
    """

    text: str
    page_count: int | None
    title: str | None
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Failure:
    """A parser's refusal: the problem, and a technical detail for the log (never shown)."""

    problem: Problem
    detail: str = ""
