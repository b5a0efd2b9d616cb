"""The objects one running service shares between requests (built once by ``create_app``)."""

from __future__ import annotations

from dataclasses import dataclass

from idm_desktop.server.blobs import BlobStore, FilesystemBlobStore
from idm_desktop.server.config import Settings
from idm_desktop.server.database import Database


@dataclass(frozen=True, slots=True)
class ServerContext:
    settings: Settings
    db: Database
    blobs: BlobStore

    @classmethod
    def open(cls, settings: Settings, *, migrate: bool = True, seed: bool = True) -> ServerContext:
        """Open the database (migrating and seeding it first when asked) and the blob store."""
        from idm_desktop.server.publishing import seed as seed_catalog

        settings.home.mkdir(parents=True, exist_ok=True)
        db = Database(settings.effective_database_url)
        if migrate:
            db.migrate()
        if seed:
            seed_catalog(db)
        return cls(settings=settings, db=db, blobs=FilesystemBlobStore(settings.effective_blob_dir))

    def close(self) -> None:
        self.db.dispose()
