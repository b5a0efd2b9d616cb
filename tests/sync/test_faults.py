"""Two delegates sync through a link that misbehaves, and end exactly where a perfect link ends.

A seeded scenario (two homes, several submissions, random edits to random sections and titles,
syncs interleaved, two documents published midway, one submit at the end) runs twice against a
real idm-server: once through a quiet :class:`FaultProxy`, once while the proxy adds latency, cuts
connections after N bytes, lets requests through but loses every answer (the server applies ops
it cannot confirm), black-holes connections (a 0.3 s stall timeout) or refuses them -- and, in
some runs, while the server itself is stopped and restarted on the same port. A sync that gives
up (``ServerUnreachableError``, the CLI's exit 5) is "try again later": the delegate keeps
editing. When the faults end, both homes sync until quiet.

Conflicts are settled the same way in both runs: the later edit wins (each text carries the step
that wrote it), so the outcome does not depend on which syncs got through. Then:

- the server's submissions, and both homes' copies, are the same as after the quiet run;
- nothing is lost: each section holds the last text written to it in the scenario;
- nothing is duplicated: every op_id became at most one server revision, ``applied_ops`` holds
  one row per op_id, and no op re-applied the text the submission already had;
- nothing is stuck: empty outboxes, no conflict, no pending document, one receipt;
- no home ever met a "conflict" between two of its own texts (an answer lost on the way must
  not look like someone else's edit).

``IDM_FAULT_SEEDS=80 pytest tests/sync/test_faults.py`` runs more seeds (default 8 on SQLite, and
a quarter as many with restarts and on PostgreSQL); ``IDM_FAULT_SEED_FROM=100`` starts 100 seeds
further (a later run plays seeds an earlier one did not); ``IDM_FAULT_SEED=1234`` replays one seed.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select

from idm_desktop.app import DesktopApp
from idm_desktop.core.countries import all_countries
from idm_desktop.core.errors import ServerUnreachableError
from idm_desktop.core.merge import TITLE_KEY
from idm_desktop.core.sync import SyncProgress
from idm_desktop.server import accounts, publishing
from idm_desktop.server.app import create_app
from idm_desktop.server.config import Settings
from idm_desktop.server.context import ServerContext
from idm_desktop.server.models import AppliedOp, Document, Submission, SubmissionRevision
from idm_desktop.sync.transport import Backoff
from tests.server.conftest import PASSWORD
from tests.support.faultproxy import FaultProxy

pytestmark = pytest.mark.slow

WORKSHOP = "idm2006-integration"
STALL = 0.3  # seconds without a byte before a request is given up (production: 60 s)
FAULT_BACKOFF = Backoff(base=0.01, cap=0.08, attempts=5)
WORDS = ["migration", "labour", "integration", "policy", "dialogue", "partnership", "return", "remittance",
         "diaspora", "capacity", "consular", "protection", "mobility", "skills", "data"]


def _seeds(share: float, offset: int) -> list[int]:
    """``share`` of IDM_FAULT_SEEDS (default 8) seeds, at least one; IDM_FAULT_SEED: just that one."""
    if one := os.environ.get("IDM_FAULT_SEED"):
        return [int(one)]
    count = max(1, round(int(os.environ.get("IDM_FAULT_SEEDS", "8")) * share))
    first = round(int(os.environ.get("IDM_FAULT_SEED_FROM", "0")) * share)
    return [offset + first + n for n in range(count)]


# -- a server that can be stopped and started again on the same port ----------------------------

class RestartableServer:
    """uvicorn serving one ServerContext on 127.0.0.1; ``restart`` comes back on the same port."""

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self.port = 0
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    def start(self) -> RestartableServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        # A short grace: a stop lands in the middle of requests, as when a server is killed.
        config = uvicorn.Config(create_app(self.ctx), log_config=None, access_log=False, lifespan="on",
                                timeout_graceful_shutdown=0.2)  # type: ignore[arg-type]  # a float works
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="idm-server",
                                  daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("idm-server did not start")
            time.sleep(0.005)
        self._server, self._thread, self._sock = server, thread, sock
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None or self._sock is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=20)
        assert not self._thread.is_alive(), "idm-server did not stop"
        self._sock.close()
        self._server = self._thread = self._sock = None

    def bounce(self, downtime: float) -> None:
        """Stop now and start again after ``downtime`` (one bounce at a time)."""
        with self._lock:
            self.stop()
            time.sleep(downtime)
            self.start()


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """Where the homes (and the SQLite server) live: in memory when the machine has /dev/shm.
    Every commit is an fsync (synchronous=FULL), and what is tested here is not the disk."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm, prefix="idm-faults-") as tmp:
        yield Path(tmp)


