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
