"""Downloading a published file: resumed with ``Range``, verified by sha256, then adopted.

What arrived is kept in ``<sha>.part`` (flushed as it comes), so a cut link costs at most the
chunk in flight: the next attempt asks for the rest with ``Range`` and ``If-Range`` (the blob's
ETag), and the server answers 206 with the rest, or 200 with the whole file if it changed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

import httpx

from idm_desktop.core.errors import BlobDownloadError, ServerUnreachableError
from idm_desktop.core.i18n import _
from idm_desktop.storage.blobs import BlobStore
from idm_desktop.sync.client import SyncClient

log = logging.getLogger(__name__)

CHUNK = 256 * 1024


def fetch_blob(
    client: SyncClient, store: BlobStore, sha256: str, size: int,
    progress: Callable[[int], None] = lambda _n: None,
) -> None:
    """Make blob ``sha256`` (``size`` bytes) present in ``store``, resuming a partial download."""
    part = download_blob(client, store, sha256, size, progress)
    if part is not None:
        store.adopt(part, sha256)


def download_blob(
    client: SyncClient, store: BlobStore, sha256: str, size: int,
    progress: Callable[[int], None] = lambda _n: None,
) -> Path | None:
    """Download blob ``sha256`` (``size`` bytes) into its part file, resuming a partial download,
    and check its hash: the complete part file, for the caller to adopt (``BlobStore.adopt`` or,
    for many, ``adopt_many``, which shares the disk flushes); None when ``store`` has it already.
    Until adopted, the part stays where the next attempt finds it whole and only checks it."""
    if store.has(sha256):
        return None
    part = store.partial_path(sha256)
    part.parent.mkdir(parents=True, exist_ok=True)
    attempt = 0
    while True:
        have = part.stat().st_size if part.exists() else 0
        if have > size:
            part.unlink()
            have = 0
        try:
            if have < size or size == 0:
                _download(client, sha256, part, have, progress)
            break
        except (httpx.TransportError, _Retry) as err:
            attempt += 1
            transport = client.transport
            if attempt >= transport.backoff.attempts:
                reason = (transport.failure(err) if isinstance(err, httpx.TransportError)
                          else _("the server answered HTTP {status}").format(status=err.args[0]))
                raise ServerUnreachableError(
                    _("The server at {host} stopped sending a file ({reason}); the download resumes at "
                      "the next sync.").format(host=transport.host, reason=reason), host=transport.host,
                ) from err
            transport.pause(transport.backoff.delay(attempt, transport.rng))
    if _sha256_of(part) != sha256:
        part.unlink(missing_ok=True)
        raise BlobDownloadError(_("A downloaded file was damaged on the way (its checksum differs); "
                                  "it is fetched again at the next sync."))
    return part


class _Retry(Exception):
    pass


def _download(client: SyncClient, sha256: str, part: Path, have: int,
              progress: Callable[[int], None]) -> None:
    headers = {"If-Range": f'"{sha256}"'}
    if have:
        headers["Range"] = f"bytes={have}-"
    with client.blob(sha256, headers) as response:
        if response.status_code == 206 and _range_start(response) == have:
            mode = "ab"
        elif response.status_code == 200:
            mode, have = "wb", 0
        elif response.status_code in (429, 500, 502, 503, 504):
            raise _Retry(response.status_code)
        else:
            response.read()
            raise BlobDownloadError(_("The server has no file {sha} any more (HTTP {status}).")
                                    .format(sha=sha256[:12], status=response.status_code))
        with part.open(mode) as out:
            for chunk in response.iter_raw():  # as it arrives: a cut keeps everything received
                out.write(chunk)
                out.flush()
                progress(len(chunk))
        # No fsync here: a complete file reaches the disk when it is adopted, before its rename (a
        # second flush cost one per file), and a part is checked by its hash, not trusted.


def _range_start(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Range", "")  # "bytes 100-199/200"
    try:
        return int(value.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return None


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
