"""The service's schema: Alembic's migrations build exactly the models, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from idm_desktop.core.resources import migrations_dir
from idm_desktop.server.database import Database
from idm_desktop.server.models import Base


def _head() -> str | None:
    from alembic.config import Config

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
