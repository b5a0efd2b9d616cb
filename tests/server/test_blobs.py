"""Document files as a client downloads them: hash and size in the feed, ranges, resume."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from idm_desktop.server import publishing
from tests.server.conftest import Service

WORKSHOP = "idm2006-integration"


@dataclass(frozen=True)
class Published:
    id: str
    sha256: str
    data: bytes

    @property
    def url(self) -> str:
        return f"/api/v1/blobs/{self.sha256}"


def _publish(svc: Service, path: Path, data: bytes) -> Published:
    path.write_bytes(data)
    doc = publishing.publish_document(svc.ctx.db, svc.ctx.blobs, path, workshop=WORKSHOP,
                                      symbol=f"IC/2006/{uuid.uuid4().hex[:6]}", language="en")
    return Published(doc.id, doc.sha256, data)


@pytest.fixture(scope="module")
def doc(svc: Service, tmp_path_factory: pytest.TempPathFactory) -> Published:
    """A ~300 KB text file, published."""
    lines = [f"Line {i}: the dialogue on migration, partnerships and integration — é à ñ.\n"
             for i in range(4000)]
    data = "".join(lines).encode("utf-8")
    assert 250_000 < len(data) < 400_000
    return _publish(svc, tmp_path_factory.mktemp("doc") / "IC-2006-note.txt", data)


@pytest.fixture(scope="module")
def client(svc: Service) -> httpx.Client:
    return svc.client(headers=svc.account("reader", "drafter", "MEX").headers)


def _document_change(c: httpx.Client, doc_id: str) -> dict[str, Any]:
    changes: list[dict[str, Any]] = c.get("/api/v1/changes").json()["changes"]
    (change,) = [ch for ch in changes if ch["entity"] == "document" and ch["id"] == doc_id]
    return change


# -- the feed ------------------------------------------------------------------------------------

def test_the_feed_carries_the_files_hash_size_and_type_not_its_bytes(client: httpx.Client,
                                                                       doc: Published) -> None:
    change = _document_change(client, doc.id)
    data = change["data"]
    assert data["sha256"] == hashlib.sha256(doc.data).hexdigest() == doc.sha256
    assert data["size"] == len(doc.data)
    assert data["mime"] == "text/plain"
    assert data["filename"] == "IC-2006-note.txt"
    assert data["workshop_id"] == WORKSHOP
    assert data["page_count"] >= 1
    assert "Line 3999" not in str(change)  # the text is not in the feed


# -- downloads -----------------------------------------------------------------------------------

def test_the_whole_file_with_its_etag(client: httpx.Client, doc: Published) -> None:
    r = client.get(doc.url)
    assert r.status_code == 200
    assert r.content == doc.data
    assert r.headers["etag"] == f'"{doc.sha256}"'
    assert r.headers["accept-ranges"] == "bytes"
    assert int(r.headers["content-length"]) == len(doc.data)
    assert r.headers["content-type"].startswith("text/plain")


def test_a_range_from_an_offset_to_the_end(client: httpx.Client, doc: Published) -> None:
    n = len(doc.data)
    r = client.get(doc.url, headers={"Range": "bytes=1000-"})
    assert r.status_code == 206
    assert r.headers["content-range"] == f"bytes 1000-{n - 1}/{n}"
    assert r.content == doc.data[1000:]
    r = client.get(doc.url, headers={"Range": "bytes=10-19"})
    assert r.status_code == 206
    assert r.content == doc.data[10:20]
    r = client.get(doc.url, headers={"Range": "bytes=-5"})
    assert r.status_code == 206
    assert r.content == doc.data[-5:]


def test_a_range_past_the_end_is_416(client: httpx.Client, doc: Published) -> None:
    n = len(doc.data)
    r = client.get(doc.url, headers={"Range": f"bytes={n}-"})
    assert r.status_code == 416
    assert r.headers["content-range"] == f"bytes */{n}"


def test_if_range_with_the_etag_resumes_and_another_etag_restarts(client: httpx.Client,
                                                                   doc: Published) -> None:
    n = len(doc.data)
    half = n // 2
    first = client.get(doc.url, headers={"Range": f"bytes=0-{half - 1}"})
    assert first.status_code == 206
    rest = client.get(doc.url, headers={"Range": f"bytes={half}-", "If-Range": f'"{doc.sha256}"'})
    assert rest.status_code == 206
    assert rest.headers["content-range"] == f"bytes {half}-{n - 1}/{n}"
    assert hashlib.sha256(first.content + rest.content).hexdigest() == doc.sha256
    # The client's partial file belongs to another version: the whole file comes back.
    stale = client.get(doc.url, headers={"Range": f"bytes={half}-", "If-Range": '"0123abcd"'})
    assert stale.status_code == 200
    assert stale.content == doc.data


def test_blobs_are_never_gzip_encoded(client: httpx.Client, doc: Published) -> None:
    for headers in ({"Accept-Encoding": "gzip"}, {"Accept-Encoding": "gzip", "Range": "bytes=100-"}):
        with client.stream("GET", doc.url, headers=headers) as r:
            wire = b"".join(r.iter_raw())
        assert "content-encoding" not in r.headers
        assert wire == doc.data[100:] if "Range" in headers else wire == doc.data


# -- what may not be downloaded ------------------------------------------------------------------

def test_an_unknown_hash_is_404(client: httpx.Client) -> None:
    r = client.get(f"/api/v1/blobs/{'0' * 64}")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


@pytest.mark.parametrize(("sha", "status"), [
    ("abc", 422), ("G" * 64, 422), ("A" * 64, 422), ("%2E%2E", 422), ("..%2F..%2Fserver.sqlite3", 404),
])
def test_a_malformed_hash_is_refused(client: httpx.Client, sha: str, status: int) -> None:
    r = client.get(f"/api/v1/blobs/{sha}")
    assert r.status_code == status
    assert set(r.json()) == {"code", "message"}


def test_a_withdrawn_documents_file_is_404(svc: Service, client: httpx.Client, tmp_path: Path) -> None:
    pub = _publish(svc, tmp_path / "withdrawn.md", f"# To withdraw {uuid.uuid4()}\n\nText.\n".encode())
    assert client.get(pub.url).status_code == 200
    publishing.withdraw_document(svc.ctx.db, pub.id)
    r = client.get(pub.url)
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_a_file_still_published_by_another_document_stays_available(
    svc: Service, client: httpx.Client, tmp_path: Path,
) -> None:
    data = f"# Shared {uuid.uuid4()}\n\nThe same bytes, published twice.\n".encode()
    one = _publish(svc, tmp_path / "one.md", data)
    two = _publish(svc, tmp_path / "two.md", data)
    assert one.sha256 == two.sha256
    publishing.withdraw_document(svc.ctx.db, one.id)
    r = client.get(two.url)
    assert r.status_code == 200
    assert r.content == data


def test_no_token_no_file(svc: Service, doc: Published) -> None:
    r = svc.client().get(doc.url)
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"
    r = svc.client(headers={"Authorization": "Bearer idm_nope"}).get(doc.url, headers={"Range": "bytes=0-"})
    assert r.status_code == 401
