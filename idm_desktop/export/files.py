"""Writing an exported file whole, or not at all."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from idm_desktop.core.errors import ExportError
from idm_desktop.core.i18n import _

log = logging.getLogger(__name__)

# mkstemp creates files readable by their owner only; an export is meant to be circulated.
_FILE_MODE = 0o644


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The temporary file is flushed to disk, then renamed over ``path``, so a reader (or a
    crash) sees the old file or the new one, never half of one. Raise :class:`ExportError`
    with one clear line when the folder cannot be written; nothing is left behind then.
    """
    path = Path(path)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as exc:
        log.info("export to %s failed: %s", path, exc)
        reason = exc.strerror or str(exc)
        raise ExportError(
            _("Could not write “{path}”: {reason}. Choose another folder or file name.").format(
                path=path, reason=reason
            )
        ) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open a folder this way.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
