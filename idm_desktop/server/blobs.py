"""Where published files are kept: content-addressed, behind one small interface.

Two stores implement :class:`BlobStore`: :class:`FilesystemBlobStore`, a folder on a local (or
shared) disk, the default; and :class:`~idm_desktop.server.s3blobs.S3BlobStore`, any service
speaking the S3 API (``--blob-store s3://BUCKET?endpoint=URL``), which replicas on several
machines share. Both write so that a writer dying half-way leaves nothing visible under the
blob's name, and both answer the blob route with the same ``Range``/``If-Range`` behaviour.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol

from starlette.responses import FileResponse, Response

_CHUNK = 1024 * 1024
HEX = frozenset("0123456789abcdef")


def is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in HEX for c in text)


class BlobStore(Protocol):
    def put(self, data: bytes) -> str: ...
    def has(self, sha256: str) -> bool: ...
    def size(self, sha256: str) -> int: ...
    def local_path(self, sha256: str) -> Path | None:
        """The blob as a file on this machine, or None (a remote store)."""
    def read(self, sha256: str) -> bytes: ...
    def copy_to(self, sha256: str, dest: Path) -> None:
        """Write the blob to ``dest`` (a file on this machine)."""
    def response(self, sha256: str, media_type: str, headers: Mapping[str, str]) -> Response:
        """The blob as an HTTP answer that honours ``Range`` and ``If-Range``."""
    def names(self) -> Iterator[str]:
        """Every blob's sha256, in no particular order."""
    def check(self) -> None:
        """Raise OSError when the store cannot take and give back a file now (readiness)."""
    def describe(self) -> str:
        """Where the blobs are, for messages (never a secret)."""


class FilesystemBlobStore:
    """``<root>/ab/abcdef…``: written to a temporary file, flushed to disk, renamed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError("not a sha256")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self._path(sha)
        if target.exists():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                for start in range(0, len(data), _CHUNK):
                    out.write(data[start:start + _CHUNK])
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def has(self, sha256: str) -> bool:
        try:
            return self._path(sha256).is_file()
        except ValueError:
            return False

    def size(self, sha256: str) -> int:
        return self._path(sha256).stat().st_size

    def local_path(self, sha256: str) -> Path | None:
        return self._path(sha256)

    def read(self, sha256: str) -> bytes:
        return self._path(sha256).read_bytes()

    def copy_to(self, sha256: str, dest: Path) -> None:
        with self._path(sha256).open("rb") as src, dest.open("wb") as out:
            while chunk := src.read(_CHUNK):
                out.write(chunk)

    def response(self, sha256: str, media_type: str, headers: Mapping[str, str]) -> Response:
        path = self._path(sha256)
        if not path.is_file():
            raise FileNotFoundError(sha256)
        return FileResponse(path, media_type=media_type, headers=dict(headers))

    def names(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and len(sub.name) == 2:
                for file in sorted(sub.iterdir()):
                    if is_sha256(file.name) and file.name.startswith(sub.name) and file.is_file():
                        yield file.name

    def check(self) -> None:
        """The folder exists and a file can be written to it, read back and removed."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".ready-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(b"ok")
            if Path(tmp).read_bytes() != b"ok":
                raise OSError(f"the blob folder {self.root} gave back other bytes than written")
        finally:
            Path(tmp).unlink(missing_ok=True)

    def describe(self) -> str:
        return str(self.root)


class MigrationError(Exception):
    """A blob could not be copied whole (its name and what went wrong)."""


def migrate(source: BlobStore, target: BlobStore) -> tuple[int, int]:
    """Copy every blob of ``source`` into ``target``: each is hashed as read (a damaged file in the
    source stops the copy), written with its hash, read back from the target and hashed again.
    Blobs the target has already are checked the same way. Returns (copied, already there)."""
    copied = present = 0
    for sha in source.names():
        if target.has(sha):
            present += 1
        else:
            data = source.read(sha)
            if hashlib.sha256(data).hexdigest() != sha:
                raise MigrationError(f"{sha} in {source.describe()} is damaged (its bytes have another hash)")
            target.put(data)
            copied += 1
        if hashlib.sha256(target.read(sha)).hexdigest() != sha:
            raise MigrationError(f"{sha} in {target.describe()} does not hash to its name")
    return copied, present
