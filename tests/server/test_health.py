"""Operators' probes: /healthz (the process answers) and /readyz (the database and the blob store
can be used now, else 503 naming the part), over a real socket, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from idm_desktop.server.config import Settings
from idm_desktop.server.context import ServerContext
from tests.conftest import postgres_database
from tests.server.conftest import LiveServer, Service


def test_healthz_and_readyz_answer_ok(svc: Service) -> None:
    with svc.client() as c:
        live = c.get("/healthz")
        assert live.status_code == 200
        assert live.json() == {"status": "ok"}
        assert live.headers["cache-control"] == "no-store"
        ready = c.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json() == {"status": "ok", "checks": {"database": "ok", "blobs": "ok"}}
    # The probe's trial file does not stay in the blob folder.
    assert not list(svc.ctx.settings.effective_blob_dir.glob(".ready-*"))


@pytest.fixture
def own_service(server_settings: Settings) -> Iterator[Service]:
    ctx = ServerContext.open(server_settings)
    live = LiveServer(ctx).start()
    try:
        yield Service(live)
    finally:
        live.stop()
        ctx.close()


def test_an_unusable_blob_store_makes_the_replica_not_ready(own_service: Service) -> None:
    blobs = own_service.ctx.settings.effective_blob_dir
    shutil.rmtree(blobs, ignore_errors=True)
    blobs.parent.mkdir(parents=True, exist_ok=True)
    blobs.write_text("not a folder")  # as a lost mount or a wrong path would leave it
    with httpx.Client(base_url=own_service.url) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"] == {"database": "ok", "blobs": "unavailable"}
        assert c.get("/healthz").status_code == 200  # alive all the same: no restart


def test_a_database_that_is_gone_makes_the_replica_not_ready(tmp_path: object, postgres_url: str) -> None:
    with ExitStack() as stack:
        url = postgres_database(stack, postgres_url)
        settings = Settings(home=tmp_path / "server", database_url=url)  # type: ignore[operator]
        ctx = ServerContext.open(settings)
        stack.callback(ctx.close)
        live = LiveServer(ctx).start()
        stack.callback(live.stop)
        with httpx.Client(base_url=live.url) as c:
            assert c.get("/readyz").status_code == 200
            admin = make_url(url).set(drivername="postgresql", database="postgres")
            with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)')
            ready = c.get("/readyz")
            assert ready.status_code == 503
            assert ready.json() == {"status": "unavailable",
                                    "checks": {"database": "unavailable", "blobs": "ok"}}
            assert c.get("/healthz").status_code == 200


def test_api_docs_pages_load_nothing_from_outside(svc: Service) -> None:
    """/docs references only the service's own files, under a strict CSP; /redoc (which would
    fetch a logo from the Internet) is not served."""
    with svc.client() as c:
        assert c.get("/redoc", follow_redirects=True).status_code == 404
        for path in ("/docs",):
            page = c.get(path)
            assert page.status_code == 200
            assert "cdn" not in page.text.lower()
            assert "https://" not in page.text
            csp = page.headers["content-security-policy"]
            assert "default-src 'none'" in csp
            script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
            assert "unsafe" not in script_src  # only our files, and the page's own script by hash
            if path == "/docs":
                assert "'sha256-" in script_src
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
            res = c.get(f"/api-docs-static/{asset}")
            assert res.status_code == 200
            assert len(res.content) > 10_000
