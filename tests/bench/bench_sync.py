"""Sync over loopback against a real idm-server process (DESIGN §11), each figure beside its floor:

(a) pulling 1,000 published documents (~100 MB of .txt) with ``app.sync.run()``, against plain
    sequential ``httpx`` GETs of the same blob URLs (same client type, same server, same run),
    pulls and floors alternated, medians compared: budget ≥ 0.8× the floor's throughput. The
    pull's own time is split into downloading, reading the text (ingest) and adding to the
    library (SQLite + FTS5), shown for information;
(b) a sync with nothing to do: requests made (budget 1) and bytes on the wire, both ways,
    counted at the socket by a FaultProxy (budget < 2 KB);
(c) a 50 MB file whose download is cut at 50%: bytes the server sends again after the resume,
    against a clean download through the same proxy (budget ≤ one chunk, sync/blobs.CHUNK).

Run: ``.venv/bin/python tests/bench/bench_sync.py [--docs N] [--size-kb K] [--big-mb M] [--rounds R]``
(about two minutes; the server's home and the client's go in a temporary folder on disk, as a
user's would). Exits 1 when over budget.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import functools
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from idm_desktop.app import DesktopApp  # noqa: E402
from idm_desktop.ingest import extractor  # noqa: E402
from idm_desktop.protocol import Entity  # noqa: E402
from idm_desktop.server import accounts, feed  # noqa: E402
from idm_desktop.server.config import Settings  # noqa: E402
from idm_desktop.server.context import ServerContext  # noqa: E402
from idm_desktop.server.models import Document  # noqa: E402
from idm_desktop.storage import pulled  # noqa: E402
from idm_desktop.sync import engine  # noqa: E402
from idm_desktop.sync.blobs import CHUNK  # noqa: E402
from tests.support.faultproxy import FaultProxy  # noqa: E402

THROUGHPUT_BUDGET = 0.8
NOOP_REQUESTS_BUDGET = 1
NOOP_BYTES_BUDGET = 2048
USER, PASSWORD = "bench", "bench password 2006"
WORKSHOP = "idm2006-integration"
WORDS = ["migration", "labour", "integration", "policy", "dialogue", "partnership", "return", "remittance",
         "diaspora", "capacity", "consular", "protection", "mobility", "skills", "data", "border", "health",
         "workers", "women", "youth", "development", "cooperation", "governance", "regional", "process"]



# -- the server -----------------------------------------------------------------------------------

def _texts(n: int, size: int, seed: int) -> Iterator[str]:
    """``n`` distinct texts of about ``size`` bytes (slices of one pool, each with its own head)."""
    rng = random.Random(seed)
    pool = " ".join(rng.choices(WORDS, k=min(4 * size, 4_000_000) // 8))
    for i in range(n):
        parts, length = [f"Generated note {seed}-{i}\n\n"], 0
        while length < size - 40:
            start = rng.randrange(0, len(pool) - 1000)
            parts.append(pool[start:start + min(size - 40 - length, len(pool) - start)])
            length += len(parts[-1])
        yield "".join(parts) + "\n"


def publish(ctx: ServerContext, texts: Iterator[str], prefix: str) -> list[tuple[str, int]]:
    """Publish straight into the service's database and blob store (what ``publish_document`` does,
    less reading each file with ingest, which the bench does not need). Returns (sha256, size)."""
    out = []
    with ctx.db.write() as session:
        for i, text in enumerate(texts):
            data = text.encode("utf-8")
            sha = ctx.blobs.put(data)
            doc_id = str(uuid.uuid4())
            session.add(Document(
                id=doc_id, rev=1, workshop_id=WORKSHOP, symbol=f"{prefix}/{i}", title=f"{prefix} note {i}",
                kind="background", language="en", original_language="en", languages="en",
                date=dt.date(2006, 6, 26), sha256=sha, size=len(data), mime="text/plain",
                filename=f"{prefix.lower()}-{i}.txt", page_count=max(1, len(data) // 3000), text=text))
            session.flush()
            feed.record(session, Entity.DOCUMENT, doc_id, 1)
            out.append((sha, len(data)))
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server_process(home: Path) -> Iterator[str]:
    """``idm-server run`` in its own process (as deployed: no GIL shared with the client)."""
    port = _free_port()
    cmd = [str(Path(sys.executable).with_name("idm-server")), "--home", str(home), "run",
           "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/api/v1/info", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("idm-server did not start")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(30)


# -- measuring ------------------------------------------------------------------------------------

class Phases:
    """Time spent in the pull's steps, by patching the functions the engine calls."""

    def __init__(self) -> None:
        self.seconds: collections.defaultdict[str, float] = collections.defaultdict(float)

    def wrap(self, owner: Any, name: str, label: str) -> Callable[[], None]:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start

        setattr(owner, name, timed)
        return lambda: setattr(owner, name, original)


