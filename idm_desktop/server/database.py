"""Engines, sessions and migrations of the service's database (SQLite or PostgreSQL).

Write units of work lock what they change: on PostgreSQL with ``SELECT ... FOR UPDATE``; on
SQLite by starting write transactions with ``BEGIN IMMEDIATE`` (SQLite has one writer at a
time, and a deferred transaction that reads first and writes later would fail with "database
is locked" instead of waiting).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler

from idm_desktop.core.resources import migrations_dir
from idm_desktop.server.errors import AdminError
from idm_desktop.server.models import Base

log = logging.getLogger(__name__)

_STARTUP_LOCK = 0x1D5E_0001  # any number of our own for pg_advisory_xact_lock
READERS = 12
"""SQLite read connections kept open (more are opened when needed, and closed after use)."""
READ_CACHE_KIB = 512
"""Each SQLite read connection's own page cache (SQLite's default: 2 MB). Twelve of them would
hold 24 MB of pages the operating system's cache holds anyway; reading them from there again
costs the public search nothing measurable (tests/bench/bench_public.py)."""


class Database:
    """The service's database: a read engine and a write engine (the same one on PostgreSQL)."""

    def __init__(self, url: str, *, pool_size: int = 20) -> None:
        self._after_write: list[Callable[[], None]] = []
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            self._write_engine = _sqlite_engine(url, immediate=True)
            # Readers keep their connections: the pages' makers, the poll threads and the other
            # routes together (a connection closed past the pool's size is opened again with its
            # PRAGMAs by the next request, which cost a page as much as its query).
            self._read_engine = _sqlite_engine(url, immediate=False, pool_size=READERS,
                                               cache_kib=READ_CACHE_KIB)
            self._poll_engine = self._read_engine  # no BEGIN without a Connection: autocommit
        else:
            engine = create_engine(
                url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
            )
            self._write_engine = self._read_engine = engine
            # fetch_one's single statement needs no transaction: in autocommit it is one round
            # trip, not BEGIN, SELECT and ROLLBACK (and fetch_one deals with dropped connections
            # itself rather than pinging first).
            self._poll_engine = create_engine(
                url, pool_size=pool_size, max_overflow=pool_size // 2, isolation_level="AUTOCOMMIT",
            )
        self._writer = sessionmaker(self._write_engine, expire_on_commit=False)
        self._reader = sessionmaker(self._read_engine, expire_on_commit=False)
        self._compiled: dict[Select[*tuple[Any, ...]], SQLCompiler] = {}

    @property
    def engine(self) -> Engine:
        return self._write_engine

    @property
    def read_errors(self) -> tuple[type[Exception], ...]:
        """What a read may raise when the database is unwell (:meth:`fetch_one` raises the
        driver's own errors)."""
        return (self._poll_engine.dialect.loaded_dbapi.Error, SQLAlchemyError, OSError)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that changes data: committed on success, rolled back on error."""
        with self._writer() as session, session.begin():
            yield session
        for listener in self._after_write:
            listener()

    def after_write(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every write unit of work of this process commits."""
        self._after_write.append(listener)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (one consistent snapshot)."""
        with self._reader() as session, session.begin():
            yield session

    def fetch_one(self, stmt: Select[*tuple[Any, ...]], params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of the read ``stmt``, run straight on a pooled DB-API connection, values
        as the driver gives them (SQLite: datetimes as ISO text, booleans as 0 and 1).

        Only for the hottest read, a poll: there a SQLAlchemy Connection would cost some ten
        times the query. ``stmt`` must be built once (it is compiled once per statement)."""
        compiled = self._compiled.get(stmt)
        if compiled is None:
            compiled = stmt.compile(dialect=self._poll_engine.dialect)
            self._compiled[stmt] = compiled
        bound = compiled.construct_params(params)
        args = tuple(bound[name] for name in compiled.positiontup) if compiled.positiontup else bound
        engine = self._poll_engine
        for attempt in (1, 2):
            conn = engine.raw_connection()
            try:
                cursor = conn.cursor()
                try:
                    cursor.execute(compiled.string, args)
                    row = cursor.fetchone()
                finally:
                    cursor.close()
                return tuple(row) if row is not None else None
            except engine.dialect.loaded_dbapi.Error as err:
                # No ping before each use (a round trip per poll): a connection the database
                # dropped (it restarted) shows here instead. Start the pool afresh, try once more.
                if attempt == 2 or not engine.dialect.is_disconnect(err, conn.dbapi_connection, None):
                    raise
                conn.invalidate(err)
                engine.dispose()
            finally:
                conn.close()  # back to the pool
        raise AssertionError("unreachable")

    def check_writable(self) -> None:
        """Refuse to serve on a database that cannot be written (read-only file or replica, full
        disk): every sign-in would fail. Writes a row as it is, then rolls back."""
        try:
            with self._write_engine.connect() as conn, conn.begin() as tx:
                conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
                tx.rollback()
        except SQLAlchemyError as err:
            reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
            raise AdminError(f"The database cannot be written ({reason}): the service does not start. "
                             "Check the database's permissions, its disk or that it is not a read-only "
                             "replica.") from err

    def lock(self, stmt: Any) -> Any:
        """``stmt`` with a row lock where the database has them (PostgreSQL)."""
        return stmt if self.is_sqlite else stmt.with_for_update()

    def migrate(self) -> None:
        """Bring the schema to the newest revision (Alembic, db/server). A database already there
        is only read: Alembic (some 15 MB with its templates and the migration scripts) is
        imported only when there is something to do."""
        if self._at_newest_revision():
            return
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(migrations_dir() / "server"))
        with self._write_engine.begin() as conn:
            self._startup_lock(conn)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def _at_newest_revision(self) -> bool:
        try:
            with self._read_engine.connect() as conn:
                stamped = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
        except SQLAlchemyError:
            return False  # a new database (no version table yet)
        return stamped == newest_revisions()

    def startup_lock(self, session: Session) -> None:
        """Serialise start-up work (migrations, seeding) between replicas starting together."""
        self._startup_lock(session.connection())

    def _startup_lock(self, conn: Any) -> None:
        if not self.is_sqlite:  # SQLite's BEGIN IMMEDIATE already lets one writer in
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _STARTUP_LOCK})

    def check_connection(self) -> None:
        with self._read_engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self._write_engine.dispose()
        if self._read_engine is not self._write_engine:
            self._read_engine.dispose()
        if self._poll_engine is not self._read_engine:
            self._poll_engine.dispose()


_REVISION = re.compile(r"^revision\b[^=]*=\s*['\"](\w+)['\"]", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=(.*)$", re.M)


def newest_revisions() -> set[str]:
    """The heads of the service's migrations (revisions no other one revises), read from the
    scripts' ``revision`` and ``down_revision`` lines as Alembic writes them."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in (migrations_dir() / "server" / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = _DOWN_REVISION.search(source)
        if down is not None:
            revised.update(re.findall(r"['\"](\w+)['\"]", down.group(1)))
    return revisions - revised


def _sqlite_engine(url: str, *, immediate: bool, pool_size: int = 5, cache_kib: int | None = None) -> Engine:
    # LIFO: the same few connections serve, and only theirs hold a warm page cache.
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=pool_size,
                           pool_use_lifo=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event start transactions
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        if cache_kib is not None:
            cur.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


__all__ = ["Base", "Database"]
