"""The service's schema: Alembic's migrations build exactly the models, on both databases."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from idm_desktop.core.resources import migrations_dir
from idm_desktop.server.database import Database, newest_revisions
from idm_desktop.server.models import Base


def _head() -> str | None:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir() / "server"))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_migrations_build_the_models(db_url: str) -> None:
    db = Database(db_url)
    try:
        db.migrate()
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn)
            assert ctx.get_current_revision() == _head()
            # Tables the models do not describe (full-text indexes) are the migrations' own,
            # with their indexes (PostgreSQL's GIN index of public_fts).
            diff = [d for d in compare_metadata(ctx, Base.metadata)
                    if not (d[0] == "remove_table" and d[1].name.endswith(("_fts", "_fts_data",
                            "_fts_idx", "_fts_docsize", "_fts_config", "_fts_content")))
                    and not (d[0] == "remove_index" and d[1].table.name.endswith("_fts"))]
            assert diff == []
    finally:
        db.dispose()


def test_migrating_twice_changes_nothing(db_url: str) -> None:
    db = Database(db_url)
    try:
        db.migrate()
        tables = set(inspect(db.engine).get_table_names())
        db.migrate()
        assert set(inspect(db.engine).get_table_names()) == tables
        assert {"users", "tokens", "feed", "submissions", "documents"} <= tables
    finally:
        db.dispose()


def test_the_newest_revision_is_read_as_alembic_reads_it(db_url: str) -> None:
    """A database at the newest revision starts without Alembic: the service reads the heads from
    the scripts itself, and must find Alembic's; an older database is migrated as before."""
    assert newest_revisions() == {_head()}
    db = Database(db_url)
    try:
        db.migrate()
        cfg = Config()
        cfg.set_main_option("script_location", str(migrations_dir() / "server"))
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0006")
        assert "withdrawn_at" not in {c["name"] for c in inspect(db.engine).get_columns("submissions")}
        db.migrate()  # not at the newest: Alembic runs
        with db.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == _head()
        assert "withdrawn_at" in {c["name"] for c in inspect(db.engine).get_columns("submissions")}
    finally:
        db.dispose()
