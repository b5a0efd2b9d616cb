"""idm-server on one and on two replicas, behind HAProxy, in the same run (DESIGN §16).

The load: N delegations × D devices, each device polling ``/changes`` with its cursor every five
minutes (time compressed by --compress: 300 s / C), one poll in --push-share also pushing an edit
of its delegation's draft, plus public readers (home, search, a submission page) at --readers
pages/s. Open loop: every request has a due time, and its latency counts from then, so a
service that falls behind shows it. Phase one goes through a HAProxy with one replica in it,
phase two through one with both, over the same PostgreSQL and the same S3 store (SeaweedFS).

Printed per phase: requests/s, requests/s per core of the replicas (their CPU seconds, from
/proc), p50/p95/p99 latency, errors. The README's projection for 190 delegations comes from it.

Run: .venv/bin/python tests/bench/bench_scale.py [--delegations 190] [--devices 3]
     [--compress 60] [--readers 20] [--seconds 30]
     (PostgreSQL: IDM_TEST_POSTGRES_URL, else scripts/test-postgres start)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from idm_desktop.protocol import body_sha256
from idm_desktop.server.models import Token, User, utcnow
from idm_desktop.server.security import new_token, token_hash
from tests.scale.cluster import Cluster, free_port, start_cluster, start_haproxy
from tests.support.seaweed import start_seaweed

PERIOD = 300.0


@dataclass
class Device:
    token: str
    delegation: str
    draft: str
    cursor: str | None = None
    rev: int = 1


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        self.latencies.append(seconds)
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if not ok:
            self.errors += 1


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def make_devices(cluster: Cluster, delegations: int, devices: int) -> list[Device]:
    """One drafter per delegation, ``devices`` tokens each (made in the database: a sign-in per
    device would only measure scrypt), and one draft per delegation to edit."""
    codes = sorted(c.alpha_3 for c in pycountry.countries)[:delegations]
    out = []
    admin_user = f"bench-{uuid.uuid4().hex[:6]}"
    for i, code in enumerate(codes):
        cluster.add_user(f"{admin_user}-{i}", "drafter", code)
    with cluster.admin.db.write() as session:
        made = session.query(User).filter(User.username.like(f"{admin_user}-%"))
        users = {u.delegation: u for u in made}
        now = utcnow()
        for code in codes:
            for d in range(devices):
                token = new_token()
                session.add(Token(token_hash=token_hash(token), user_id=users[code].id,
                                  device_name=f"dev{d}", created_at=now,
                                  expires_at=now + cluster.admin.settings.token_ttl))
                out.append(Device(token, code, draft=""))
    drafts: dict[str, str] = {}
    with httpx.Client(base_url=cluster.url, timeout=60) as c:
        for dev in out:
            if dev.delegation not in drafts:
                sid = str(uuid.uuid4())
                body = draft_body(dev.delegation, "first")
                r = c.post("/api/v1/ops", headers={"Authorization": f"Bearer {dev.token}"},
                           json={"ops": [{"op_id": str(uuid.uuid4()), "entity": "submission", "id": sid,
                                          "base_rev": None, "body": body, "sha256": body_sha256(body)}]})
                r.raise_for_status()
                drafts[dev.delegation] = sid
            dev.draft = drafts[dev.delegation]
        # Devices that sync every five minutes are at the feed's head: start them there (their
        # first full pull is bench_sync's business, not this one's).
        heads: dict[str, str] = {}
        for dev in out:
            if dev.delegation not in heads:
                cursor, more = None, True
                while more:
                    page = c.get("/api/v1/changes", params={"cursor": cursor} if cursor else {},
                                 headers={"Authorization": f"Bearer {dev.token}"}).json()
                    cursor, more = page["next_cursor"], page["has_more"]
                heads[dev.delegation] = cursor
            dev.cursor = heads[dev.delegation]
    return out


def draft_body(code: str, text: str) -> dict[str, object]:
    return {"workshop_id": "idm2006-integration", "country": code, "language": "en", "title": "Overview",
            "template_id": "idm-policy-overview", "template_version": 1, "body": {"national_context": text}}


async def device_loop(c: httpx.AsyncClient, dev: Device, period: float, push_share: float,
                      until: float, stats: Stats, rng: random.Random) -> None:
    due = time.monotonic() + rng.uniform(0, period)
    headers = {"Authorization": f"Bearer {dev.token}"}
    while due < until:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        ok = True
        try:
            params = {"cursor": dev.cursor} if dev.cursor else {}
            r = await c.get("/api/v1/changes", params=params, headers=headers)
            ok = r.status_code == 200
            if ok:
                page = r.json()
                dev.cursor = page["next_cursor"]
            kind = "poll"
            if ok and rng.random() < push_share:
                body = draft_body(dev.delegation, f"edit {uuid.uuid4().hex}")
                r = await c.post("/api/v1/ops", headers=headers, json={"ops": [{
                    "op_id": str(uuid.uuid4()), "entity": "submission", "id": dev.draft, "base_rev": None,
                    "body": body, "sha256": body_sha256(body)}]})
                ok = r.status_code == 200
                kind = "poll+push"
        except httpx.HTTPError:
            ok, kind = False, "poll"
        stats.add(kind, time.monotonic() - due, ok)
        due += period


async def reader_loop(c: httpx.AsyncClient, rate: float, until: float, stats: Stats,
                      rng: random.Random) -> None:
    pages = ["/en/", "/fr/", "/es/", "/en/search?q=migration", "/fr/search?q=travail",
             "/en/search?country=MEX"]
    due = time.monotonic()
    while due < until:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        try:
            r = await c.get(rng.choice(pages))
            ok = r.status_code == 200
        except httpx.HTTPError:
            ok = False
        stats.add("public", time.monotonic() - due, ok)
        due += rng.expovariate(rate)


async def phase(url: str, devices: list[Device], args: argparse.Namespace) -> Stats:
    stats = Stats()
    rng = random.Random(19)
    until = time.monotonic() + args.seconds
    period = PERIOD / args.compress
    limits = httpx.Limits(max_connections=args.connections, max_keepalive_connections=args.connections)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as c:
        tasks = [device_loop(c, d, period, args.push_share, until, stats, rng) for d in devices]
        tasks += [reader_loop(c, args.readers / max(1, args.reader_tasks), until, stats, rng)
                  for _ in range(args.reader_tasks)]
        await asyncio.gather(*tasks)
    return stats


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def report(name: str, stats: Stats, seconds: float, cpu: float) -> str:
    n = len(stats.latencies)
    ms = [x * 1000 for x in stats.latencies]
    per_core = n / cpu if cpu else float("nan")
    return (f"{name:<12} {n / seconds:8.1f} req/s  {per_core:8.1f} req/s per core (CPU {cpu:5.1f} s)  "
            f"p50 {pct(ms, 50):7.1f} ms  p95 {pct(ms, 95):7.1f} ms  p99 {pct(ms, 99):7.1f} ms  "
            f"errors {stats.errors}  {stats.kinds}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delegations", type=int, default=190)
    parser.add_argument("--devices", type=int, default=3)
    parser.add_argument("--compress", type=float, default=60.0, help="time compression (300 s → 300/C s)")
    parser.add_argument("--push-share", type=float, default=0.05)
    parser.add_argument("--readers", type=float, default=20.0, help="public pages per second")
    parser.add_argument("--reader-tasks", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=100)
    args = parser.parse_args()
    root_dir = Path(__file__).resolve().parents[2]
    url = os.environ.get("IDM_TEST_POSTGRES_URL") or subprocess.run(
        [str(root_dir / "scripts" / "test-postgres"), "start"], check=True, capture_output=True, text=True,
    ).stdout.strip()
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="idm-bench-scale-") as tmp:
        root = Path(tmp)
        seaweed = start_seaweed(root / "seaweedfs")
        stack.callback(seaweed.stop)
        os.environ.update(seaweed.env)
        cluster = start_cluster(stack, root / "cluster", url, seaweed, n=2)
        one_port = free_port()
        start_haproxy(stack, root / "haproxy-one", one_port, [cluster.replicas[0].port])
        devices = make_devices(cluster, args.delegations, args.devices)
        rate = len(devices) * args.compress / PERIOD
        print(f"{args.delegations} delegations × {args.devices} devices = {len(devices)} devices, "
              f"each polling "
              f"every {PERIOD / args.compress:.1f} s ({rate:.0f} polls/s, {args.push_share:.0%} with a push; "
              f"= {len(devices)} devices every 5 min × {args.compress:g}), {args.readers:g} public pages/s, "
              f"{args.seconds:g} s per phase; {os.cpu_count()} cores shared by the load, HAProxy, "
              "PostgreSQL, SeaweedFS and the replicas")
        pids = [r.process.pid for r in cluster.replicas if r.process is not None]
        errors = 0
        for name, target, used in (("1 replica", f"http://127.0.0.1:{one_port}", pids[:1]),
                                   ("2 replicas", cluster.url, pids)):
            asyncio.run(phase(target, devices[: max(1, len(devices) // 10)], argparse.Namespace(
                **{**vars(args), "seconds": 3.0})))  # warm-up: connections, caches
            cpu0 = cpu_seconds(used)
            start = time.monotonic()
            stats = asyncio.run(phase(target, devices, args))
            elapsed = time.monotonic() - start
            print(report(name, stats, elapsed, cpu_seconds(used) - cpu0), flush=True)
            errors += stats.errors
    return 1 if errors else 0  # the budget: no request fails


if __name__ == "__main__":
    sys.exit(main())
