"""Content-addressed blob folder: ``blobs/ab/abcdef…`` named by the sha256 of the bytes.

A blob is written to a temporary file in the same folder, fsynced, then renamed into place,
so a crash leaves either the whole blob or nothing under its name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from idm_desktop.core.errors import StorageError
from idm_desktop.core.i18n import _

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def put(self, data: bytes) -> str:
        """Store ``data``; returns its sha256. Storing the same bytes twice is a no-op."""
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.is_file():
            return sha
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            _fsync_dir(target.parent)
        except OSError as exc:
            raise StorageError(
                _("Could not store a file in {path}: {reason}. Free some space or check permissions.")
                .format(path=self.root, reason=exc.strerror or exc)
            ) from exc
        return sha

    def partial_path(self, sha256: str) -> Path:
        """Where a download of ``sha256`` in progress is kept (``<sha>.part``), on the same disk
        as the blobs so that finishing it is a rename."""
        self.path(sha256)  # validates
        return self.root / ".partial" / f"{sha256}.part"

    def adopt(self, file: Path, sha256: str) -> None:
        """Move a complete, verified file into place as blob ``sha256`` (fsync, rename)."""
        target = self.path(sha256)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with file.open("rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(file, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            raise StorageError(
                _("Could not store a file in {path}: {reason}. Free some space or check permissions.")
                .format(path=self.root, reason=exc.strerror or exc)
            ) from exc

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    # The rename itself is durable only once the folder's entry is on disk (POSIX).
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