def floor_get(url: str, token: str, blobs: list[tuple[str, int]]) -> float:
    """Plain sequential GETs of the same blob URLs with one httpx.Client; seconds taken."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        start = time.perf_counter()
        for sha, size in blobs:
            response = client.get(f"/api/v1/blobs/{sha}")
            response.raise_for_status()
            assert len(response.content) == size
        return time.perf_counter() - start


def _mb_s(nbytes: int, seconds: float) -> float:
    return nbytes / seconds / 1e6


# -- the benchmarks -------------------------------------------------------------------------------

def bench_pull(url: str, token: str, new_app: Callable[[int], DesktopApp],
               blobs: list[tuple[str, int]], rounds: int) -> tuple[bool, DesktopApp]:
    """``rounds`` pulls, each into a new library, between floors (floor, pull, floor, pull, …,
    floor): the medians are compared, so a moment of load on the shared cores weighs on both
    alike. Gives the verdict and the first round's library (for the no-op sync)."""
    total = sum(size for _sha, size in blobs)
    floors = [floor_get(url, token, blobs)]
    pulls: list[float] = []
    phases = Phases()
    undo = [phases.wrap(engine.SyncEngine, "_pull", "pull"),
            phases.wrap(engine.SyncEngine, "_fetch_documents", "files"),
            phases.wrap(engine, "download_blob", "download"),
            phases.wrap(extractor.Extractor, "text", "read"),
            phases.wrap(pulled, "add_pulled_documents", "add")]
    first: DesktopApp | None = None
    try:
        for n in range(rounds):
            app = new_app(n)
            start = time.perf_counter()
            report = app.sync.run()
            pulls.append(time.perf_counter() - start)
            assert report.new_documents == len(blobs), report
            assert not report.failures, report
            if first is None:
                first = app
            else:
                app.close()
            floors.append(floor_get(url, token, blobs))
    finally:
        for restore in undo:
            restore()
    assert first is not None
    ours, floor = statistics.median(pulls), statistics.median(floors)
    ratio = floor / ours
    print(f"(a) pull {len(blobs):,} documents, {total / 1e6:.0f} MB over loopback "
          f"({rounds} pulls, each into a new library, between {len(floors)} floors; medians)")
    print(f"  {'':44}{'ours':>10}{'floor':>10}{'ratio':>8}{'budget':>9}")
    print(f"  {'throughput, MB/s (app.sync.run vs httpx GETs)':44}{_mb_s(total, ours):10.1f}"
          f"{_mb_s(total, floor):10.1f}{ratio:7.2f}x{'≥ ' + str(THROUGHPUT_BUDGET):>8}x")
    print(f"  {'wall time, s':44}{ours:10.2f}{floor:10.2f}")
    print(f"    pulls: {', '.join(f'{p:.2f}' for p in pulls)}; "
          f"floors: {', '.join(f'{f:.2f}' for f in floors)}")
    took = {label: seconds / rounds for label, seconds in phases.seconds.items()}
    files = took["files"]
    rows = [("changes feed: pages pulled and applied", took["pull"]),
            ("files (downloads, reading and writing overlap):", files),
            (f"  downloading, {engine.DOWNLOADS} at once (time summed)", took["download"]),
            ("  reading the text (ingest)", took["read"]),
            ("  adding to the library (own thread: ORM, FTS5)", took["add"]),
            ("push, submit, the rest", statistics.mean(pulls) - took["pull"] - files)]
    print("  a pull's time, mean of the rounds:")
    for label, seconds in rows:
        print(f"    {label:48}{seconds:8.2f} s")
    return ratio >= THROUGHPUT_BUDGET, first


