"""Both blob stores — the folder and the S3 API (a real SeaweedFS) — behave the same: what is
kept, what the blob route answers to every kind of Range request, a download cut and resumed,
and nothing visible of an upload that never finished."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from idm_desktop.server import cli, publishing
from idm_desktop.server.blobs import BlobStore, FilesystemBlobStore
from idm_desktop.server.config import Settings
from idm_desktop.server.context import ServerContext
from idm_desktop.server.s3blobs import S3BlobStore
from idm_desktop.server.stores import open_store
from idm_desktop.storage.blobs import BlobStore as ClientBlobStore
from idm_desktop.sync.blobs import fetch_blob
from idm_desktop.sync.client import SyncClient
from idm_desktop.sync.transport import Backoff, Transport
from tests.server.conftest import LiveServer, Service
from tests.support.faultproxy import FaultProxy
from tests.support.seaweed import SeaweedS3

WORKSHOP = "idm2006-integration"


@pytest.fixture(params=["folder", "s3"])
def store_spec(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "folder":
        return str(tmp_path / "blob-folder")
    s3: SeaweedS3 = request.getfixturevalue("seaweed")
    return s3.url(s3.new_bucket(), prefix="idm")


@pytest.fixture
def store(store_spec: str, tmp_path: Path) -> BlobStore:
    return open_store(store_spec, tmp_path / "unused")


@pytest.fixture
def svc(store_spec: str, tmp_path: Path) -> Iterator[Service]:
    settings = Settings(home=tmp_path / "server", blob_store=store_spec)
    ctx = ServerContext.open(settings)
    live = LiveServer(ctx).start()
    service = Service(live)
    try:
        yield service
    finally:
        for c in service.clients:
            c.close()
        live.stop()
        ctx.close()


def _text(size: int, seed: int = 3) -> str:
    words = [f"w{seed}{i % 97}x{i % 13}" for i in range(size // 6 + 10)]
    return " ".join(words)[:size]


def _publish(service: Service, tmp_path: Path, size: int) -> tuple[str, bytes]:
    file = tmp_path / "IC-2006-4.en.txt"
    file.write_text(_text(size), encoding="utf-8")
    doc = publishing.publish_document(service.ctx.db, service.ctx.blobs, file, workshop=WORKSHOP,
                                      symbol="IC/2006/4", language="en")
    return doc.sha256, file.read_bytes()


def test_put_has_size_read_names_and_copy(store: BlobStore, tmp_path: Path) -> None:
    data = os.urandom(300_000)
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.put(data) == sha  # the same bytes twice are one blob
    assert store.has(sha)
    assert store.size(sha) == len(data)
    assert store.read(sha) == data
    assert not store.has("0" * 64)
    assert not store.has("not a hash")
    assert list(store.names()) == [sha]
    store.copy_to(sha, tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == data
    store.check()


def test_a_large_file_goes_up_in_parts_each_checked(seaweed: SeaweedS3) -> None:
    store = open_store(seaweed.url(seaweed.new_bucket()), Path("."))
    assert isinstance(store, S3BlobStore)
    data = os.urandom(20 * 1024 * 1024)  # 3 parts of 8 MiB
    sha = store.put(data)
    head = store.client.head_object(Bucket=store.bucket, Key=store.key(sha), ChecksumMode="ENABLED")
    assert head["ContentLength"] == len(data)
    assert head["ChecksumSHA256"].endswith("-3")  # a checksum per part, checked by the store
    assert head["Metadata"]["sha256"] == sha
    assert hashlib.sha256(store.read(sha)).hexdigest() == sha


def test_bytes_that_do_not_match_their_checksum_are_refused(seaweed: SeaweedS3) -> None:
    import base64

    from botocore.exceptions import ClientError

    client: Any = seaweed.client()
    bucket = seaweed.new_bucket()
    wrong = base64.b64encode(hashlib.sha256(b"other bytes").digest()).decode()
    with pytest.raises(ClientError, match=r"BadDigest|mismatch|did not match"):
        client.put_object(Bucket=bucket, Key="x", Body=b"these bytes", ChecksumSHA256=wrong)
    assert client.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0


def test_an_upload_that_never_finished_leaves_nothing_visible(seaweed: SeaweedS3, tmp_path: Path) -> None:
    bucket = seaweed.new_bucket()
    svc_settings = Settings(home=tmp_path / "server", blob_store=seaweed.url(bucket))
    ctx = ServerContext.open(svc_settings)
    store = ctx.blobs
    assert isinstance(store, S3BlobStore)
    data = os.urandom(6 * 1024 * 1024)
    sha = hashlib.sha256(data).hexdigest()
    # What a replica killed mid-upload leaves: a multipart upload with a part sent, never completed.
    upload = store.client.create_multipart_upload(Bucket=bucket, Key=store.key(sha))
    store.client.upload_part(Bucket=bucket, Key=store.key(sha), UploadId=upload["UploadId"], PartNumber=1,
                             Body=data[:5 * 1024 * 1024])
    assert not store.has(sha)
    assert list(store.names()) == []
    with pytest.raises(FileNotFoundError):
        store.read(sha)
    # Another replica writing the same file later completes it whole.
    assert store.put(data) == sha
    assert store.read(sha) == data
    ctx.close()


_RANGES: list[dict[str, str]] = [
    {}, {"Range": "bytes=0-99"}, {"Range": "bytes=1000-"}, {"Range": "bytes=-50"},
    {"Range": "bytes=0-9,20-29,25-40"}, {"Range": "bytes=99999999-"}, {"Range": "items=0-1"},
    {"Range": "bytes=5-1"}, {"Range": "bytes=10-19", "If-Range": "SHA"},
    {"Range": "bytes=10-19", "If-Range": '"stale"'},
]


def _answers(service: Service, sha: str, token: str) -> list[tuple[Any, ...]]:
    out = []
    client = service.client(headers={"Authorization": f"Bearer {token}"})
    for ask in _RANGES:
        headers = {k: v.replace("SHA", f'"{sha}"') for k, v in ask.items()}
        r = client.get(f"/api/v1/blobs/{sha}", headers=headers)
        boundary = re.search(r"boundary=(\S+)", r.headers.get("content-type", ""))
        body = r.content
        if boundary:
            body = body.replace(boundary.group(1).encode(), b"BOUNDARY")
        out.append((ask, r.status_code, r.headers.get("content-range"), r.headers.get("content-length"),
                    r.headers.get("etag"), r.headers.get("accept-ranges"), hashlib.sha256(body).hexdigest()))
    return out


def test_the_blob_route_answers_ranges_the_same_from_both_stores(seaweed: SeaweedS3, tmp_path: Path) -> None:
    results = []
    for spec in (str(tmp_path / "folder"), seaweed.url(seaweed.new_bucket())):
        ctx = ServerContext.open(Settings(home=tmp_path / f"server-{len(results)}", blob_store=spec))
        live = LiveServer(ctx).start()
        service = Service(live)
        try:
            sha, data = _publish(service, tmp_path, 200_000)
            results.append(_answers(service, sha, service.account("ana").token))
            r = service.client(headers=service.account("bea").headers).get(f"/api/v1/blobs/{sha}")
            assert r.content == data
        finally:
            for c in service.clients:
                c.close()
            live.stop()
            ctx.close()
    folder, s3 = results
    assert [a[1] for a in folder] == [200, 206, 206, 206, 206, 416, 400, 400, 206, 200]
    assert s3 == folder


def test_a_cut_download_resumes_from_either_store(svc: Service, tmp_path: Path) -> None:
    sha, data = _publish(svc, tmp_path, 3_000_000)
    token = svc.account("ana").token
    store = ClientBlobStore(tmp_path / "client-blobs")
    with FaultProxy(svc.live.port) as proxy:
        proxy.cut_after_bytes = 1_000_000
        with Transport(proxy.url, token, backoff=Backoff(base=0.01, attempts=10)) as transport:
            fetch_blob(SyncClient(transport), store, sha, len(data))
        assert proxy.connections >= 3
    assert store.read(sha) == data


def test_migrate_blobs_copies_a_folder_into_s3_checking_every_hash(
        seaweed: SeaweedS3, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "server"
    folder = FilesystemBlobStore(home / "blobs")
    blobs = [folder.put(os.urandom(n)) for n in (10, 70_000, 9 * 1024 * 1024)]
    url = seaweed.url(seaweed.new_bucket())

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main(["--home", str(home), *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("--json", "admin", "migrate-blobs", "--to", url)
    assert code == 0, err
    assert json.loads(out)["copied"] == 3
    assert json.loads(out)["checked"] == 3
    target = open_store(url, Path("."))
    assert sorted(target.names()) == sorted(blobs)
    assert all(hashlib.sha256(target.read(s)).hexdigest() == s for s in blobs)
    code, out, err = run("admin", "migrate-blobs", "--to", url)  # again: nothing to copy, all checked
    assert code == 0
    assert out.startswith("Copied 0 of 3 files")
    # A damaged file in the folder stops the copy with one line.
    damaged = folder.put(b"fine bytes")
    (home / "blobs" / damaged[:2] / damaged).write_bytes(b"rotten bytes")
    code, out, err = run("admin", "migrate-blobs", "--to", url)
    assert code == 1
    assert damaged in err
    assert len(err.strip().splitlines()) == 1
    assert not target.has(damaged)
    code, out, err = run("admin", "migrate-blobs", "--to", "ftp://somewhere")
    assert code == 1
    assert "unknown blob store" in err


@pytest.mark.parametrize("spec", ["ftp://somewhere/blobs", "s3://bucket?endpoint=http://127.0.0.1:9&colour=red",
                                  "s3://key:secret@bucket?endpoint=http://127.0.0.1:9"])
def test_a_blob_store_address_that_cannot_be_used_is_one_line(
        spec: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["--home", str(tmp_path / "server"), "--blob-store", spec, "admin", "list-users"])
    err = capsys.readouterr().err
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "secret" not in err


def test_readiness_follows_the_s3_store(seaweed: SeaweedS3, tmp_path: Path) -> None:
    bucket = seaweed.new_bucket()
    ctx = ServerContext.open(Settings(home=tmp_path / "server", blob_store=seaweed.url(bucket)))
    live = LiveServer(ctx).start()
    try:
        ready = httpx.get(live.url + "/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"]["blobs"] == "ok"
        client: Any = seaweed.client()
        client.delete_bucket(Bucket=bucket)  # the store lost its bucket: this replica is not ready
        gone = httpx.get(live.url + "/readyz")
        assert gone.status_code == 503
        assert gone.json()["checks"] == {"database": "ok", "blobs": "unavailable"}
    finally:
        live.stop()
        ctx.close()
