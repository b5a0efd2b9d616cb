from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from idm_desktop.storage.blobs import BlobStore


def test_put_is_content_addressed_and_idempotent(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    data = b"%PDF-1.4 example"
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.path(sha) == tmp_path / "blobs" / sha[:2] / sha
    assert store.read(sha) == data
    assert store.put(data) == sha
    assert [p.name for p in (tmp_path / "blobs" / sha[:2]).iterdir()] == [sha]  # no temp left


def test_rejects_a_name_that_is_not_a_hash(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    with pytest.raises(ValueError, match="sha256"):
        store.path("../../etc/passwd")


@pytest.mark.parametrize("flush", ["syncfs", "file by file"])
def test_put_many_stores_each_blob_whole_once(tmp_path: Path, flush: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from idm_desktop.storage import blobs as blobs_module

    if flush == "file by file":  # as on Windows and macOS
        monkeypatch.setattr(blobs_module, "_SYNCFS", None)
    store = BlobStore(tmp_path / "blobs")
    items = [b"alpha", b"beta", b"alpha", b"gamma" * 1000]
    first = store.put(b"beta")
    shas = store.put_many(items)
    assert shas == [hashlib.sha256(x).hexdigest() for x in items]
    assert shas[1] == first
    for sha, data in zip(shas, items, strict=True):
        assert store.read(sha) == data
    leftovers = [p for p in (tmp_path / "blobs").rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []
    assert store.put_many([]) == []


@pytest.mark.parametrize("flush", ["syncfs", "file by file"])
def test_adopt_many_moves_each_checked_file_into_place(tmp_path: Path, flush: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from idm_desktop.storage import blobs as blobs_module

    if flush == "file by file":  # as on Windows and macOS
        monkeypatch.setattr(blobs_module, "_SYNCFS", None)
    store = BlobStore(tmp_path / "blobs")
    files = []
    for data in (b"alpha", b"beta" * 1000):
        sha = hashlib.sha256(data).hexdigest()
        part = store.partial_path(sha)
        part.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(data)
        files.append((part, sha, data))
    store.adopt_many([(part, sha) for part, sha, _data in files])
    for part, sha, data in files:
        assert store.read(sha) == data
        assert not part.exists()
    store.adopt_many([])
