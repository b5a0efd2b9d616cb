"""Content-addressed blob folder: ``blobs/ab/abcdef…`` named by the sha256 of the bytes.

A blob is written to a temporary file in the same folder, fsynced, then renamed into place,
so a crash leaves either the whole blob or nothing under its name.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Callable, Sequence
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
        import hashlib  # here and below: a library opened only to read never loads them
        import tempfile

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

    def put_many(self, items: list[bytes]) -> list[str]:
        """Store several blobs, each as durably as :meth:`put`, with the disk flushes shared.

        Every file is written under a temporary name first; then the data reaches the disk
        (on Linux one ``syncfs`` of the blob folder's file system, elsewhere an fsync per file),
        then the files are renamed into place and the renames reach the disk the same way. A
        crash at any point leaves whole blobs or temporary files, never a short blob under its
        name. Returns their sha256s, in order."""
        import hashlib
        import tempfile

        shas = [hashlib.sha256(data).hexdigest() for data in items]
        pending: dict[str, tuple[Path, bytes]] = {}
        for sha, data in zip(shas, items, strict=True):
            target = self.path(sha)
            if sha not in pending and not target.is_file():
                pending[sha] = (target, data)
        if not pending:
            return shas
        written: list[tuple[str, Path]] = []
        try:
            for target, data in pending.values():
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
                written.append((tmp, target))
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
            if not _syncfs(self.root):
                for tmp, _target in written:
                    with open(tmp, "rb+") as fh:
                        os.fsync(fh.fileno())
            for tmp, target in written:
                os.replace(tmp, target)
            if not _syncfs(self.root):
                for folder in {target.parent for _tmp, target in written}:
                    _fsync_dir(folder)
        except OSError as exc:
            for tmp, _target in written:
                Path(tmp).unlink(missing_ok=True)
            raise StorageError(
                _("Could not store a file in {path}: {reason}. Free some space or check permissions.")
                .format(path=self.root, reason=exc.strerror or exc)
            ) from exc
        return shas

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

    def adopt_many(self, files: Sequence[tuple[Path, str]]) -> None:
        """:meth:`adopt` for several complete, verified ``(file, sha256)``, with the disk flushes
        shared as in :meth:`put_many`: the files' data reaches the disk (one ``syncfs`` on Linux,
        elsewhere an fsync per file), then they are renamed into place and the renames reach the
        disk the same way. A crash at any point leaves whole blobs or the files where they were."""
        if not files:
            return
        try:
            if not _syncfs(self.root):
                for file, _sha in files:
                    with file.open("rb+") as fh:
                        os.fsync(fh.fileno())
            targets = []
            for file, sha in files:
                target = self.path(sha)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(file, target)
                targets.append(target)
            if not _syncfs(self.root):
                for folder in {target.parent for target in targets}:
                    _fsync_dir(folder)
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


def _load_syncfs() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function: Callable[[int], int] = libc.syncfs
    except (OSError, AttributeError):
        return None
    return function


_SYNCFS = _load_syncfs()


def _syncfs(folder: Path) -> bool:
    """Flush everything written to ``folder``'s file system to disk (Linux ``syncfs``, which
    reports write-back errors since Linux 5.8). False where there is no such call: the caller
    flushes file by file instead."""
    if _SYNCFS is None:
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        if _SYNCFS(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
    finally:
        os.close(fd)
    return True
