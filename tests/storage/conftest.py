from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from idm_desktop.core.templates import Template, TemplateSection
from idm_desktop.core.workshops import EventKind, EventStatus, Workshop
from idm_desktop.storage import catalog
from idm_desktop.storage.database import Database, open_database

NOW = dt.datetime(2006, 6, 1, 9, 0, tzinfo=dt.UTC)

WORKSHOP = Workshop(id="ws", kind=EventKind.WORKSHOP, year=2006, title={"en": "Integration"},
                    status=EventStatus.CONFIRMED, start=dt.date(2006, 7, 12))
TEMPLATE = Template(
    id="tpl", version=1, title={"en": "Overview"}, intro={"en": "Intro"},
    sections=(TemplateSection("context", {"en": "Context"}, {"en": "Say it"}, True),
              TemplateSection("lessons", {"en": "Lessons"}, {"en": "Tell"}, False)),
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "lib.sqlite3", tmp_path / "backups")
    with database.session() as s:
        catalog.load_bundled(s, [WORKSHOP], [TEMPLATE], "test-1")
    yield database
    database.close()
