"""Find the bundled resources (catalog, templates, locale, fonts) and migrations.

Three ways the program runs, one answer each:
- frozen (PyInstaller): ``sys._MEIPASS/idm_desktop/_resources``;
- installed wheel: ``idm_desktop/_resources`` inside the package (copied by the build);
- editable checkout: ``resources/`` at the top of the repository.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _candidates(packaged: str, checkout: str) -> list[Path]:
    found: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        found.append(Path(meipass) / "idm_desktop" / packaged)
    found.append(_PACKAGE_DIR / packaged)
    found.append(_PACKAGE_DIR.parent / checkout)
    return found


@cache
def resources_dir() -> Path:
    """The folder holding catalog/, templates/, locale/ and fonts/."""
    for path in _candidates("_resources", "resources"):
        if (path / "catalog").is_dir():
            return path
    raise RuntimeError("bundled resources are missing from this installation")


@cache
def migrations_dir() -> Path:
    """The folder holding the Alembic migrations (client/ and server/)."""
    for path in _candidates("_migrations", "db"):
        if (path / "client").is_dir():
            return path
    raise RuntimeError("database migrations are missing from this installation")


def resource(*parts: str) -> Path:
    """Path of one bundled resource, e.g. ``resource("fonts", "LiberationSerif-Regular.ttf")``."""
    return resources_dir().joinpath(*parts)
