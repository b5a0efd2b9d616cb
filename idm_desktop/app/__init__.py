"""The use cases over one local library: the one layer the window (ui) and the command line (cli) call.

- :mod:`~idm_desktop.app.library`: the opened library (paths, settings, database, blob folder, clock);
- :mod:`~idm_desktop.app.desktop`: :class:`DesktopApp`, documents, submissions, export and check,
  built once per library with its parts built once;
- :mod:`~idm_desktop.app.sync`: sign-in, sync, status, submit, conflicts and offline bundles
  (``DesktopApp.sync``).

It joins storage, ingest, export and sync, which may not import each other.

The names below load with their module when first asked for (PEP 562), so that importing
``DesktopApp`` does not bring the import and sync use cases a one-shot read never runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from idm_desktop.app.account import Account
    from idm_desktop.app.desktop import DesktopApp
    from idm_desktop.app.importing import ImportOptions, ImportResult
    from idm_desktop.app.library import Clock, Library, utc_now
    from idm_desktop.app.sync import BundleOutcome, SyncStatus, SyncUseCases

_HOMES = {
    "Account": "account", "BundleOutcome": "sync", "Clock": "library", "DesktopApp": "desktop",
    "ImportOptions": "importing", "ImportResult": "importing", "Library": "library",
    "SyncStatus": "sync", "SyncUseCases": "sync", "utc_now": "library",
}

__all__ = [
    "Account", "BundleOutcome", "Clock", "DesktopApp", "ImportOptions", "ImportResult", "Library",
    "SyncStatus", "SyncUseCases", "utc_now",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
