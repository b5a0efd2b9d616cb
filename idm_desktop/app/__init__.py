"""The use cases over one local library: the one layer the window (ui) and the command line (cli) call.

- :mod:`~idm_desktop.app.library`: the opened library (paths, settings, database, blob folder, clock);
- :mod:`~idm_desktop.app.desktop`: :class:`DesktopApp`, documents, submissions, export and check,
  built once per library with its parts built once;
- :mod:`~idm_desktop.app.sync`: sign-in, sync, status, submit, conflicts and offline bundles
  (``DesktopApp.sync``).

It joins storage, ingest, export and sync, which may not import each other.
"""

from idm_desktop.app.account import Account
from idm_desktop.app.desktop import DesktopApp
from idm_desktop.app.importing import ImportOptions, ImportResult
from idm_desktop.app.library import Clock, Library, utc_now
from idm_desktop.app.sync import BundleOutcome, SyncStatus, SyncUseCases

__all__ = [
    "Account", "BundleOutcome", "Clock", "DesktopApp", "ImportOptions", "ImportResult", "Library",
    "SyncStatus", "SyncUseCases", "utc_now",
]
