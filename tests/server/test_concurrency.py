"""Many clients pushing saves on the same submission at once (DESIGN §5: each op is applied
in a transaction with the row locked, and only when ``base_rev`` is the current rev).

Run on SQLite and on PostgreSQL: no lost update, no rev handed out twice, no op applied twice,
no "database is locked", no deadlock, and the feed ends with the final rev.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from idm_desktop.server.models import AppliedOp, FeedEntry, Submission, SubmissionRevision
from tests.server.conftest import Account, Service, save_op, submission_body

CLIENTS = 20
SAVES_PER_CLIENT = 3
MAX_TRIES = 200  # conflicts a client accepts for one save before it gives up
OK = {"applied", "duplicate", "conflict"}


@dataclass
class Log:
    """What one client sent and got back."""

    answers: list[dict[str, Any]] = field(default_factory=list)  # every op result
    http_errors: list[str] = field(default_factory=list)
    applied: dict[str, int] = field(default_factory=dict)  # op_id -> rev
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)  # op_id -> body sent
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (op_id, rev answered)
    gave_up: int = 0


def _client_loop(service: Service, account: Account, number: int, sub_id: str,
                 barrier: threading.Barrier, log: Log) -> None:
    c = service.client(headers=account.headers)
    barrier.wait()
    for save in range(SAVES_PER_CLIENT):
        for attempt in range(MAX_TRIES):
            r = c.get(f"/api/v1/submissions/{sub_id}")
            if r.status_code != 200:
                log.http_errors.append(f"GET {r.status_code} {r.text}")
                return
            body = submission_body("MEX", national_context=f"client {number} save {save} try {attempt}")
            op = save_op(sub_id, body, base_rev=r.json()["rev"])
            log.bodies[op["op_id"]] = body
            # Every third save goes out twice in one batch, as a client retrying a batch would.
            ops = [op, op] if save % 3 == 1 else [op]
            r = c.post("/api/v1/ops", json={"ops": ops})
            if r.status_code != 200:
                log.http_errors.append(f"POST {r.status_code} {r.text}")
                return
            results = r.json()["results"]
            log.answers.extend(results)
            first = results[0]
            if first["status"] == "applied":
                log.applied[op["op_id"]] = first["rev"]
                log.duplicates += [(x["op_id"], x["original"]["rev"]) for x in results[1:]
                                   if x["status"] == "duplicate"]
                if save % 3 == 2:  # the answer was lost: send the same op again later
                    again = c.post("/api/v1/ops", json={"ops": [op]})
                    if again.status_code != 200:
                        log.http_errors.append(f"POST again {again.status_code} {again.text}")
                        return
                    (res,) = again.json()["results"]
                    log.answers.append(res)
                    if res["status"] == "duplicate":
                        log.duplicates.append((res["op_id"], res["original"]["rev"]))
                break
        else:
            log.gave_up += 1


def _run(service: Service, accounts: list[Account], sub_id: str) -> list[Log]:
    barrier = threading.Barrier(len(accounts))
    logs = [Log() for _ in accounts]
    threads = [threading.Thread(target=_client_loop, args=(service, acc, n, sub_id, barrier, logs[n]),
                                name=f"client-{n}") for n, acc in enumerate(accounts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a client hung"
    return logs


@pytest.mark.slow
def test_twenty_clients_saving_the_same_submission(service: Service) -> None:
    accounts = [service.account(f"drafter{n}", "drafter", "MEX") for n in range(CLIENTS)]
    sub_id = str(uuid.uuid4())
    first = save_op(sub_id, submission_body("MEX", national_context="The first text."))
    r = service.client(headers=accounts[0].headers).post("/api/v1/ops", json={"ops": [first]})
    assert r.json()["results"][0] == {"status": "applied", "op_id": first["op_id"], "rev": 1,
                                      "seq": r.json()["results"][0]["seq"]}

    logs = _run(service, accounts, sub_id)

    errors = [e for log in logs for e in log.http_errors]
    assert not errors, errors
    statuses = Counter(a["status"] for log in logs for a in log.answers)
    assert set(statuses) <= OK, statuses
    assert statuses["conflict"] > 0, statuses  # the race really happened
    assert statuses["duplicate"] > 0, statuses

    applied: dict[str, int] = {first["op_id"]: 1}
    for log in logs:
        for op_id, rev in log.applied.items():
            assert op_id not in applied, f"op {op_id} applied twice"
            applied[op_id] = rev
    applied_total = sum(len(log.applied) for log in logs) + 1
    assert len(applied) == applied_total
    revs = sorted(applied.values())
    assert revs == list(range(1, len(revs) + 1)), "each applied op has its own rev, none skipped"
    for log in logs:
        for op_id, rev in log.duplicates:
            assert applied.get(op_id) == rev, f"duplicate of {op_id} answered rev {rev}"
    gave_up = sum(log.gave_up for log in logs)
    assert applied_total == 1 + CLIENTS * SAVES_PER_CLIENT - gave_up

    final_rev = len(revs)
    with service.ctx.db.read() as session:
        sub = session.get(Submission, sub_id)
        assert sub is not None
        assert sub.rev == final_rev
        history = session.execute(
            select(SubmissionRevision.rev, SubmissionRevision.op_id)
            .where(SubmissionRevision.submission_id == sub_id).order_by(SubmissionRevision.rev)
        ).all()
        assert [rev for rev, _ in history] == list(range(1, final_rev + 1))
        assert {op_id: rev for rev, op_id in history} == applied
        recorded = dict(session.execute(
            select(AppliedOp.op_id, AppliedOp.rev).where(AppliedOp.submission_id == sub_id)).all())
        assert recorded == applied
        feed = session.execute(
            select(FeedEntry.rev).where(FeedEntry.entity == "submission", FeedEntry.entity_id == sub_id)
        ).scalars().all()
        assert feed == [final_rev]
        last_op = next(op_id for op_id, rev in applied.items() if rev == final_rev)
        sent = next(log.bodies[last_op] for log in logs if last_op in log.bodies)
        assert sub.body == sent["body"], "the text is the one of the last applied op"

    page = service.client(headers=accounts[0].headers).get("/api/v1/changes").json()
    mine = [ch for ch in page["changes"] if ch["id"] == sub_id]
    assert [ch["rev"] for ch in mine] == [final_rev]


def test_the_same_op_sent_by_many_clients_at_once_is_applied_once(service: Service) -> None:
    """A retry racing the original (same op_id) is answered ``duplicate``, not ``conflict``."""
    ana = service.account("ana", "drafter", "MEX")
    sub_id = str(uuid.uuid4())
    c = service.client(headers=ana.headers)
    assert c.post("/api/v1/ops", json={"ops": [save_op(sub_id, submission_body("MEX"))]}).status_code == 200
    op = save_op(sub_id, submission_body("MEX", national_context="Sent ten times."), base_rev=1)
    barrier = threading.Barrier(10)
    answers: list[Any] = []

    def send() -> None:
        mine = service.client(headers=ana.headers)
        barrier.wait()
        r = mine.post("/api/v1/ops", json={"ops": [op]})
        answers.append(r.json()["results"][0] if r.status_code == 200 else r.status_code)

    threads = [threading.Thread(target=send) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    statuses = Counter(a["status"] if isinstance(a, dict) else a for a in answers)
    assert statuses == {"applied": 1, "duplicate": 9}, answers
    assert {a["original"]["rev"] for a in answers if a["status"] == "duplicate"} == {2}
