"""A real idm-server over a real socket (uvicorn in a thread), on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from idm_desktop.protocol import body_sha256
from idm_desktop.server import accounts
from idm_desktop.server.app import create_app
from idm_desktop.server.config import Settings
from idm_desktop.server.context import ServerContext
from tests.conftest import postgres_database
from tests.support.seaweed import seaweed

__all__ = ["seaweed"]  # a fixture: a real S3 store (SeaweedFS) for the tests that need one

PASSWORD = "correct horse battery"


class LiveServer:
    """uvicorn serving ``create_app(ctx)`` on 127.0.0.1 in a background thread."""

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only then, and
        # without it every keep-alive answer waits ~40 ms (Nagle + delayed ACK).
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(ctx)
        config = uvicorn.Config(self.app, log_config=None, access_log=False, lifespan="on",
                                timeout_graceful_shutdown=5)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]},
                                        name="idm-server", daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("idm-server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=20)
        self._sock.close()


@dataclass
class Account:
    username: str
    role: str
    delegation: str | None
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Service:
    """The running service, with helpers to make accounts and sign them in."""

    live: LiveServer
    clients: list[httpx.Client] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.live.url

    @property
    def ctx(self) -> ServerContext:
        return self.live.ctx

    def client(self, **kwargs: Any) -> httpx.Client:
        c = httpx.Client(base_url=self.url, timeout=30, **kwargs)
        self.clients.append(c)
        return c

    def add_user(self, username: str, role: str, delegation: str | None) -> None:
        with self.ctx.db.write() as session:
            accounts.add_user(session, username, PASSWORD, role, delegation)

    def account(self, username: str, role: str = "drafter", delegation: str | None = "MEX") -> Account:
        """Create a user and sign in through the API."""
        self.add_user(username, role, delegation)
        r = self.client().post("/api/v1/auth/token",
                               json={"username": username, "password": PASSWORD, "device_name": "tests"})
        assert r.status_code == 200, r.text
        return Account(username, role, delegation, r.json()["token"])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def svc(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One running service per test module and database (tests keep apart by names and ids)."""
    home = tmp_path_factory.mktemp("server")
    with ExitStack() as stack:
        url = f"sqlite:///{home / 'server.sqlite3'}"
        if request.param == "postgresql":
            url = postgres_database(stack, request.getfixturevalue("postgres_url"))
        ctx = ServerContext.open(Settings(home=home, database_url=url))
        stack.callback(ctx.close)
        live = LiveServer(ctx).start()
        stack.callback(live.stop)
        service = Service(live)
        yield service
        for c in service.clients:
            c.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The service's database: an SQLite file, then a fresh database on the test PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.sqlite3'}"
    url: str = request.getfixturevalue("fresh_postgres_db")
    return url


@pytest.fixture
def server_settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(home=tmp_path / "server", database_url=db_url)


@contextlib.contextmanager
def running_service(settings: Settings) -> Iterator[Service]:
    """idm-server on ``settings``, serving on a free port until the block ends."""
    ctx = ServerContext.open(settings)
    live = LiveServer(ctx).start()
    svc = Service(live)
    try:
        yield svc
    finally:
        for c in svc.clients:
            c.close()
        live.stop()
        ctx.close()


@pytest.fixture
def service(server_settings: Settings) -> Iterator[Service]:
    with running_service(server_settings) as svc:
        yield svc


def submission_body(country: str = "MEX", **sections: str) -> dict[str, Any]:
    """A valid save-op body for the bundled template."""
    return {
        "workshop_id": "idm2006-integration",
        "country": country,
        "language": "en",
        "title": "Policy overview",
        "template_id": "idm-policy-overview",
        "template_version": 1,
        "body": sections or {"national_context": "Our context."},
    }


def save_op(sub_id: str, body: dict[str, Any], base_rev: int | None = None,
            op_id: str | None = None) -> dict[str, Any]:
    return {"op_id": op_id or str(uuid.uuid4()), "entity": "submission", "id": sub_id,
            "base_rev": base_rev, "body": body, "sha256": body_sha256(body)}


MakeOp = Callable[..., dict[str, Any]]
