"""A separate process for the parsers, stopped and replaced when a file makes it hang or die.

PDFium and lxml are C libraries: a hostile file may send them into an endless loop or crash
them. Running them in a child process keeps the app alive and responsive; a time limit turns a
hang into a clear refusal, and the next file gets a fresh process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from idm_desktop.ingest import messages
from idm_desktop.ingest.model import Failure, Kind, Parsed

logger = logging.getLogger(__name__)

T = TypeVar("T")

START_TIMEOUT = 60.0
"""How long a new process may take to start, apart from the time limit of a file: a cold start
on a slow laptop must not count against the file."""


READER_MEMORY_LIMIT = 2 * 1024**3
"""Address space a reader process may use: a decompression bomb inside a PDF fails with a
clear refusal instead of swapping the machine until the time limit."""


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the time limit still applies
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = READER_MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(hard, READER_MEMORY_LIMIT)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def prepare_reader() -> None:
    """Load the parsers in a new reader process, before it is given a file."""
    _limit_memory()
    # Imported for its side effect: PDFium and python-docx load before the first file's clock.
    from idm_desktop.ingest import reader  # noqa: F401


def read_in_reader_process(kind: Kind, data: bytes) -> Parsed | Failure:
    """Parse ``data``; called in the reader process (imported there, not in the app)."""
    from idm_desktop.ingest import reader

    return reader.read(kind, data)


class Worker:
    """One child process that runs a function with a time limit.

    Started on first use ("spawn", so it shares no state with the app's threads) and replaced
    after a timeout or a crash. Not thread-safe: one caller at a time.
    """

    def __init__(
        self,
        *,
        initializer: Callable[[], object] | None = prepare_reader,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self._initializer = initializer
        self._start_timeout = start_timeout
        self._pool: ProcessPoolExecutor | None = None

    def call(self, fn: Callable[..., T], *args: object, timeout: float, filename: str) -> T:
        """``fn(*args)`` run in the child process.

        Raises :class:`IngestError` naming ``filename`` when it takes longer than ``timeout``
        seconds or the process dies; the process is then replaced on the next call.
        """
        try:
            future = self._started(filename).submit(fn, *args)
        except BrokenProcessPool:
            # The process died between two files (killed from outside, say): that is not this
            # file's fault, so it gets a fresh process.
            logger.warning("the reader process had stopped: starting a new one")
            self._discard()
            future = self._started(filename).submit(fn, *args)
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            logger.warning("reading %r took over %gs: stopping the reader process", filename, timeout)
            self._discard()
            raise messages.timed_out(filename, timeout) from None
        except BrokenProcessPool:
            logger.warning("the reader process died while reading %r", filename)
            self._discard()
            raise messages.reader_crashed(filename) from None

    def close(self) -> None:
        """Stop the child process, if one runs."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _started(self, filename: str) -> ProcessPoolExecutor:
        if self._pool is not None:
            return self._pool
        pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=self._initializer,
        )
        self._pool = pool
        try:
            # A first trivial call waits until the process is up and its parsers are loaded.
            pool.submit(os.getpid).result(timeout=self._start_timeout)
        except TimeoutError:
            logger.warning("the reader process did not start within %gs", self._start_timeout)
            self._discard()
            raise messages.timed_out(filename, self._start_timeout) from None
        except BrokenProcessPool:
            logger.warning("the reader process could not start")
            self._discard()
            raise messages.reader_crashed(filename) from None
        return pool

    def _discard(self) -> None:
        """Kill the child process and forget the pool."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # The executor offers no way to stop a busy worker before Python 3.14 (kill_workers),
        # so kill its process directly; the executor then sees it broken and winds down.
        for process in list((pool._processes or {}).values()):
            process.kill()
        pool.shutdown(wait=True, cancel_futures=True)