def bench_noop(proxy: FaultProxy, app: DesktopApp) -> bool:
    app.sync.run()  # settle (the new server address starts the feed from the beginning)
    before = proxy.bytes_to_upstream, proxy.bytes_to_client
    report = app.sync.run()
    up, down = proxy.bytes_to_upstream - before[0], proxy.bytes_to_client - before[1]
    print("(b) no-op sync (library of the pull above), counted at the socket")
    print(f"  requests {report.requests} to sync (budget {NOOP_REQUESTS_BUDGET}), then the server's "
          f"information asked (304 Not Modified while it holds); bytes on the wire, both together, "
          f"{up + down:,} = {up:,} up + {down:,} down (budget < {NOOP_BYTES_BUDGET:,})")
    return report.requests <= NOOP_REQUESTS_BUDGET and up + down < NOOP_BYTES_BUDGET


def bench_resume(proxy: FaultProxy, clean: DesktopApp, cut: DesktopApp, size: int) -> bool:
    start = proxy.bytes_to_client
    report = clean.sync.run()
    assert report.new_documents == 1, report
    wire_clean = proxy.bytes_to_client - start

    limit = size // 2
    proxy.cut_after_bytes = limit
    start = proxy.bytes_to_client

    def heal() -> bool:  # the Transport's "cancelled" hook: once the cut happened, the link is back
        if proxy.bytes_to_client - start >= limit:
            proxy.cut_after_bytes = None
        return False

    connections = proxy.connections
    report = cut.sync.run(cancelled=heal)
    assert report.new_documents == 1, report
    wire_cut = proxy.bytes_to_client - start
    resent = wire_cut - wire_clean
    print(f"(c) resume after a cut at 50% of a {size / 1e6:.0f} MB file ({proxy.connections - connections} "
          "connections)")
    print(f"  bytes received: clean {wire_clean:,}, cut and resumed {wire_cut:,}; re-sent {resent:,} "
          f"(budget ≤ one chunk, {CHUNK:,})")
    return resent <= CHUNK


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--size-kb", type=int, default=100)
    parser.add_argument("--big-mb", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="pulls, each beside a floor")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()

    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    work = args.keep or Path(tempfile.mkdtemp(prefix="idm-bench-sync-"))
    try:
        server_home = work / "server"
        ctx = ServerContext.open(Settings(home=server_home))
        with ctx.db.write() as session:
            accounts.add_user(session, USER, PASSWORD, "drafter", "MEX")
        t = time.perf_counter()
        blobs = publish(ctx, _texts(args.docs, args.size_kb * 1000, 2006), "GEN")
        print(f"published {len(blobs):,} documents in {time.perf_counter() - t:.1f} s")
        ctx.close()
        ok = True
        with server_process(server_home) as url:
            def new_app(n: int) -> DesktopApp:
                app = DesktopApp.open(work / ("home-a" if n == 0 else f"home-pull-{n}"))
                app.sync.login(url, USER, PASSWORD, device_name=f"bench {n}", token_file=True)
                return app

            token = httpx.post(url + "/api/v1/auth/token", json={
                "username": USER, "password": PASSWORD, "device_name": "floor"}).json()["token"]
            pulled_ok, app = bench_pull(url, token, new_app, blobs, args.rounds)
            ok &= pulled_ok
            with FaultProxy(int(url.rsplit(":", 1)[1])) as proxy:
                app.sync.login(proxy.url, USER, PASSWORD, device_name="bench", token_file=True)
                ok &= bench_noop(proxy, app)
                app.close()
                shutil.copytree(work / "home-a", work / "home-b")
                a, b = DesktopApp.open(work / "home-a"), DesktopApp.open(work / "home-b")
                ctx = ServerContext.open(Settings(home=server_home), migrate=False, seed=False)
                (big,) = publish(ctx, _texts(1, args.big_mb * 1_000_000, 50), "BIG")
                # Published by another process than the server's: its polls see it within a
                # second (server/polls.py).
                time.sleep(1.2)
                ctx.close()
                ok &= bench_resume(proxy, b, a, big[1])
                a.close()
                b.close()
        print("within budget" if ok else "OVER BUDGET")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
