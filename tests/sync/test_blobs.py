"""Downloading published files over a link that cuts: resumed, verified, never re-sent whole."""

from __future__ import annotations

import hashlib
import random
import string
from pathlib import Path

import pytest

from idm_desktop.core.errors import ServerUnreachableError
from idm_desktop.server import publishing
from idm_desktop.storage.blobs import BlobStore
from idm_desktop.sync.blobs import CHUNK, download_blob, fetch_blob
from idm_desktop.sync.client import SyncClient
from idm_desktop.sync.transport import Backoff, Transport
from tests.server.conftest import Service
from tests.support.faultproxy import FaultProxy


def _publish(service: Service, tmp_path: Path, size: int) -> tuple[str, int]:
    rng = random.Random(7)
    words = [''.join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(500)]
    text = ""
    while len(text) < size:
        text += " ".join(rng.choices(words, k=200)) + "\n"
    file = tmp_path / "IC-2006-9.en.txt"
    file.write_text(text[:size], encoding="utf-8")
    doc = publishing.publish_document(service.ctx.db, service.ctx.blobs, file,
                                      workshop="idm2006-integration", symbol="IC/2006/9", language="en")
    return doc.sha256, doc.size


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_download_resumes_after_cuts_and_resends_at_most_a_chunk(service: Service, tmp_path: Path) -> None:
    sha, size = _publish(service, tmp_path, 3_000_000)
    token = service.account("ana").token
    store = BlobStore(tmp_path / "client-blobs")
    with FaultProxy(service.live.port) as proxy:
        proxy.cut_after_bytes = 1_000_000
        with Transport(proxy.url, token, backoff=Backoff(base=0.01, attempts=10)) as transport:
            fetch_blob(SyncClient(transport), store, sha, size)
        assert proxy.connections >= 3
        wire = proxy.bytes_to_client
    assert hashlib.sha256(store.read(sha)).hexdigest() == sha
    assert not store.partial_path(sha).exists()
    headers_allowance = 600 * proxy.connections
    assert wire - size <= CHUNK + headers_allowance


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_damaged_partial_file_is_refetched(service: Service, tmp_path: Path) -> None:
    sha, size = _publish(service, tmp_path, 200_000)
    token = service.account("ana").token
    store = BlobStore(tmp_path / "client-blobs")
    part = store.partial_path(sha)
    part.parent.mkdir(parents=True)
    part.write_bytes(b"x" * 1000)  # not the file's first bytes: the hash check must catch it
    with Transport(service.url, token) as transport:
        with pytest.raises(Exception, match="checksum"):
            fetch_blob(SyncClient(transport), store, sha, size)
        assert not part.exists()
        fetch_blob(SyncClient(transport), store, sha, size)
    assert store.has(sha)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_refused_connections_end_in_server_unreachable_and_keep_the_part(
        service: Service, tmp_path: Path) -> None:
    sha, size = _publish(service, tmp_path, 500_000)
    token = service.account("ana").token
    store = BlobStore(tmp_path / "client-blobs")
    with FaultProxy(service.live.port) as proxy:
        proxy.cut_after_bytes = 100_000
        with Transport(proxy.url, token, backoff=Backoff(base=0.01, attempts=2)) as transport, \
                pytest.raises(ServerUnreachableError):
            fetch_blob(SyncClient(transport), store, sha, size)
    assert 0 < store.partial_path(sha).stat().st_size < size


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_checked_file_not_yet_adopted_is_taken_without_downloading_it_again(
        service: Service, tmp_path: Path) -> None:
    # A sync stopped between a download and the batch that adopts it leaves the whole file in
    # the partial folder: the next one only checks it.
    sha, size = _publish(service, tmp_path, 300_000)
    token = service.account("ana").token
    store = BlobStore(tmp_path / "client-blobs")
    with Transport(service.url, token) as transport:
        part = download_blob(SyncClient(transport), store, sha, size)
    assert part == store.partial_path(sha)
    assert not store.has(sha)
    with FaultProxy(service.live.port) as proxy:
        with Transport(proxy.url, token) as transport:
            again = download_blob(SyncClient(transport), store, sha, size)
        assert proxy.bytes_to_client == 0
    assert again == part
    store.adopt_many([(part, sha)])
    assert hashlib.sha256(store.read(sha)).hexdigest() == sha
