"""The one-line messages shown when a file is refused.

Every message names the file and says what to do. They are translated here, in the app's
process, because the reader process does not know the language the user chose.
"""

from __future__ import annotations

import math
import unicodedata

from babel.numbers import format_decimal

from idm_desktop.core.errors import IngestError
from idm_desktop.core.i18n import N_, ui_language
from idm_desktop.ingest.model import SUPPORTED_SUFFIXES, Problem

_MB = 1024 * 1024

# Marked with N_ and translated when shown, so that the language is the one in use then.
_PROBLEM_TEXTS: dict[Problem, str] = {
    Problem.PASSWORD: N_("“{name}” is password-protected: remove the password and import it again."),
    Problem.PROTECTED: N_(
        "“{name}” uses a kind of protection that cannot be opened: save an unprotected copy and import that."
    ),
    Problem.DAMAGED_PDF: N_(
        "“{name}” is a damaged PDF: open it in a PDF reader, save or print a new copy to PDF, "
        "and import that."
    ),
    Problem.NO_PAGES: N_("“{name}” is a PDF without pages: check that it is the right file."),
    Problem.DAMAGED_DOCX: N_(
        "“{name}” is a damaged Word document: open it in Word or LibreOffice, "
        "save a new copy as .docx, and import that."
    ),
    Problem.NOT_DOCX: N_(
        "“{name}” is not a Word document (.docx): open it in Word or LibreOffice, "
        "save it as .docx, and import it again."
    ),
    Problem.UNSAFE_ARCHIVE: N_(
        "“{name}” was refused as unsafe (its content would unpack to an abnormal size): "
        "save a new copy in Word and import that."
    ),
    Problem.BINARY: N_(
        "“{name}” is not a text file (it holds binary data): import the original PDF or "
        "Word document, or save the text as UTF-8."
    ),
    Problem.NOT_UTF8: N_(
        "“{name}” is not UTF-8 text: save it with the encoding UTF-8 "
        "(e.g. Save As… › Encoding › UTF-8) and import it again."
    ),
}


def display_name(filename: str) -> str:
    """The file name as it can be shown on one line.

    A file name may hold any character but "/" (a newline too): control and other invisible
    format characters are replaced so that a message stays one readable line.
    """
    return "".join(
        "\N{REPLACEMENT CHARACTER}" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
        for ch in filename
    )


def _megabytes(size: int) -> int:
    # Rounded up, so that a file just over the limit never reads as equal to it.
    return max(1, math.ceil(size / _MB))


def unsupported_type(filename: str) -> IngestError:
    """The file's name does not end with a supported suffix."""
    return IngestError.from_template(
        N_("“{name}” cannot be imported: choose a file of one of these types: {types}."),
        name=display_name(filename), types=", ".join(SUPPORTED_SUFFIXES),
    )


def not_found(filename: str) -> IngestError:
    """The path does not exist."""
    return IngestError.from_template(
        N_("“{name}” was not found: check the file’s name and folder, then try again."),
        name=display_name(filename),
    )


def not_a_file(filename: str) -> IngestError:
    """The path is a folder, a device or a pipe."""
    return IngestError.from_template(
        N_("“{name}” is not a regular file: choose a document file to import."),
        name=display_name(filename),
    )


def unreadable(filename: str, reason: str) -> IngestError:
    """The operating system refused to open or read the file."""
    return IngestError.from_template(
        N_("“{name}” could not be read ({reason}): check that you may open it, then try again."),
        name=display_name(filename), reason=" ".join(reason.split()),
    )


def empty(filename: str) -> IngestError:
    """The file has no content."""
    return IngestError.from_template(
        N_("“{name}” is empty (0 bytes): choose the complete file and import it again."),
        name=display_name(filename),
    )


def too_large(filename: str, size: int, limit: int) -> IngestError:
    """The file is over the size cap."""
    return IngestError.from_template(
        N_(
            "“{name}” is too large ({size} MB; the limit is {limit} MB): "
            "import a smaller file, e.g. split the document."
        ),
        name=display_name(filename), size=_megabytes(size), limit=limit // _MB or 1,
    )


def not_pdf(filename: str) -> IngestError:
    """A file named .pdf whose content is not a PDF."""
    return IngestError.from_template(
        N_("“{name}” is not a PDF file: check that it is the right file, or save it again as PDF."),
        name=display_name(filename),
    )


def truncated_pdf(filename: str) -> IngestError:
    """A PDF whose end is missing (an interrupted download or copy)."""
    return IngestError.from_template(
        N_("“{name}” is incomplete (the end of the file is missing): download or copy it again."),
        name=display_name(filename),
    )


def old_word_file(filename: str) -> IngestError:
    """An OLE compound file named .docx: an old .doc, or a password-protected Word file."""
    return IngestError.from_template(
        N_(
            "“{name}” is an old-format or password-protected Word file: "
            "save it as .docx without a password and import it again."
        ),
        name=display_name(filename),
    )


def timed_out(filename: str, seconds: float) -> IngestError:
    """The reader did not finish in time and was stopped."""
    return IngestError.from_template(
        N_(
            "“{name}” could not be read within {seconds} seconds and was stopped: "
            "it may be damaged; save a new copy from the program that made it and import that."
        ),
        name=display_name(filename),
            seconds=format_decimal(seconds, locale=ui_language()),
    )


def reader_crashed(filename: str) -> IngestError:
    """The reader process died while reading the file."""
    return IngestError.from_template(
        N_(
            "Reading “{name}” stopped unexpectedly: the file may be damaged; "
            "save a new copy from the program that made it and import that."
        ),
        name=display_name(filename),
    )


def for_problem(problem: Problem, filename: str) -> IngestError:
    """The message for a problem a parser reported."""
    return IngestError.from_template(_PROBLEM_TEXTS[problem], name=display_name(filename))
