"""Two replicas on one PostgreSQL: a write through one clears the other's quiet polls at once
(LISTEN/NOTIFY), so a client alternating between them sees what it just wrote."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from idm_desktop.server.config import Settings
from idm_desktop.server.context import ServerContext
from tests.conftest import postgres_database
from tests.server.conftest import LiveServer, Service, save_op, submission_body


@pytest.fixture
def replicas(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Service, Service]]:
    with ExitStack() as stack:
        url = postgres_database(stack, postgres_url)
        services = []
        for name in ("one", "two"):
            ctx = ServerContext.open(Settings(home=tmp_path / name, database_url=url,
                                              blob_store=str(tmp_path / "shared-blobs")))
            stack.callback(ctx.close)
            live = LiveServer(ctx).start()
            stack.callback(live.stop)
            assert live.app.state.feed_listener.connected.wait(10), "the replica is not listening"
            service = Service(live)
            stack.callback(lambda s=service: [c.close() for c in s.clients])
            services.append(service)
        yield services[0], services[1]


def test_a_write_through_one_replica_shows_at_once_on_the_other(replicas: tuple[Service, Service]) -> None:
    one, two = replicas
    ana = one.account("ana", "drafter", "MEX")
    via_one, via_two = one.client(headers=ana.headers), two.client(headers=ana.headers)
    cursor = via_two.get("/api/v1/changes").json()["next_cursor"]
    for _ in range(3):  # the head's cursor, asked again: now answered from replica two's memory
        assert via_two.get("/api/v1/changes", params={"cursor": cursor}).json()["changes"] == []
    sid = str(uuid.uuid4())
    r = via_one.post("/api/v1/ops", json={"ops": [save_op(sid, submission_body())]})
    assert r.json()["results"][0]["status"] == "applied"
    written = time.monotonic()
    while True:
        changes = via_two.get("/api/v1/changes", params={"cursor": cursor}).json()["changes"]
        if changes:
            break
        time.sleep(0.005)
    waited = time.monotonic() - written
    assert [c["id"] for c in changes] == [sid]
    assert waited < 0.3, f"replica two answered 'nothing new' for {waited:.2f} s after the write"
