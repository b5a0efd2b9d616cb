"""The service's side of offline bundles: "the changes since a cursor", packed for a field office
that has no link, with the files of the documents they bring (protocol/bundle.py)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from idm_desktop.protocol import ChangesPage
from idm_desktop.protocol.bundle import write_bundle
from idm_desktop.protocol.schemas import MAX_PAGE
from idm_desktop.server import feed
from idm_desktop.server.blobs import BlobStore
from idm_desktop.server.database import Database
from idm_desktop.server.entities import changes_for
from idm_desktop.server.errors import AdminError, AdminInputError, ServiceError
from idm_desktop.server.models import FeedState
from idm_desktop.server.signing import ServerKeys


def export_changes(db: Database, blobs: BlobStore, keys: ServerKeys, out: Path, *,
                   delegation: str | None, since: str | None, server_url: str | None) -> tuple[int, int]:
    """Write what ``delegation`` may see that changed after ``since`` (every change when None),
    signed with the service's key; returns (changes, files)."""
    pages: list[ChangesPage] = []
    with db.read() as session:
        state = session.get(FeedState, 1)
        if state is None:
            raise AdminError("The server has no data yet.")
        try:
            after = feed.decode_cursor(since, state)
        except ServiceError as err:
            raise AdminInputError(f"--since: {err.message}") from None
        while True:
            entries = feed.page(session, after, MAX_PAGE, delegation, everything=delegation is None)
            has_more = len(entries) == MAX_PAGE
            last = entries[-1].seq if entries else after
            cursor = feed.Cursor(state.epoch, last if has_more else max(last, state.last_seq)).encode()
            pages.append(ChangesPage(changes=changes_for(session, entries), next_cursor=cursor,
                                     has_more=has_more))
            after = last
            if not has_more:
                break
    files: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="idm-bundle-") as scratch:
        for page in pages:
            for change in page.changes:
                if change.entity == "document" and change.data and not change.deleted:
                    sha = str(change.data["sha256"])
                    if not blobs.has(sha):
                        continue
                    path = blobs.local_path(sha)
                    if path is None:  # a remote store: fetched into the scratch folder first
                        path = Path(scratch) / sha
                        blobs.copy_to(sha, path)
                    files[sha] = path
        _write(out, pages, files, keys, delegation=delegation, since=since, server_url=server_url)
    return sum(len(p.changes) for p in pages), len(files)


def _write(out: Path, pages: list[ChangesPage], files: dict[str, Path], keys: ServerKeys, *,
           delegation: str | None, since: str | None, server_url: str | None) -> None:
    write_bundle(out, "changes", {"server": server_url, "delegation": delegation, "app": "idm-server"},
                 dt.datetime.now(dt.UTC).isoformat(),
                 changes={"since": since, "pages": [p.model_dump(mode="json") for p in pages]}, blobs=files,
                 sign=keys.sign, signing_keys=list(keys.keys))
