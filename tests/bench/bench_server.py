"""A no-op poll of idm-server, ``GET /api/v1/changes?cursor=<current>`` by a signed-in client,
against a bare FastAPI ``/hello`` (DESIGN §11: budget ≥ 0.25× the floor's requests/s), on SQLite
and on PostgreSQL.

Both are served the same way: a subprocess running uvicorn, one worker, no uvicorn access log
(``idm-server run`` for ours, as deployed, with its own JSON access log going to a file), loaded
by the same ``wrk`` with the same connections and the same Authorization header, in the same run,
alternating rounds, each side's best round counted. The machine's cores are shared by wrk, the
server (and PostgreSQL): wrk gets one thread.

Run: .venv/bin/python tests/bench/bench_server.py [--seconds S] [--rounds N] [--connections C]
     [--databases sqlite,postgresql]   (PostgreSQL: IDM_TEST_POSTGRES_URL or scripts/test-postgres)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx

BUDGET = 0.25
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "bench password, long enough"
HELLO_APP = '''\
from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
async def hello():
    return {"hello": "world"}
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(cmd: list[str], url: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``cmd`` until the block ends (the block gets its process); ``url`` answers once it is up."""
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=log.parent)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"{cmd[0]} exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(url, timeout=2).status_code < 500:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"{cmd[0]} did not come up:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(url: str, token: str, seconds: int, connections: int) -> tuple[float, float]:
    """Requests/s and p99 latency (ms) of ``url`` under wrk."""
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", f"Authorization: Bearer {token}", url],
        check=True, capture_output=True, text=True,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw errors on {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M).groups()  # type: ignore[union-attr]
    return rps, float(value) * _UNITS[unit]


def idm_server(home: Path, database_url: str | None, *args: str) -> list[str]:
    cmd = [str(BIN / "idm-server"), "--home", str(home)]
    if database_url:
        cmd += ["--database-url", database_url]
    return [*cmd, *args]


def current_cursor(base: str) -> tuple[str, str]:
    """Sign in as the bench's drafter and pull to the end: the token and the current cursor."""
    with httpx.Client(base_url=base, timeout=30) as client:
        r = client.post("/api/v1/auth/token",
                        json={"username": "bench", "password": PASSWORD, "device_name": "bench"})
        r.raise_for_status()
        token = r.json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        cursor = None
        while True:
            page = client.get("/api/v1/changes", params={"cursor": cursor} if cursor else {},
                              headers=headers).raise_for_status().json()
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
        noop = client.get("/api/v1/changes", params={"cursor": cursor}, headers=headers).json()
        if noop["changes"] or noop["next_cursor"] != cursor:
            raise SystemExit(f"a poll at the current cursor is not a no-op: {noop}")
    return token, cursor


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the test PostgreSQL, dropped afterwards."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    url = os.environ.get("IDM_TEST_POSTGRES_URL") or subprocess.run(
        [str(ROOT / "scripts" / "test-postgres"), "start"], check=True, capture_output=True, text=True,
    ).stdout.strip()
    base = make_url(url)
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"idm_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def measure(database: str, args: argparse.Namespace) -> dict[str, tuple[float, float]]:
    folder = Path(tempfile.mkdtemp(prefix=f"idm-bench-server-{database}-"))
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(postgres_database()) if database == "postgresql" else None
            home = folder / "server"
            subprocess.run(idm_server(home, url, "admin", "add-user", "bench", "--delegation", "MEX",
                                      "--role", "drafter", "--password-stdin"),
                           input=PASSWORD + "\n", text=True, check=True, capture_output=True)
            (folder / "bench_hello.py").write_text(HELLO_APP)
            ours_port, floor_port = free_port(), free_port()
            ours = f"http://127.0.0.1:{ours_port}"
            floor = f"http://127.0.0.1:{floor_port}"
            stack.enter_context(serving(idm_server(home, url, "run", "--port", str(ours_port)),
                                        f"{ours}/api/v1/info", folder / "idm-server.log"))
            stack.enter_context(serving(
                [sys.executable, "-m", "uvicorn", "bench_hello:app", "--app-dir", str(folder),
                 "--host", "127.0.0.1", "--port", str(floor_port), "--workers", "1",
                 "--no-access-log", "--log-level", "warning"],
                f"{floor}/hello", folder / "hello.log"))
            token, cursor = current_cursor(ours)
            targets = {"floor": f"{floor}/hello", "route": f"{ours}/api/v1/changes?cursor={cursor}"}
            for target in targets.values():  # warm both up the same way
                wrk(target, token, 1, args.connections)
            runs: dict[str, list[tuple[float, float]]] = {"floor": [], "route": []}
            for _round in range(args.rounds):
                for name, target in targets.items():
                    runs[name].append(wrk(target, token, args.seconds, args.connections))
        # Each side's best round: other work on the machine only ever slows a round down.
        return {name: max(got) for name, got in runs.items()}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: scripts/bootstrap --system-tools installs it", file=sys.stderr)
        return 1
    print(f"wrk -t1 -c{args.connections} -d{args.seconds}s, best of {args.rounds} alternating rounds")
    print(f"{'database':12}{'floor req/s':>13}{'p99 ms':>9}{'route req/s':>13}{'p99 ms':>9}{'ratio':>8}")
    ok = True
    for database in args.databases.split(","):
        got = measure(database, args)
        (floor_rps, floor_p99), (route_rps, route_p99) = got["floor"], got["route"]
        ratio = route_rps / floor_rps
        ok = ok and ratio >= BUDGET
        print(f"{database:12}{floor_rps:>13.0f}{floor_p99:>9.1f}{route_rps:>13.0f}{route_p99:>9.1f}{ratio:>8.2f}",
              flush=True)
    print(f"budget: route ≥ {BUDGET}× the bare FastAPI hello's requests/s: {'OK' if ok else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
