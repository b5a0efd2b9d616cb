"""The test PostgreSQL answers: a real server, where a table can be made and dropped."""

from __future__ import annotations

from sqlalchemy import create_engine, text


def test_real_postgres_answers(fresh_postgres_db: str) -> None:
    engine = create_engine(fresh_postgres_db)
    try:
        with engine.begin() as conn:
            version = conn.execute(text("select version()")).scalar_one()
            assert "PostgreSQL" in version
            conn.execute(text("create table probe (id integer primary key, name text not null)"))
            conn.execute(text("insert into probe (id, name) values (1, 'idm')"))
            assert conn.execute(text("select name from probe where id = 1")).scalar_one() == "idm"
            conn.execute(text("drop table probe"))
        with engine.connect() as conn:
            assert conn.execute(text("select current_database()")).scalar_one() == engine.url.database
    finally:
        engine.dispose()
