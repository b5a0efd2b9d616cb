"""Power loss in the middle of a burst of saves, as far as a test can make one (DESIGN §12).

A real child process saves as fast as it can (the burst of tests/storage/test_crash_durability.py,
each save printed once it returned). At random moments it is frozen (SIGSTOP: the instant a power
cut would strike, possibly in the middle of writing a transaction's pages), and the library's
``library.sqlite3`` and ``library.sqlite3-wal`` are copied as they are on disk at that instant
(not the ``-shm`` index, which is memory and rebuilt); then the child goes on. Every copy must
open as the next start would, pass ``PRAGMA integrity_check``, and hold every save that had
returned before the copy was taken (the library commits with ``synchronous=FULL``: a save that
returned was written through to the WAL).

``scripts/soak-powerloss`` runs the same many more times.
"""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from idm_desktop.app import DesktopApp
from tests.storage.test_crash_durability import CHILD

FILES = ("library.sqlite3", "library.sqlite3-wal")


@dataclass(frozen=True)
class Copy:
    home: Path
    returned: int  # the last save the child had printed (so had returned) before the copy


@dataclass(frozen=True)
class Verdict:
    opens: bool
    integrity: bool
    saved: int  # the save the copy holds (-1 when it does not open)


def take_copies(home: Path, sid: str, count: int, rng: random.Random, out: Path) -> list[Copy]:
    """Start the burst, take ``count`` copies at random moments, stop the burst."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(home), sid], stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)
    pending, last, copies = b"", 0, []
    try:
        while len(copies) < count:
            time.sleep(rng.uniform(0.0, 0.05))
            proc.send_signal(signal.SIGSTOP)
            try:
                _wait_stopped(proc.pid)
                # Frozen: every save it reported is in the pipe; nothing more will be written.
                while True:
                    try:
                        chunk = os.read(fd, 65536)
                    except BlockingIOError:
                        break
                    if not chunk:
                        raise AssertionError("the saving process ended before the copies were taken")
                    pending += chunk
                *lines, pending = pending.split(b"\n")
                last = max([last, *(int(x) for x in lines if x)])
                if last == 0:
                    continue  # not one save yet: nothing to promise
                target = out / f"copy-{len(copies):04d}"
                target.mkdir(parents=True)
                for name in FILES:
                    if (home / name).exists():
                        shutil.copyfile(home / name, target / name)
                copies.append(Copy(target, last))
            finally:
                proc.send_signal(signal.SIGCONT)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    return copies


def _wait_stopped(pid: int) -> None:
    """Until the kernel has really stopped the process (SIGSTOP is not instant)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            if fh.read().rsplit(")", 1)[1].split()[0] in ("T", "t"):
                return
        time.sleep(0.0005)
    raise AssertionError("the saving process did not stop")


def check_copy(copy: Copy, sid: str) -> Verdict:
    """Open the copy as the next start would, and read what it holds."""
    try:
        con = sqlite3.connect(copy.home / "library.sqlite3")
        try:
            integrity = con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            con.close()
    except sqlite3.Error:
        return Verdict(opens=False, integrity=False, saved=-1)
    try:
        app = DesktopApp.open(copy.home)
    except Exception:  # noqa: BLE001 - a copy that does not open is what is counted
        return Verdict(opens=False, integrity=integrity, saved=-1)
    try:
        text = app.submission(sid).text_of("national_context")
    finally:
        app.close()
    return Verdict(opens=True, integrity=integrity, saved=int(text.split()[1]) if text else 0)


def new_library(home: Path) -> str:
    app = DesktopApp.open(home)
    sid = app.new_submission(app.workshops()[0].id, "MEX", "es").id
    app.close()
    return sid


def test_copies_taken_during_a_burst_of_saves_open_and_hold_every_returned_save(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sid = new_library(home)
    copies = take_copies(home, sid, 30, random.Random(20061213), tmp_path / "copies")
    assert len(copies) == 30
    assert copies[-1].returned > copies[0].returned  # the burst went on between copies
    for copy in copies:
        verdict = check_copy(copy, sid)
        assert verdict.opens, copy.home.name
        assert verdict.integrity, copy.home.name
        assert verdict.saved >= copy.returned, (
            f"{copy.home.name}: save {copy.returned} had returned, the copy holds {verdict.saved}")