@pytest.fixture
def server(server_settings: Settings, scratch: Path) -> Iterator[RestartableServer]:
    if server_settings.database_url and server_settings.database_url.startswith("sqlite"):
        server_settings = Settings(home=scratch / "server",
                                   database_url=f"sqlite:///{scratch / 'server.sqlite3'}")
    ctx = ServerContext.open(server_settings)
    live = RestartableServer(ctx).start()
    try:
        yield live
    finally:
        live.stop()
        ctx.close()


# -- the scenario -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Step:
    kind: str  # create | edit | title | sync | publish
    client: int = 0
    sub: int = -1
    key: str = ""
    text: str = ""


@dataclass
class Scenario:
    setup: list[Step]
    steps: list[Step]
    submit: int = 0  # the submission client 0 submits at the end

    def latest(self) -> dict[tuple[int, str], str]:
        """The last text written to each (submission, section or TITLE_KEY)."""
        out: dict[tuple[int, str], str] = {}
        for step in self.setup + self.steps:
            if step.kind in ("edit", "title"):
                out[(step.sub, step.key)] = step.text
        return out


def make_scenario(seed: int, keys: tuple[str, ...], length: int = 26) -> Scenario:
    rng = random.Random(seed)
    stamp = iter(range(1, 10_000))
    keys = tuple(rng.sample(keys, 3))  # a few sections, so that both homes often edit the same one

    def text(client: int, sub: int, key: str) -> str:
        words = " ".join(rng.choices(WORDS, k=rng.choice((3, 8) if key == "title" else (3, 12, 60, 400))))
        return f"#{next(stamp):04d} {'AB'[client]} s{sub} {key}: {words}."

    setup = [Step("create", 0, 0), Step("create", 0, 1), Step("create", 1, 2)]
    for sub, client in ((0, 0), (1, 0), (2, 1)):
        key = rng.choice(keys)
        setup.append(Step("edit", client, sub, key, text(client, sub, key)))
    setup += [Step("sync", 0), Step("sync", 1), Step("sync", 0)]

    owned = {0: [0, 1, 2], 1: [0, 1, 2]}  # both homes edit the first three; later ones only their maker
    steps: list[Step] = []
    subs = 3
    publish_at = rng.randrange(2, length // 2)
    for n in range(length):
        if n == publish_at:
            steps.append(Step("publish"))
        client = rng.randrange(2)
        roll = rng.random()
        if roll < 0.40:
            steps.append(Step("sync", client))
        elif roll < 0.45 and subs < 5:
            steps.append(Step("create", client, subs))
            owned[client].append(subs)
            subs += 1
        elif roll < 0.52:
            sub = rng.choice(owned[client])
            steps.append(Step("title", client, sub, TITLE_KEY, text(client, sub, "title")))
        else:
            sub = rng.choice(owned[client])
            key = rng.choice(keys)
            steps.append(Step("edit", client, sub, key, text(client, sub, key)))
    return Scenario(setup, steps)


def _stamp(text: str) -> int:
    match = re.match(r"#(\d{4}) ", text)
    return int(match.group(1)) if match else -1


def _author(text: str) -> str | None:
    match = re.match(r"#\d{4} ([AB]) ", text)
    return match.group(1) if match else None


# -- the faults ---------------------------------------------------------------------------------

class Chaos:
    """Changes the proxy's faults (and bounces the server) at random moments of a sync.

    ``tick`` is the Transport's "cancelled" hook, so it runs before every request attempt and
    during every backoff pause; it never cancels."""

    KINDS = ("clear", "latency", "cut", "mute", "blackhole", "refuse", "bounce")

    def __init__(self, proxy: FaultProxy, server: RestartableServer, rng: random.Random, *,
                 bounces: bool) -> None:
        self.proxy = proxy
        self.server = server
        self.rng = rng
        self.weights = (25, 20, 25, 8, 6, 14, 10 if bounces else 0)
        self.active = False
        self._left = 0
        self.counts: dict[str, int] = dict.fromkeys(self.KINDS, 0)
        self._bouncer: threading.Thread | None = None

    def tick(self) -> bool:
        if self.active:
            self._left -= 1
            if self._left <= 0:
                self._pick()
                # A fault lasts a few ticks (a sync gives up after 5 attempts, about 10 ticks).
                self._left = self.rng.choice((1, 1, 2, 3, 4, 6, 12))
        return False

    def progress(self, step: SyncProgress) -> None:
        """The engine's progress hook: now and then, once the pull is done, the answers to what
        follows (the push) are lost on the way -- the server applies ops it cannot confirm."""
        if self.active and step.phase == "pull" and self.rng.random() < 0.2:
            self.counts["mute"] += 1
            self._reset()
            self.proxy.cut_after_bytes = 1
            self._left = self.rng.choice((2, 4, 12))

    def _pick(self) -> None:
        kind = self.rng.choices(self.KINDS, self.weights)[0]
        self.counts[kind] += 1
        self._reset()
        if kind == "latency":
            self.proxy.latency = self.rng.uniform(0.001, 0.02)
        elif kind == "cut":
            self.proxy.cut_after_bytes = self.rng.choice((200, 1_000, 5_000, 20_000, 60_000))
        elif kind == "mute":  # requests arrive and are carried out; no answer comes back
            self.proxy.cut_after_bytes = 1
        elif kind == "blackhole":
            self.proxy.blackhole = True
        elif kind == "refuse":
            self.proxy.refuse = True
        elif kind == "bounce" and (self._bouncer is None or not self._bouncer.is_alive()):
            # Stopped from another thread a moment later: often in the middle of a request.
            delay, downtime = self.rng.uniform(0, 0.03), self.rng.uniform(0.02, 0.4)

            def bounce() -> None:
                time.sleep(delay)
                self.server.bounce(downtime)

            self._bouncer = threading.Thread(target=bounce, name="bounce", daemon=True)
            self._bouncer.start()

    def _reset(self) -> None:
        self.proxy.latency = 0
        self.proxy.cut_after_bytes = None
        self.proxy.blackhole = False
        if self.proxy.refuse:
            self.proxy.refuse = False

    def end(self) -> None:
        """No more faults: the link is clean and the server is up."""
        self.active = False
        self._reset()
        if self._bouncer is not None:
            self._bouncer.join(30)
            assert not self._bouncer.is_alive()


# -- one run of a scenario ----------------------------------------------------------------------

@dataclass
class Stats:
    syncs: int = 0
    gave_up: int = 0
    conflicts: int = 0
    self_conflicts: list[str] = field(default_factory=list)


class Run:
    """Two homes of one delegation playing a scenario against the server, through ``proxy``."""

    def __init__(self, server: RestartableServer, proxy: FaultProxy, home: Path, delegation: str,
                 chaos: Chaos | None) -> None:
        self.server = server
        self.proxy = proxy
        self.delegation = delegation
        self.chaos = chaos
        self.stats = Stats()
        self.ids: dict[int, str] = {}
        self.published: list[str] = []
        self.apps: list[DesktopApp] = []
        users = [f"{delegation.lower()}-{n}" for n in "ab"]
        with server.ctx.db.write() as session:
            for user in users:
                accounts.add_user(session, user, PASSWORD, "drafter", delegation)
        for n, user in enumerate(users):
            app = DesktopApp.open(_new_home(home / f"{delegation}-{n}", home.parent / "pristine-home"))
            app.sync.login(proxy.url, user, PASSWORD, device_name=f"home {n}", token_file=True)
            self.apps.append(app)

    def close(self) -> None:
        for app in self.apps:
            app.close()

    # -- steps

    def play(self, scenario: Scenario, tmp: Path, docs: list[tuple[str, str]]) -> None:
        for step in scenario.setup:
            self.do(step, tmp, docs, must=True)
        if self.chaos:
            self.chaos.active = True
        for step in scenario.steps:
            self.do(step, tmp, docs, must=self.chaos is None)
        if self.chaos:
            self.chaos.end()
        self.quiesce()
        # Submit, over the bad link again: the receipt must come once, whatever was cut.
        app = self.apps[0]
        app.sync.submit(self.ids[scenario.submit], force=True)
        if self.chaos:
            self.chaos.active = True
            for _ in range(40):
                self.sync(0)
                if app.submission(self.ids[scenario.submit]).receipt_no:
                    break
            self.chaos.end()
        self.quiesce()

    def do(self, step: Step, tmp: Path, docs: list[tuple[str, str]], *, must: bool) -> None:
        app = self.apps[step.client]
        if step.kind == "create":
            sub = app.new_submission(WORKSHOP, self.delegation, "en", f"S{step.sub}")
            self.ids[step.sub] = sub.id
        elif step.kind == "edit":
            app.edit(self.ids[step.sub], {step.key: step.text})
        elif step.kind == "title":
            app.edit(self.ids[step.sub], title=step.text)
        elif step.kind == "publish":
            for name, text in docs:
                file = tmp / name
                file.write_text(text, encoding="utf-8")
                doc = publishing.publish_document(self.server.ctx.db, self.server.ctx.blobs, file,
                                                  workshop=WORKSHOP, symbol=f"IC/2006/{len(self.published)}",
                                                  language="en")
                self.published.append(doc.id)
        else:
            done = self.sync(step.client)
            assert done or not must

    def sync(self, client: int) -> bool:
        """One sync; False when it gave up ("try again later"). Conflicts are settled at once."""
        app = self.apps[client]
        self.stats.syncs += 1
        try:
            # The short stall belongs to the bad link: on the clean link before it (the setup, which
            # must get through) a loaded machine may well take longer than 0.3 s to answer.
            if self.chaos and self.chaos.active:
                self.chaos.tick()  # the link changes between syncs too
                report = app.sync.run(self.chaos.progress, cancelled=self.chaos.tick, stall_seconds=STALL,
                                      backoff=FAULT_BACKOFF)
            else:
                report = app.sync.run()
        except ServerUnreachableError:
            self.stats.gave_up += 1
            done = False
        else:
            assert not report.failures, report.failures
            done = True
        self.settle(client)
        return done

    def settle(self, client: int) -> None:
        """The later edit wins each conflict (a rule that does not depend on which sync got through)."""
        app = self.apps[client]
        for c in app.sync.conflicts():
            self.stats.conflicts += 1
            if _author(c.mine) == _author(c.theirs) == "AB"[client]:
                self.stats.self_conflicts.append(f"{c.key}: mine {c.mine[:12]!r}, theirs {c.theirs[:12]!r}")
            later = c.mine if _stamp(c.mine) >= _stamp(c.theirs) else c.theirs
            app.sync.resolve(c.submission_id, c.key, later)

    def quiesce(self) -> None:
        """Sync both homes until a round moves nothing (a clean link: every sync must get through)."""
        for _ in range(8):
            reports = []
            for client, app in enumerate(self.apps):
                report = app.sync.run()
                assert not report.failures, report.failures
                self.settle(client)
                reports.append(report)
            moved = any(r.pushed or r.merged or r.conflicts or r.new_documents or r.receipts for r in reports)
            if not moved and not any(app.sync.outbox() for app in self.apps):
                return
        raise AssertionError("the two homes did not settle in 8 rounds of syncs (stuck outbox?)")

    # -- what came out

    def server_state(self) -> dict[int, tuple[str, dict[str, str], str]]:
        with self.server.ctx.db.read() as session:
            out = {}
            for n, ident in self.ids.items():
                sub = session.get(Submission, ident)
                assert sub is not None, f"submission {n} never reached the server"
                out[n] = (sub.title, dict(sub.body), sub.status)
            return out

    def client_state(self, client: int) -> dict[int, tuple[str, dict[str, str], str]]:
        app = self.apps[client]
        out = {}
        for n, ident in self.ids.items():
            sub = app.submission(ident)
            out[n] = (sub.title, dict(sub.body), sub.status.value)
        return out

    def check(self, scenario: Scenario) -> None:
        server = self.server_state()
        for client in range(2):
            assert self.client_state(client) == server, f"home {client} differs from the server"
        # Nothing lost: the last text written to each section is the one that stayed.
        for (sub, key), text in scenario.latest().items():
            title, body, _status = server[sub]
            assert (title if key == TITLE_KEY else body[key]) == text, f"submission {sub}, {key}"
        # Nothing duplicated.
        with self.server.ctx.db.read() as session:
            ids = list(self.ids.values())
            revisions = list(session.scalars(select(SubmissionRevision).where(
                SubmissionRevision.submission_id.in_(ids)).order_by(
                SubmissionRevision.submission_id, SubmissionRevision.rev)))
            applied = list(session.scalars(select(AppliedOp).where(AppliedOp.submission_id.in_(ids))))
            op_ids = [r.op_id for r in revisions if r.op_id]
            assert len(op_ids) == len(set(op_ids)), "an op_id was applied twice"
            assert len(applied) == len({a.op_id for a in applied}) == len(op_ids)
            assert {(a.op_id, a.rev) for a in applied} == {(r.op_id, r.rev) for r in revisions if r.op_id}
            previous: dict[str, tuple[str, dict[str, Any]]] = {}
            for r in revisions:
                if r.op_id and previous.get(r.submission_id) == (r.title, r.body):
                    raise AssertionError(f"op {r.op_id} re-applied the text rev {r.rev - 1} already had")
                previous[r.submission_id] = (r.title, r.body)
            receipts = session.scalars(select(Submission.receipt_no).where(
                Submission.id.in_(ids), Submission.receipt_no.is_not(None))).all()
            assert len(receipts) == 1
            published = session.scalars(select(Document).where(Document.id.in_(self.published)))
            shas = {d.sha256 for d in published}
        assert server[scenario.submit][2] == "received"
        # Nothing stuck, nothing waiting.
        for app in self.apps:
            summary = app.sync.status().summary
            left = (summary.waiting, summary.conflicts, summary.failed, summary.pending_documents)
            assert left == (0, 0, 0, 0), f"waiting, conflicts, failed, pending documents: {left}"
            assert app.submission(self.ids[scenario.submit]).receipt_no == receipts[0]
            have = {d.sha256 for d in app.documents()}
            assert shas <= have, "a published document is missing"
        assert not self.stats.self_conflicts, self.stats.self_conflicts


def _new_home(home: Path, pristine: Path) -> Path:
    """A new, empty home: a copy of one made once (migrating and loading the catalog each time
    would cost more than the syncs)."""
    if not pristine.exists():
        DesktopApp.open(pristine).close()
    shutil.copytree(pristine, home)
    return home


def _documents(seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [(f"note-{seed}-{n}.en.txt",
             f"Background note {n}\n\n" + " ".join(rng.choices(WORDS, k=rng.randint(8_000, 25_000))))
            for n in range(2)]


def play_seed(server: RestartableServer, tmp: Path, seed: int, delegations: Iterator[str], *,
              bounces: bool = False) -> tuple[Stats, dict[str, int]]:
    probe = DesktopApp.open(_new_home(tmp / str(seed) / "probe", tmp / "pristine-home"))
    keys = probe.latest_template().keys
    probe.close()
    scenario = make_scenario(seed, keys)
    results = []
    stats, counts = Stats(), {}
    with FaultProxy(server.port) as proxy:
        for faulty in (False, True):
            chaos = Chaos(proxy, server, random.Random(seed * 7919 + 1), bounces=bounces) if faulty else None
            run = Run(server, proxy, tmp / str(seed), next(delegations), chaos)
            try:
                run.play(scenario, tmp, _documents(seed * 2 + faulty))
                run.check(scenario)
                results.append((run.server_state(), run.client_state(0), run.client_state(1)))
            except BaseException as err:
                err.add_note(f"seed {seed}, {'faulty' if faulty else 'quiet'} run "
                             f"(replay: IDM_FAULT_SEED={seed}); {run.stats}")
                raise
            finally:
                run.close()
                for doc_id in run.published:  # later runs get a tombstone, not 200 KB of text
                    publishing.withdraw_document(server.ctx.db, doc_id)
            if chaos:
                stats, counts = run.stats, chaos.counts
    quiet, faulty_state = results
    # The same final texts as over a perfect link (statuses and titles included).
    assert quiet == faulty_state, f"seed {seed}: the faulty run ended elsewhere than the quiet one"
    return stats, counts


def _delegations() -> Iterator[str]:
    return iter(c.alpha3 for c in all_countries())


def _play_many(server: RestartableServer, tmp_path: Path, seeds: list[int], *, bounces: bool) -> None:
    # Each seed plays twice (a quiet link, a faulty one), each time as a delegation of its own on
    # the one server of the test: the countries bound the seeds of one run.
    most = len(all_countries()) // 2
    if len(seeds) > most:
        pytest.fail(f"{len(seeds)} seeds in one run, but the countries are enough for {most}: run at most "
                    f"{most} at once, and the next ones with IDM_FAULT_SEED_FROM")
    delegations = _delegations()
    total = Stats()
    faults: dict[str, int] = {}
    start = time.monotonic()
    for seed in seeds:
        stats, counts = play_seed(server, tmp_path, seed, delegations, bounces=bounces)
        total.syncs += stats.syncs
        total.gave_up += stats.gave_up
        total.conflicts += stats.conflicts
        for kind, n in counts.items():
            faults[kind] = faults.get(kind, 0) + n
    print(f"{len(seeds)} seeds in {time.monotonic() - start:.1f} s: {total.syncs} syncs over the bad link, "
          f"{total.gave_up} gave up, {total.conflicts} conflicts settled; faults {faults}")
    assert total.gave_up > 0, "the faults never made a sync give up: the test tests nothing"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_random_faults_lose_nothing_and_duplicate_nothing(server: RestartableServer, scratch: Path) -> None:
    _play_many(server, scratch, _seeds(1, 1000), bounces=False)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_server_stopped_and_restarted_mid_sync(server: RestartableServer, scratch: Path) -> None:
    _play_many(server, scratch, _seeds(1 / 4, 5000), bounces=True)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_random_faults_on_postgresql(server: RestartableServer, scratch: Path) -> None:
    _play_many(server, scratch, _seeds(1 / 4, 9000), bounces=True)


# -- an answer lost on the way ------------------------------------------------------------------

class LoseAnswers:
    """A Transport "cancelled" hook: the first ``clean`` requests go through; after that every
    request still reaches the server, but no byte of any answer comes back."""

    def __init__(self, proxy: FaultProxy, clean: int) -> None:
        self.proxy, self.clean, self.calls = proxy, clean, 0

    def __call__(self) -> bool:
        self.calls += 1
        self.proxy.cut_after_bytes = None if self.calls <= self.clean else 1
        return False


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("someone_else_writes", [False, True], ids=["alone", "then-another-home"])
def test_a_lost_answer_is_not_a_conflict_with_oneself(server: RestartableServer, scratch: Path,
                                                      someone_else_writes: bool) -> None:
    with FaultProxy(server.port) as proxy:
        run = Run(server, proxy, scratch / "homes", "MEX", None)
        a, b = run.apps
        try:
            sub = a.new_submission(WORKSHOP, "MEX", "en", "Lost answers")
            a.edit(sub.id, {"national_context": "one"})
            a.sync.run()
            b.sync.run()
            a.edit(sub.id, {"national_context": "two"})
            # The pull goes through; the push is applied on the server, but its answer never arrives.
            with pytest.raises(ServerUnreachableError):
                a.sync.run(cancelled=LoseAnswers(proxy, clean=1), stall_seconds=STALL, backoff=FAULT_BACKOFF)
            proxy.cut_after_bytes = None
            with server.ctx.db.read() as session:
                got = session.get(Submission, sub.id)
                assert got is not None
                assert got.body["national_context"] == "two"
            if someone_else_writes:
                b.sync.run()
                b.edit(sub.id, {"policy_framework": "from B"})
                b.sync.run()
            a.edit(sub.id, {"national_context": "three"})  # written while the answer is still missing
            report = a.sync.run()
            assert (report.conflicts, a.sync.conflicts()) == (0, [])
            b.sync.run()
            for app in (a, b):
                got_sub = app.submission(sub.id)
                assert got_sub.text_of("national_context") == "three"
                assert got_sub.text_of("policy_framework") == ("from B" if someone_else_writes else "")
                assert not app.sync.outbox()
        finally:
            run.close()
