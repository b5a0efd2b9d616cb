"""Reading the file a user chose, with the size cap checked before any byte is read."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from idm_desktop.ingest import messages

# O_NONBLOCK: opening a named pipe that someone called "notes.pdf" must not wait for a writer;
# it is then refused as not a regular file. It changes nothing for regular files.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_capped(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path``, refused with an :class:`IngestError` when the file is missing,
    not a regular file, empty, or larger than ``max_bytes``.

    The size comes from the open file's own status, so a file swapped between the check and
    the read is still held to the cap; a file that grows meanwhile is caught by reading one
    byte more than the cap.
    """
    name = path.name
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise messages.not_found(name) from None
    except IsADirectoryError:
        raise messages.not_a_file(name) from None
    except OSError as err:
        raise messages.unreadable(name, err.strerror or str(err)) from None
    try:
        _check_status(fd, name, max_bytes)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = _read_all(fh, max_bytes + 1)
    except OSError as err:
        raise messages.unreadable(name, err.strerror or str(err)) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise messages.too_large(name, len(data), max_bytes)
    if not data:
        raise messages.empty(name)
    return data


def _check_status(fd: int, name: str, max_bytes: int) -> None:
    """Refuse an open file that is not a regular file, is empty, or is over the cap."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise messages.not_a_file(name)
    if info.st_size == 0:
        raise messages.empty(name)
    if info.st_size > max_bytes:
        raise messages.too_large(name, info.st_size, max_bytes)


def _read_all(fh: BinaryIO, limit: int) -> bytes:
    """At most ``limit`` bytes from an open binary file."""
    return fh.read(limit)
