"""The local database: pragmas, migrations with a backup, environment errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from idm_desktop.core.errors import StorageError
from idm_desktop.storage import migrate
from idm_desktop.storage.database import open_database


def test_new_library_is_at_head_with_wal_and_fts(tmp_path: Path) -> None:
    db = open_database(tmp_path / "lib.sqlite3", tmp_path / "backups")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert migrate.current_revision(conn) == migrate.head_revision()
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    assert {"documents", "submissions", "submission_history", "documents_fts",
            "submissions_fts"} <= names
    db.close()
    assert not (tmp_path / "backups").exists()  # nothing to back up on a new file


def test_migrating_an_older_library_takes_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    open_database(path).close()
    # Pretend the file is from an older schema: drop to base, keep a marker row.
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE marker (x)")
    con.execute("INSERT INTO marker VALUES ('kept')")
    con.execute("UPDATE alembic_version SET version_num = 'base-test'")
    con.commit()
    con.close()
    with pytest.raises(Exception, match="base-test"):  # an unknown revision is our bug, loudly
        open_database(path, tmp_path / "backups")
    backups = list((tmp_path / "backups").glob("library-revbase-test-*.sqlite3"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT x FROM marker").fetchall() == [("kept",)]
    copy.close()


def test_a_file_that_is_not_a_database_gives_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError) as err:
        open_database(path)
    assert "damaged or not a library" in str(err.value)
    assert "\n" not in str(err.value)
    assert path.read_bytes() == b"this is not sqlite" * 100  # untouched


def test_a_read_only_folder_gives_one_clear_line(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if (folder / "probe").exists() or _writable(folder):
            pytest.skip("running as a user that ignores permissions")
        with pytest.raises(StorageError) as err:
            open_database(folder / "lib.sqlite3")
        assert "\n" not in str(err.value)
    finally:
        folder.chmod(0o700)


def _writable(folder: Path) -> bool:
    try:
        (folder / "probe").write_text("x")
    except OSError:
        return False
    (folder / "probe").unlink()
    return True


def test_the_schema_head_constant_matches_the_migrations() -> None:
    assert migrate.head_revision() == migrate.SCHEMA_HEAD


def test_reopening_a_current_library_does_not_load_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    open_database(tmp_path / "lib.sqlite3").close()
    code = (
        "import sys; from pathlib import Path;"
        "from idm_desktop.storage.database import open_database;"
        f"open_database(Path({str(tmp_path / 'lib.sqlite3')!r})).close();"
        "sys.exit(1 if 'alembic' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_units_of_work_from_two_threads_run_one_after_the_other(tmp_path: Path) -> None:
    import threading

    db = open_database(tmp_path / "lib.sqlite3")
    inside = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def long_writer() -> None:
        with db.session() as s:
            s.execute(text("CREATE TABLE IF NOT EXISTS t (x)"))
            order.append("writer in")
            inside.set()
            release.wait(10)
            order.append("writer out")

    def saver() -> None:
        with db.session() as s:
            order.append("saver in")
            s.execute(text("INSERT INTO t VALUES (1)"))

    writer = threading.Thread(target=long_writer)
    writer.start()
    assert inside.wait(10)
    second = threading.Thread(target=saver)
    second.start()
    second.join(0.3)
    assert second.is_alive()  # waiting for its turn, not failing
    release.set()
    writer.join(10)
    second.join(10)
    assert order == ["writer in", "writer out", "saver in"]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1
    db.close()


def test_a_0001_library_with_documents_upgrades_keeping_its_search(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "lib.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql(
            "INSERT INTO documents (id, symbol, title, kind, language, languages_available, sha256, "
            "size, mime, filename, page_count, text, imported_at) VALUES ('d1', 'IC/2006/4', 'Update', "
            "'report', 'en', '[\"en\"]', 'ab', 1, 'text/plain', 'a.txt', 1, 'remittances and diaspora', "
            "'2026-01-01 00:00:00')")
    engine.dispose()
    db = open_database(path, tmp_path / "backups")
    with db.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.SCHEMA_HEAD
        assert conn.exec_driver_sql("SELECT origin FROM documents").scalar() == "local"
        hits = conn.exec_driver_sql(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'diaspora'").fetchall()
        assert len(hits) == 1
        conn.exec_driver_sql("UPDATE documents SET text = 'health workers' WHERE id = 'd1'")
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'health'").scalar() == 1
        triggers = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"documents_fts_ai", "documents_fts_ad", "documents_fts_au"} <= triggers
    db.close()
    assert list((tmp_path / "backups").glob("library-rev0001-*.sqlite3"))


def test_the_migrations_build_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from idm_desktop.storage.models import Base

    db = open_database(tmp_path / "lib.sqlite3")
    with db.engine.connect() as conn:
        diff = [d for d in compare_metadata(MigrationContext.configure(conn), Base.metadata)
                if not (d[0] == "remove_table" and "_fts" in d[1].name)]
    db.close()
    assert diff == []


def test_the_library_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    import os

    from idm_desktop.storage.database import open_database

    home = tmp_path / "home"
    db = open_database(home / "library.sqlite3")
    db.close()
    assert (home / "library.sqlite3").stat().st_mode & 0o777 == 0o600
    assert home.stat().st_mode & 0o777 == 0o700
    os.chmod(home / "library.sqlite3", 0o644)  # a library made by an earlier version
    open_database(home / "library.sqlite3").close()
    assert (home / "library.sqlite3").stat().st_mode & 0o777 == 0o600
