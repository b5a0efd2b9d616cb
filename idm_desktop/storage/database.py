"""Open the local SQLite database: pragmas, migrations, sessions, and error translation.

SQLite errors come in two kinds (STYLE habit 6): the environment's (disk full, read-only,
locked, damaged file), which become a :class:`StorageError` telling the user what to do, and
ours, which propagate as they are.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from idm_desktop.core.errors import LibraryBusyError, StorageError
from idm_desktop.core.i18n import N_, _
from idm_desktop.storage import migrate
from idm_desktop.storage.quickread import BUSY_MESSAGE, is_busy, sqlite_code

log = logging.getLogger(__name__)


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # pysqlite's own transaction handling is turned off so SQLAlchemy's BEGIN is the only one.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # FULL: a commit that returned is on disk, even after power loss (user text lives here).
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _on_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


# SQLite's primary result codes that are the environment's fault, and what the user should do.
# Classified by code (sqlite3.Error.sqlite_errorcode), never by the wording of the message.
_ENVIRONMENT: dict[int, str] = {
    sqlite3.SQLITE_FULL: N_("The disk holding {path} is full: free some space and try again; "
                            "nothing was lost."),
    sqlite3.SQLITE_READONLY: N_("{path} is read-only: check the folder's permissions, or use --home to pick "
                                "another."),
    sqlite3.SQLITE_BUSY: BUSY_MESSAGE,
    sqlite3.SQLITE_CORRUPT: N_("{path} is damaged or not a library: restore a copy from the backups folder "
                               "beside it."),
    sqlite3.SQLITE_CANTOPEN: N_("{path} cannot be opened: check that the folder exists and is writable."),
}
_ENVIRONMENT[sqlite3.SQLITE_LOCKED] = _ENVIRONMENT[sqlite3.SQLITE_BUSY]
_ENVIRONMENT[sqlite3.SQLITE_NOTADB] = _ENVIRONMENT[sqlite3.SQLITE_CORRUPT]


def environment_error(exc: BaseException, path: Path) -> StorageError | None:
    """A clear StorageError for a failure that is the environment's, else None (our bug)."""
    code = sqlite_code(exc)
    message = _ENVIRONMENT.get(code) if code is not None else None
    if message is None:
        return None
    kind = LibraryBusyError if is_busy(exc) else StorageError
    return kind(_(message).format(path=path))


class Database:
    """The open library file. Hands out one Session per unit of work.

    Units of work run one at a time within the process: the window reads and saves on its
    storage worker while an import writes from another thread, and an autosave must wait for
    a long import transaction rather than fail with "database is locked" when SQLite's busy
    timeout runs out.
    """

    def __init__(self, engine: Engine, path: Path | None) -> None:
        self.engine = engine
        self.path = path
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._one_at_a_time = threading.RLock()  # re-entrant: a unit may call a helper that opens one

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on any error."""
        try:
            with self._one_at_a_time, self._sessions.begin() as session:
                yield session
        except (OperationalError, SADatabaseError) as exc:
            translated = environment_error(exc, self.path or Path(":memory:"))
            if translated is None:
                raise
            raise translated from exc

    def close(self) -> None:
        self.engine.dispose()


def make_engine(path: Path | None) -> Engine:
    url = f"sqlite:///{path}" if path is not None else "sqlite://"
    # The window's storage work runs on one worker thread, not the thread that opened the file.
    engine = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _owner_only(path: Path, mode: int) -> None:
    if os.name != "posix":
        return  # Windows: the profile's folders are the user's already
    try:
        if path.stat().st_mode & 0o777 != mode:
            os.chmod(path, mode)
    except OSError:
        log.warning("cannot make %s readable by its owner only", path)


def open_database(path: Path, backups: Path | None = None) -> Database:
    """Open (creating if needed) and migrate the library at ``path``.

    The library's folder is the user's alone (0700) and the file too (0600; SQLite gives its
    journal files the same): unpublished drafts and the sign-in state are in them."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StorageError(
            _("Cannot create the folder {path}: {reason}.").format(path=path.parent, reason=exc.strerror)
        ) from exc
    _owner_only(path.parent, 0o700)
    # A file SQLite cannot open still gets SQLite's own error, told to the user below.
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    if path.exists():
        _owner_only(path, 0o600)
    engine = make_engine(path)
    try:
        migrate.upgrade(engine, path, backups)
    except (OperationalError, SADatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        translated = environment_error(exc, path)
        if translated is None:
            raise
        raise translated from exc
    return Database(engine, path)
