"""Typed user settings, stored as JSON with a ``schema_version`` and migrations."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from idm_desktop.core.errors import StorageError
from idm_desktop.core.i18n import _

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting, with its default. Unknown keys in the file are ignored."""

    schema_version: int = SCHEMA_VERSION
    ui_language: str = "en"
    author: str = ""
    page_format: str = "A4"
    editor_zoom: int = 0  # steps of the editor's text size from the default (Ctrl+plus/minus)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


# Migrations from version N to N+1, applied in order to the raw dict.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring a settings dict from any older schema version to the current one."""
    version = int(raw.get("schema_version", 1))
    while version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
        raw["schema_version"] = version
    return raw


def load_settings(path: Path) -> Settings:
    """Read the settings; a missing or damaged file gives the defaults (and is logged)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("settings file %s unreadable (%s); using defaults", path, exc)
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    raw = migrate(raw)
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in raw.items() if k in known})


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically (temp file, fsync, rename)."""
    import tempfile  # here: reading the settings (every start) does not need it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(settings), fh, indent=2, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise StorageError(
            _("Could not save the settings to {path}: {reason}.").format(path=path, reason=exc.strerror)
        ) from exc
