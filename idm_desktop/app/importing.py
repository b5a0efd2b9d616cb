"""Importing documents into the library: read one by one, written in small batches.

Reading a file (in the reader process, as hostile input) and writing it are apart: up to
:data:`IMPORT_BATCH` files, 32 MB or a quarter of a second's reading go to disk together, in one
transaction after one round of disk flushes for their originals. A file is reported imported once
its batch is on disk, so a crash loses at most the batch in progress and never part of a file;
a duplicate or a bad file is reported in its place, in order.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from idm_desktop.app.library import Library
from idm_desktop.core.documents import (
    Document,
    DocumentKind,
    guess_kind,
    guess_language,
    language_from_filename,
    normalize_symbol,
    symbol_from_filename,
)
from idm_desktop.core.errors import IdmError, IngestError
from idm_desktop.core.i18n import _
from idm_desktop.core.languages import parse_language

if TYPE_CHECKING:
    from idm_desktop.ingest import Extractor
    from idm_desktop.storage.documents import NewDocument

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What happened to one file of an import: ``document`` or ``duplicate_of`` or ``error``."""

    path: Path
    document: Document | None = None
    duplicate_of: Document | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ImportOptions:
    workshop_id: str | None = None
    symbol: str | None = None
    language: str | None = None
    title: str | None = None
    kind: DocumentKind | None = None
    available: tuple[str, ...] = ()  # the languages the organisation published it in


IMPORT_BATCH = 128
"""At most this many files (or IMPORT_BATCH_BYTES, or IMPORT_BATCH_SECONDS of reading) go to disk
together."""
IMPORT_BATCH_BYTES = 32 * 1024 * 1024
IMPORT_BATCH_SECONDS = 0.25  # the progress a user sees moves at least this often


class _ImportBatch:
    """Files read and not yet written: (path, document, original bytes)."""

    def __init__(self) -> None:
        self.items: list[tuple[Path, NewDocument, bytes]] = []
        self.twins: list[tuple[Path, str]] = []
        self.by_sha256: dict[str, NewDocument] = {}
        self.size = 0
        self.started = 0.0

    def add(self, path: Path, new: NewDocument, data: bytes) -> None:
        if not self.items:
            self.started = time.monotonic()
        self.items.append((path, new, data))
        self.by_sha256[new.sha256] = new
        self.size += len(data)

    def full(self) -> bool:
        return (len(self.items) >= IMPORT_BATCH or self.size >= IMPORT_BATCH_BYTES
                or time.monotonic() - self.started >= IMPORT_BATCH_SECONDS)

    def take(self) -> tuple[list[tuple[Path, NewDocument, bytes]], list[tuple[Path, str]]]:
        items, twins = self.items, self.twins
        self.items, self.twins, self.by_sha256, self.size = [], [], {}, 0
        return items, twins


def import_documents(library: Library, files: Sequence[Path], options: ImportOptions,
                     on_progress: Callable[[ImportResult], None] | None = None,
                     cancel: threading.Event | None = None) -> list[ImportResult]:
    """Import each file on its own: a bad file is reported and changes nothing. ``cancel``
    stops the import between two files; the files already read are written and stay."""
    from idm_desktop.ingest import Extractor

    results: list[ImportResult] = []
    batch = _ImportBatch()

    def report(done: list[ImportResult]) -> None:
        results.extend(done)
        if on_progress:
            for result in done:
                on_progress(result)

    with Extractor() as extractor:
        for path in files:
            if cancel is not None and cancel.is_set():
                break
            try:
                ready = _read_one(library, extractor, path, options, batch)
            except IdmError as exc:
                ready = ImportResult(path=path, error=str(exc))
            if ready is not None:  # a duplicate or an error: nothing to write for it
                report([*_write_batch(library, batch, options), ready])
            elif batch.full():
                report(_write_batch(library, batch, options))
        report(_write_batch(library, batch, options))
    return results


def _read_one(library: Library, extractor: Extractor, path: Path, options: ImportOptions,
              batch: _ImportBatch) -> ImportResult | None:
    """Read ``path`` into ``batch`` (its result comes when the batch is written)."""
    from idm_desktop.storage import documents as docs_repo

    if not path.is_file():
        raise IngestError(_("“{name}” is not a file that can be read.").format(name=path))
    extracted = extractor.extract(path)
    if extracted.sha256 in batch.by_sha256:  # the same bytes twice in one batch
        batch.twins.append((path, extracted.sha256))
        return None
    stem = Path(extracted.filename).stem
    symbol = normalize_symbol(options.symbol or symbol_from_filename(stem) or stem)
    language = (
        parse_language(options.language) if options.language
        else language_from_filename(stem) or guess_language(extracted.text) or "en"
    )
    title = (options.title or extracted.title or symbol).strip()
    kind = options.kind or guess_kind(symbol, title)
    batch.add(path, docs_repo.NewDocument(
        symbol=symbol, title=title, workshop_id=options.workshop_id, kind=kind,
        language=language, sha256=extracted.sha256, size=extracted.size, mime=extracted.mime,
        filename=extracted.filename, page_count=extracted.page_count, text=extracted.text,
        original_language=language,
        languages_available=tuple(dict.fromkeys(parse_language(x) for x in options.available)),
    ), extracted.data)
    return None


def _write_batch(library: Library, batch: _ImportBatch, options: ImportOptions
                 ) -> list[ImportResult]:
    """The batch's originals, then its documents in one transaction; its results, in order."""
    from idm_desktop.storage import catalog as catalog_repo
    from idm_desktop.storage import documents as docs_repo

    if not batch.items:
        return []
    items, twins = batch.take()
    results: list[ImportResult] = []
    try:
        with library.db.session() as s:
            known = docs_repo.find_by_sha256s(s, [new.sha256 for _path, new, _data in items])
        fresh = [item for item in items if item[1].sha256 not in known]
        library.blobs.put_many([data for _path, _new, data in fresh])
        with library.db.session() as s:
            # The catalog knows the workshop of its documents' symbols.
            links = {} if options.workshop_id else catalog_repo.workshop_links(s)
            now = library.clock()
            for path, new, _data in items:
                if new.sha256 in known:  # already in the library before this import
                    results.append(ImportResult(path=path, duplicate_of=known[new.sha256]))
                    continue
                if not options.workshop_id:
                    new = dataclasses.replace(new, workshop_id=links.get(new.symbol.upper()))
                results.append(ImportResult(path=path, document=docs_repo.add_document(s, new, now)))
    except IdmError as exc:  # the environment's (a full disk): none of the batch is in
        return [ImportResult(path=path, error=str(exc))
                for path in [p for p, _new, _data in items] + [p for p, _sha in twins]]
    by_sha: dict[str, Document] = {}
    for result in results:
        if result.document is not None:
            by_sha[result.document.sha256] = result.document
            log.info("imported %s as %s (%s)", result.path.name, result.document.symbol,
                     result.document.id)
        elif result.duplicate_of is not None:
            by_sha[result.duplicate_of.sha256] = result.duplicate_of
    return results + [ImportResult(path=path, duplicate_of=by_sha[sha]) for path, sha in twins]
