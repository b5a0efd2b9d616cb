"""Alembic environment of idm-server's database (SQLite or PostgreSQL).

Run programmatically by idm_desktop.server.database (no alembic.ini): the caller hands in an
open connection through ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from idm_desktop.server.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection):  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
