"""The objects one running service shares between requests (built once by ``create_app``)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from idm_desktop.server.blobs import BlobStore
from idm_desktop.server.catalog import seed as seed_catalog
from idm_desktop.server.config import Settings
from idm_desktop.server.database import Database
from idm_desktop.server.errors import AdminError
from idm_desktop.server.polls import QuietPolls
from idm_desktop.server.signing import ServerKeys
from idm_desktop.server.stores import open_store


@dataclass(frozen=True, slots=True)
class ServerContext:
    settings: Settings
    db: Database
    blobs: BlobStore
    keys: ServerKeys
    polls: QuietPolls = field(default_factory=QuietPolls)
    # Polls run on a few threads of their own: the work is short and holds the GIL most of the
    # time, so more threads would only queue for it (measured by tests/bench/bench_server.py).
    poll_threads: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=4, thread_name_prefix="idm-poll"))

    @classmethod
    def open(cls, settings: Settings, *, migrate: bool = True, seed: bool = True) -> ServerContext:
        """Open the database (migrating and seeding it first when asked) and the blob store."""
        settings.home.mkdir(parents=True, exist_ok=True)
        try:
            blobs = open_store(settings.blob_store, settings.effective_blob_dir)
        except ValueError as err:
            raise AdminError(f"{err}.") from None
        db = Database(settings.effective_database_url)
        if migrate:
            db.migrate()
        if seed:
            seed_catalog(db)
        db.check_writable()
        ctx = cls(settings=settings, db=db, blobs=blobs,
                  keys=ServerKeys.open(settings.home))
        db.after_write(ctx.polls.forget)
        return ctx

    def close(self) -> None:
        self.poll_threads.shutdown(wait=True)
        self.db.dispose()
