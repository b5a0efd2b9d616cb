"""The environment's failures, as a client and whoever runs the service see them: a full disk is
a 503 with the usual {code, message} JSON, and a database that cannot be written stops the start."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import event

from idm_desktop.server.config import Settings
from idm_desktop.server.context import ServerContext
from idm_desktop.server.errors import AdminError, environment_failure
from tests.server.conftest import Service, save_op, submission_body

on_sqlite = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@on_sqlite
def test_a_full_disk_is_a_503_in_json(service: Service) -> None:
    client = service.client(headers=service.account("ana", "drafter", "MEX").headers)
    engine = service.ctx.db.engine
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    # SQLite's own "database or disk is full" (SQLITE_FULL): the file may not grow any more.
    @event.listens_for(engine, "connect")
    def _full(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()
    text = "A long text that needs new pages. " * 2000
    answers = [client.post("/api/v1/ops", json={"ops": [save_op(str(uuid.uuid4()),
                                                                submission_body(national_context=text))]})
               for _ in range(5)]
    full = [r for r in answers if r.status_code == 503]
    assert full, [r.status_code for r in answers]
    assert full[0].headers["content-type"] == "application/json"
    assert full[0].json()["code"] == "storage_unavailable"
    assert set(full[0].json()) == {"code", "message"}
    event.remove(engine, "connect", _full)
    engine.dispose()


def test_environment_failures_are_told_by_their_codes() -> None:
    import errno

    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13
    assert environment_failure(full)
    assert environment_failure(OSError(errno.ENOSPC, "No space left on device"))
    assert not environment_failure(ValueError("database or disk is full"))  # words alone say nothing


def test_the_service_does_not_start_on_a_database_it_cannot_write(tmp_path: Path) -> None:
    home = tmp_path / "server"
    ServerContext.open(Settings(home=home)).close()  # made and migrated
    read_only = f"sqlite:///file:{home / 'server.sqlite3'}?mode=ro&uri=true"
    with pytest.raises(AdminError, match="cannot be written"):
        ServerContext.open(Settings(home=home, database_url=read_only), migrate=False)
