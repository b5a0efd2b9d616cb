"""The secretariat's status board for 190 member delegations × 5 workshops (DESIGN §11: p95
≤ 200 ms server-side), on SQLite and on PostgreSQL.

The database holds what a busy season leaves: for each delegation and workshop, nothing, or an
overview received on time or late, published, returned for correction (half of them corrected),
or withdrawn, each 2–3 pages long; and every delegation's drafts, which the board must not read.
``idm-server run`` (one worker, as deployed) serves the desk; a secretariat user signs in through
the sign-in form, then asks for the desk's home (every workshop's counts), each workshop's board
and its CSV again and again. The time is the server's own, from its access log (``ms``: from the
request's arrival to the last byte of the answer), so the client's share of the machine is left out.

Run: .venv/bin/python tests/bench/bench_desk.py [--requests N] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from idm_desktop.core.countries import all_countries  # noqa: E402
from idm_desktop.core.submissions import content_sha256  # noqa: E402
from idm_desktop.server import accounts, feed  # noqa: E402
from idm_desktop.server.config import Settings  # noqa: E402
from idm_desktop.server.context import ServerContext  # noqa: E402
from idm_desktop.server.models import Delegation, Submission, utcnow  # noqa: E402
from tests.bench.bench_server import free_port, idm_server, postgres_database, serving  # noqa: E402

BUDGET_P95_MS = 200.0
DELEGATIONS = 190
WORKSHOPS = ("idm2006-integration", "idm2006-health", "idm2006-indigenous", "idm2006-environment",
             "idm2005-migration-development")
PASSWORD = "correct horse battery"
STATUS_OF = {"on_time": "received", "late": "received", "corrected": "returned"}
PARAGRAPH = ("The Government works with employers, trade unions and civil society so that migrants "
             "find work that matches their skills, learn the language and take part in local life. ")


def fill(settings: Settings, seed: int = 7) -> dict[str, int]:
    """Delegations, sent overviews and drafts straight into the database (the board reads states)."""
    rng = random.Random(seed)
    ctx = ServerContext.open(settings)
    counts: dict[str, int] = {}
    try:
        with ctx.db.write() as session:
            accounts.add_user(session, "desk", PASSWORD, "secretariat", None)
            feed.ensure_state(session)
        codes = [c.alpha3 for c in all_countries()][:DELEGATIONS]
        body = {"national_context": PARAGRAPH * 12, "policy_framework": PARAGRAPH * 10,
                "partnerships": PARAGRAPH * 8}
        for start in range(0, len(codes), 20):
            with ctx.db.write() as session:
                for code in codes[start:start + 20]:
                    session.add(Delegation(iso3=code, created_at=utcnow(), active=True))
                    for workshop in WORKSHOPS:
                        for _ in range(2):  # drafts: never read by the board
                            session.add(_submission(code, workshop, "draft", body, None, None))
                        kind = rng.choice(("none", "on_time", "late", "published", "returned", "corrected",
                                           "withdrawn"))
                        counts[kind] = counts.get(kind, 0) + 1
                        if kind == "none":
                            continue
                        when = dt.datetime(2006, 6, 20 if kind != "late" else 28, 9, tzinfo=dt.UTC)
                        status = STATUS_OF.get(kind, kind)
                        receipt = feed.next_receipt_number(session, code, when)
                        old = _submission(code, workshop, status, body, receipt, when)
                        session.add(old)
                        if kind == "corrected":
                            receipt = feed.next_receipt_number(session, code, when)
                            new = _submission(code, workshop, "received", body, receipt, when,
                                              supersedes=old.id)
                            old.superseded_by = new.id
                            session.add(new)
    finally:
        ctx.close()
    return counts


def _submission(code: str, workshop: str, status: str, body: dict[str, str], receipt: str | None,
                when: dt.datetime | None, supersedes: str | None = None) -> Submission:
    return Submission(
        id=str(uuid.uuid4()), rev=2, delegation=code, workshop_id=workshop, language="en", title="Overview",
        template_id="idm-policy-overview", template_version=1, body=body, status=status,
        content_sha256=content_sha256("Overview", "en", body), receipt_no=receipt, received_at=when,
        supersedes=supersedes, created_at=when or utcnow(), updated_at=when or utcnow())


def measure(database: str, requests: int) -> dict[str, list[float]]:
    folder = Path(tempfile.mkdtemp(prefix=f"idm-bench-desk-{database}-"))
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(postgres_database()) if database == "postgresql" else None
            home = folder / "server"
            counts = fill(Settings(home=home, database_url=url or ""))
            print(f"  {database}: {DELEGATIONS} delegations × {len(WORKSHOPS)} workshops: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), flush=True)
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            log = folder / "idm-server.log"
            stack.enter_context(serving(idm_server(home, url, "run", "--port", str(port)),
                                        f"{base}/api/v1/info", log))
            with httpx.Client(base_url=base, timeout=60) as client:
                form = client.get("/en/desk/sign-in").text
                token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
                r = client.post("/en/desk/sign-in", data={"username": "desk", "password": PASSWORD,
                                                          "csrf": token})
                if r.status_code != 303:
                    raise SystemExit(f"sign-in failed: {r.status_code}")
                page = client.get(f"/en/desk/board/{WORKSHOPS[0]}").text
                if page.count('<tr class="standing-') != DELEGATIONS:
                    raise SystemExit("the board does not have one row per delegation")
                for _ in range(5):  # warm up
                    client.get("/en/desk/")
                for i in range(requests):
                    client.get("/en/desk/").raise_for_status()
                    client.get(f"/en/desk/board/{WORKSHOPS[i % len(WORKSHOPS)]}").raise_for_status()
                    client.get(f"/en/desk/board/{WORKSHOPS[0]}.csv").raise_for_status()
        times: dict[str, list[float]] = {"home (all workshops)": [], "one workshop's board": [], "CSV": []}
        warm = 0
        for line in log.read_text().splitlines():
            if "idm_server.access" not in line:
                continue
            entry = json.loads(line[line.index("{"):])
            path = entry["path"]
            if path == "/en/desk/":
                warm += 1
                if warm > 5:
                    times["home (all workshops)"].append(entry["ms"])
            elif path.endswith(".csv"):
                times["CSV"].append(entry["ms"])
            elif path.startswith("/en/desk/board/"):
                times["one workshop's board"].append(entry["ms"])
        times["one workshop's board"] = times["one workshop's board"][1:]  # the check above
        return times
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"status board, {DELEGATIONS} delegations × {len(WORKSHOPS)} workshops, {args.requests} requests "
          "of each page one after another; server-side ms from the access log")
    print(f"{'database':12}{'page':24}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    ok = True
    for database in args.databases.split(","):
        for page, values in measure(database, args.requests).items():
            p95 = p(values, 95)
            ok = ok and p95 <= BUDGET_P95_MS
            print(f"{database:12}{page:24}{p(values, 50):>9.1f}{p95:>9.1f}{max(values):>9.1f}", flush=True)
    print(f"budget: p95 ≤ {BUDGET_P95_MS:.0f} ms: {'OK' if ok else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
