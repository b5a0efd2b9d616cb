"""SQLite's errors sorted by their result code: the environment's get one clear line, ours propagate."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from idm_desktop.storage.database import environment_error, sqlite_code


def _error(code: int, message: str = "whatever the wording") -> sqlite3.Error:
    err = sqlite3.OperationalError(message)
    err.sqlite_errorcode = code  # type: ignore[attr-defined]
    return err


@pytest.mark.parametrize(("code", "words"), [
    (sqlite3.SQLITE_FULL, "is full"),
    (sqlite3.SQLITE_READONLY, "read-only"),
    (sqlite3.SQLITE_READONLY | (1 << 8), "read-only"),  # an extended code: SQLITE_READONLY_RECOVERY
    (sqlite3.SQLITE_BUSY, "in use by another program"),
    (sqlite3.SQLITE_LOCKED, "in use by another program"),
    (sqlite3.SQLITE_CORRUPT, "damaged"),
    (sqlite3.SQLITE_NOTADB, "damaged"),
    (sqlite3.SQLITE_CANTOPEN, "cannot be opened"),
])
def test_the_environment_s_errors_are_told_by_their_code(code: int, words: str) -> None:
    translated = environment_error(_error(code), Path("lib.sqlite3"))
    assert translated is not None
    assert words in str(translated)
    assert "lib.sqlite3" in str(translated)


def test_a_message_that_merely_mentions_a_full_disk_is_still_our_bug() -> None:
    assert environment_error(_error(sqlite3.SQLITE_ERROR, "database or disk is full"), Path("x")) is None
    assert environment_error(ValueError("disk is full"), Path("x")) is None
    assert sqlite_code(ValueError("no code")) is None


def test_a_real_file_that_is_not_a_database_gives_its_code(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"these are not the pages of a database" * 100)
    with contextlib.closing(sqlite3.connect(path)) as conn, pytest.raises(sqlite3.DatabaseError) as caught:
        conn.execute("SELECT * FROM sqlite_master")
    assert sqlite_code(caught.value) == sqlite3.SQLITE_NOTADB
