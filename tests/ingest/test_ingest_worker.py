"""The reader process: a file that hangs or kills the parser is refused, and the next file
gets a fresh process."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from idm_desktop.core.errors import IngestError
from idm_desktop.ingest import Extractor
from idm_desktop.ingest.worker import Worker

MakePdf = Callable[..., Path]


@pytest.fixture
def worker() -> Iterator[Worker]:
    # No parsers to load: the standard library functions below stand in for a parser.
    started = Worker(initializer=None)
    yield started
    started.close()


def test_a_call_runs_in_another_process(worker: Worker) -> None:
    assert worker.call(os.getpid, timeout=30, filename="x.pdf") != os.getpid()


def test_a_hanging_call_is_stopped_at_its_time_limit(worker: Worker) -> None:
    first = worker.call(os.getpid, timeout=30, filename="x.pdf")
    started = time.monotonic()

    with pytest.raises(IngestError) as caught:
        worker.call(time.sleep, 60, timeout=0.5, filename="hangs.pdf")

    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert "“hangs.pdf”" in message
    assert "0.5 seconds" in message
    assert "\n" not in message
    replacement = worker.call(os.getpid, timeout=30, filename="x.pdf")
    assert replacement != first
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)


def test_a_crashing_call_is_reported_and_the_process_replaced(worker: Worker) -> None:
    with pytest.raises(IngestError) as caught:
        worker.call(os._exit, 11, timeout=30, filename="crashes.docx")

    message = str(caught.value)
    assert "“crashes.docx”" in message
    assert "stopped unexpectedly" in message
    assert "\n" not in message
    assert worker.call(abs, -3, timeout=30, filename="x.pdf") == 3


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kills the process the POSIX way")
def test_a_process_killed_between_calls_is_replaced_silently(worker: Worker) -> None:
    first = worker.call(os.getpid, timeout=30, filename="x.pdf")
    os.kill(first, signal.SIGKILL)
    pool = worker._pool
    assert pool is not None
    deadline = time.monotonic() + 10
    while not pool._broken and time.monotonic() < deadline:
        time.sleep(0.02)  # until the executor has noticed: only then is the case certain

    assert worker.call(os.getpid, timeout=30, filename="innocent.pdf") not in (first, os.getpid())


def test_one_reader_process_serves_a_batch(make_pdf: MakePdf) -> None:
    paths = [make_pdf(f"doc{number}.pdf", [f"Document {number}"]) for number in range(3)]

    with Extractor() as extractor:
        results = [extractor.extract(path) for path in paths]
        worker = extractor._worker
        pids = {worker.call(os.getpid, timeout=30, filename="x") for _ in range(2)}

    assert [result.text for result in results] == ["Document 0", "Document 1", "Document 2"]
    assert len(pids) == 1


def test_extractor_reads_on_after_a_file_timed_out(make_pdf: MakePdf) -> None:
    good = make_pdf("good.pdf", ["Bonne note"])

    with Extractor(timeout=30) as extractor:
        with pytest.raises(IngestError, match="was stopped"):
            extractor._worker.call(time.sleep, 60, timeout=0.2, filename="slow.pdf")
        assert extractor.extract(good).text == "Bonne note"
