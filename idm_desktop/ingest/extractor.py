"""Reading a document file into an :class:`Extracted`: the entry point of ingest."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from types import TracebackType

from idm_desktop.ingest import files, messages, sniff, titles
from idm_desktop.ingest.model import MAX_FILE_BYTES, Extracted, Failure, Kind, Parsed
from idm_desktop.ingest.normalise import estimate_pages, join_wrapped_lines
from idm_desktop.ingest.text import parse_text
from idm_desktop.ingest.worker import Worker, read_in_reader_process

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 60.0
"""Seconds a PDF or Word file may take to parse before it is refused."""


class Extractor:
    """Reads files one after the other, reusing one reader process for the PDF and Word ones.

    Use it as a context manager (or call :meth:`close`) so that the process stops afterwards.
    Not thread-safe: one caller at a time. Nothing is written to disk.
    """

    def __init__(self, *, max_bytes: int = MAX_FILE_BYTES, timeout: float = DEFAULT_TIMEOUT) -> None:
        if max_bytes <= 0 or timeout <= 0:
            raise ValueError("max_bytes and timeout must be positive")
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._worker = Worker()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the reader process, if one was started."""
        self._worker.close()

    def extract(self, path: Path) -> Extracted:
        """The text and metadata of the file at ``path``.

        Raises :class:`IngestError` with one translated line naming the file and saying what
        to do when the file is refused: unsupported type, missing, empty, over the size cap,
        content not matching its type, password-protected, damaged, not UTF-8, too slow to read.
        """
        parsed, kind, name, data = self._parse(Path(path))
        return _extracted(parsed, kind, name, data)

    def text(self, path: Path) -> str:
        """Only the text :meth:`extract` gives, refused the same way: for a file whose title,
        pages and checksum are known already (a pulled one), without working them out again."""
        parsed, kind, name, _data = self._parse(Path(path))
        _note_truncated(parsed, name)
        return _shaped_text(parsed, kind)

    def _parse(self, path: Path) -> tuple[Parsed, Kind, str, bytes]:
        name = path.name
        kind = sniff.kind_for(path)
        data = files.read_capped(path, self.max_bytes)
        sniff.check_content(kind, data, name)
        if kind in (Kind.TEXT, Kind.MARKDOWN):
            outcome = parse_text(data)
        else:
            outcome = self._worker.call(
                read_in_reader_process, kind, data, timeout=self.timeout, filename=name
            )
        if isinstance(outcome, Failure):
            logger.info("refused %r: %s (%s)", name, outcome.problem, outcome.detail)
            raise messages.for_problem(outcome.problem, name)
        return outcome, kind, name, data


def _note_truncated(parsed: Parsed, name: str) -> None:
    if parsed.truncated:
        logger.warning("the text of %r was cut at %d characters", name, len(parsed.text))


def _shaped_text(parsed: Parsed, kind: Kind) -> str:
    # A Word document has real paragraphs; PDFs and text files break lines where a page or an
    # editor wrapped them, and a search must find a phrase across such a break.
    return parsed.text if kind is Kind.DOCX else join_wrapped_lines(parsed.text)


def _extracted(parsed: Parsed, kind: Kind, name: str, data: bytes) -> Extracted:
    _note_truncated(parsed, name)
    # The title is guessed from the lines as written (a title is a short line of its own).
    return Extracted(
        text=_shaped_text(parsed, kind),
        page_count=parsed.page_count or estimate_pages(parsed.text),
        mime=kind.value,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        filename=name,
        title=titles.guess(parsed.text, recorded=parsed.title, markdown=kind is Kind.MARKDOWN),
        data=data,
    )


def extract(path: Path, *, max_bytes: int = MAX_FILE_BYTES, timeout: float = DEFAULT_TIMEOUT) -> Extracted:
    """Read one file (see :meth:`Extractor.extract`); for many, use one :class:`Extractor`."""
    with Extractor(max_bytes=max_bytes, timeout=timeout) as extractor:
        return extractor.extract(path)
