"""Bring the local database to the current schema, taking a backup copy first."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine

from idm_desktop.core.resources import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

SCHEMA_HEAD = "0005"
"""The newest migration in db/client/versions (a test keeps it equal to Alembic's head).
Known here so that opening an up-to-date library does not load Alembic at all: start-up time."""


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir() / "client"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def backup(db_path: Path, backups: Path, label: str) -> Path:
    """Copy the database with SQLite's online backup (consistent even in WAL mode)."""
    backups.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backups / f"library-{label}-{stamp}.sqlite3"
    src = sqlite3.connect(db_path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def _stored_revision(db_path: Path) -> str | None:
    """The revision recorded in the file, read without Alembic; None if unknown."""
    if not db_path.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return str(row[0]) if row else None


def upgrade(engine: Engine, db_path: Path | None, backups: Path | None) -> bool:
    """Migrate to head. Returns True when something was migrated.

    An existing database (one with a revision already) is backed up before any change.
    """
    if db_path is not None and _stored_revision(db_path) == SCHEMA_HEAD:
        return False
    from alembic import command

    head = head_revision()
    with engine.connect() as conn:
        current = current_revision(conn)
    if current == head:
        return False
    if current is not None and db_path is not None and backups is not None:
        copy = backup(db_path, backups, f"rev{current}")
        log.info("backed up the library to %s before migrating %s -> %s", copy, current, head)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True
