"""Where published files are kept: content-addressed, behind a small interface.

The service needs four things of a blob store: put a file, tell whether a blob is there, its
size, and a way to send it. :class:`FilesystemBlobStore` keeps files on a local (or shared)
disk and lets the web server send them with ranges; an S3-compatible store would implement
the same protocol and answer ``local_path`` with None (the blob route would then redirect to a
pre-signed URL, which S3 serves with ranges itself).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

_CHUNK = 1024 * 1024


class BlobStore(Protocol):
    def put(self, data: bytes) -> str: ...
    def has(self, sha256: str) -> bool: ...
    def size(self, sha256: str) -> int: ...
    def local_path(self, sha256: str) -> Path | None: ...
    def read(self, sha256: str) -> bytes: ...
    def check(self) -> None:
        """Raise OSError when the store cannot take and give back a file now (readiness)."""


class FilesystemBlobStore:
    """``<root>/ab/abcdef…``: written to a temporary file, flushed to disk, renamed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
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
