"""Fixtures shared by every test: every path points at tmp_path, messages in English."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from idm_desktop.core.i18n import set_ui_language

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-frozen", action="store_true", default=False,
                     help="also run the tests of the built desktop program in dist/idm-desktop "
                          "(scripts/run-frozen-tests builds it first)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``frozen`` need the built program: left out unless --run-frozen is given."""
    if config.getoption("--run-frozen"):
        return
    left_out = [item for item in items if item.get_closest_marker("frozen")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("frozen")]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test may touch the real user's data folder."""
    monkeypatch.setenv("IDM_DESKTOP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user" / "data"))
    # A keyring backend that needs no desktop session and keeps its secrets encrypted in a file
    # under tmp_path (the program takes a keyring that writes in clear for none).
    from cryptography.fernet import Fernet

    from tests.support import encrypted_keyring

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.encrypted_keyring.EncryptedFileKeyring")
    monkeypatch.setenv(encrypted_keyring.FILE_VARIABLE, str(tmp_path / "user" / "keyring.bin"))
    monkeypatch.setenv(encrypted_keyring.KEY_VARIABLE, Fernet.generate_key().decode("ascii"))
    import keyring.core

    keyring.core._keyring_backend = None  # choose again from the environment
    set_ui_language("en")
    yield
    set_ui_language("en")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def corpus() -> Path:
    """The organisation's real documents, when the shared folder is beside the checkout."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test PostgreSQL that scripts/test-postgres starts (scripts/run-tests does it first)."""
    url = os.environ.get("IDM_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("IDM_TEST_POSTGRES_URL is not set: CI must run the tests through scripts/run-tests, "
                        "which starts PostgreSQL (scripts/test-postgres start)")
        pytest.skip("PostgreSQL tests need scripts/test-postgres start (scripts/run-tests does it)")
    return url


def postgres_database(stack: ExitStack, server_url: str) -> str:
    """A new database on the test PostgreSQL, dropped when ``stack`` closes: its SQLAlchemy URL."""
    import psycopg
    from psycopg import sql

    base = make_url(server_url)
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"idm_t_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    stack.callback(drop)
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def fresh_postgres_db(postgres_url: str) -> Iterator[str]:
    """A new, empty database on the test PostgreSQL, dropped afterwards: its SQLAlchemy URL."""
    with ExitStack() as stack:
        yield postgres_database(stack, postgres_url)
