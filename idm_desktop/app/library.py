"""One user's library, opened: paths, settings, blob folder, clock and the database.

The parts every use case shares. :class:`~idm_desktop.app.desktop.DesktopApp` builds one and
hands it to each group of use cases (documents and submissions, sync), so none of them needs
the others to reach the database.

Opening is cheap: the database (and SQLAlchemy with it) opens on first use, so the window can be
on the screen while the library opens on the storage worker.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from idm_desktop.config.paths import Paths, resolve_paths
from idm_desktop.config.settings import Settings, load_settings
from idm_desktop.core import catalog as bundled
from idm_desktop.storage import quickread

if TYPE_CHECKING:  # SQLAlchemy loads on first use, to keep start-up quick
    from idm_desktop.storage.blobs import BlobStore
    from idm_desktop.storage.database import Database

Clock = Callable[[], dt.datetime]


ACCOUNT_USER_KEY = "sync.user"
"""Meta key: the user name of the account signed in (the sync use cases write it at sign-in)."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Library:
    """Settings, database, blob folder and clock of one user's data folder."""

    def __init__(self, paths: Paths, settings: Settings, blobs: BlobStore | None = None,
                 clock: Clock = utc_now, db: Database | None = None) -> None:
        self.paths = paths
        self.settings = settings
        self._blobs = blobs
        self.clock = clock
        self._db = db
        self._db_lock = threading.Lock()

    @classmethod
    def open(cls, home: str | Path | None = None, clock: Clock = utc_now) -> Library:
        """The library in ``home`` (created on first use); the database is not opened yet."""
        paths = resolve_paths(home)
        return cls(paths, load_settings(paths.settings), clock=clock)

    @property
    def blobs(self) -> BlobStore:
        """The blob folder (``paths.blobs``), made ready on first use."""
        if self._blobs is None:  # a race makes two equal stores, of which one is kept
            from idm_desktop.storage.blobs import BlobStore

            self._blobs = BlobStore(self.paths.blobs)
        return self._blobs

    @property
    def db(self) -> Database:
        """The open database, opened (and migrated, and given the catalog) on first use."""
        if self._db is None:
            with self._db_lock:
                if self._db is None:
                    from idm_desktop.storage.database import open_database

                    db = open_database(self.paths.database, self.paths.backups)
                    try:
                        load_bundled_catalog(db)
                        reshape_document_texts(db)
                    except BaseException:
                        db.close()
                        raise
                    self._db = db
        return self._db

    def quick_read(self, timeout: float = 5.0
                   ) -> contextlib.AbstractContextManager[sqlite3.Connection | None]:
        """While the database is not open: a query-only sqlite3 connection when the file is
        already what opening it would make (schema, catalog, text shaping current), else None —
        then use :attr:`db`. A one-shot command answers without loading SQLAlchemy. ``timeout``:
        how long it waits for a file another program holds."""
        if self._db is not None:
            return contextlib.nullcontext(None)
        return quickread.current_library(self.paths.database, {
            quickread.CATALOG_KEY: f"{bundled.catalog_version()}",
            TEXT_SHAPING_KEY: TEXT_SHAPING,
        }, timeout)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def author(self) -> str:
        """Who writes the history entries made here: the person signed in (the account's user
        name, the same on every computer), else the settings' author, else the computer's login."""
        return self.account_user() or self.settings.author or self.login_name

    def account_user(self) -> str | None:
        """The user name of the account signed in (None before the first sign-in)."""
        with self.quick_read() as con:
            if con is not None:  # a one-shot command: without SQLAlchemy
                with contextlib.suppress(sqlite3.Error):  # else the full way says what
                    return quickread.meta_values(con, (ACCOUNT_USER_KEY,)).get(ACCOUNT_USER_KEY)
        from idm_desktop.storage.meta import get_meta

        with self.db.session() as s:
            return get_meta(s, ACCOUNT_USER_KEY)

    @property
    def login_name(self) -> str:
        """The computer's login name (what a library never signed in writes in its history)."""
        try:
            return getpass.getuser()
        except (KeyError, OSError):  # no user name in a bare container
            return "delegate"


def load_bundled_catalog(db: Database) -> bool:
    """Load the catalog shipped with the program when the library holds another version."""
    from idm_desktop.storage import catalog as catalog_repo
    from idm_desktop.storage.meta import get_meta

    version = f"{bundled.catalog_version()}"
    with db.session() as s:
        if get_meta(s, catalog_repo.CATALOG_KEY) == version:
            return False
        return catalog_repo.load_bundled(
            s, bundled.load_catalog(), bundled.load_bundled_templates(), version
        )


TEXT_SHAPING_KEY = "document_text_shaping"
TEXT_SHAPING = "joined-lines-1"
"""The revision of what an import does to a document's text beyond extracting it: lines wrapped in
mid-sentence joined, words hyphenated at a line end made whole (ingest.join_wrapped_lines)."""


def reshape_document_texts(db: Database) -> int:
    """Give documents imported before the current text shaping the text an import gives now
    (once per library; Word documents keep theirs). Returns how many changed."""
    from idm_desktop.storage import documents as docs_repo
    from idm_desktop.storage.meta import get_meta, set_meta

    with db.session() as s:
        if get_meta(s, TEXT_SHAPING_KEY) == TEXT_SHAPING:
            return 0
        # Loaded only now: the ingest package is slow to import, and this runs once.
        from idm_desktop.ingest.model import Kind
        from idm_desktop.ingest.normalise import join_wrapped_lines

        changed = docs_repo.reshape_texts(s, join_wrapped_lines, skip_mime=Kind.DOCX.value)
        set_meta(s, TEXT_SHAPING_KEY, TEXT_SHAPING)
    return changed
