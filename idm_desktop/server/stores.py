"""Which blob store a service uses, from its settings' one address."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from idm_desktop.server.blobs import BlobStore, FilesystemBlobStore


def open_store(spec: str, default_dir: Path) -> BlobStore:
    """The store ``spec`` names: ``s3://BUCKET?endpoint=URL…``, a folder path, or '' (``default_dir``)."""
    if spec.startswith("s3://"):
        from idm_desktop.server.s3blobs import S3BlobStore  # boto3 is loaded only for S3

        return S3BlobStore.from_url(spec)
    if "://" in spec and not spec.startswith("file://"):
        raise ValueError(f"unknown blob store {urlsplit(spec).scheme!r}: give a folder or "
                         "s3://BUCKET?endpoint=URL")
    folder = spec.removeprefix("file://")
    return FilesystemBlobStore(Path(folder).expanduser() if folder else default_dir)
