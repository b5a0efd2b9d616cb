"""Background sync for the window (DESIGN §7): when to sync, one at a time, and what came of it.

A sync runs on the network lane when the window opens (if signed in), a few seconds after the
user's text is saved, every five minutes, and when asked ("Sync now"). A sync asked for while
one runs is queued once. The window never waits for it: the state reaches the status bar and
the Sync view through :attr:`SyncController.sig_state_changed`.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import IdmError, ServerUnreachableError
from idm_desktop.ui.sync.state import Problem, SyncState, percent_of
from idm_desktop.ui.tasks import Lane, TaskManager

if TYPE_CHECKING:
    from idm_desktop.app.account import Account
    from idm_desktop.app.sync import SyncStatus
    from idm_desktop.core.sync import SyncProgress, SyncReport

log = logging.getLogger(__name__)

SYNC_EVERY_MS = 5 * 60 * 1000
SYNC_AFTER_SAVE_MS = 3000


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a sync returns to the GUI thread: its report or the error that stopped it, and the
    counts read after it."""

    report: SyncReport | None
    error: Exception | None
    status: SyncStatus


class SyncController(QObject):
    """Runs the syncs of one library; the views ask it, and listen to it."""

    sig_state_changed = Signal(object)
    """The sync state changed (the new :class:`SyncState`)."""

    sig_synced = Signal(object)
    """A sync finished (its SyncReport): submissions, documents and receipts may have changed."""

    sig_signed_in = Signal(object)
    """Sign-in succeeded (the Account)."""

    sig_sign_in_failed = Signal(object)
    """Sign-in failed (the exception; an IdmError's text is the message to show)."""

    sig_deletions_held = Signal(str)
    """The server withdrew many documents; nothing was removed until the user confirms (the message)."""

    sig_conflicts_resolved = Signal(str)
    """Conflicting sections of a submission were settled (its id): its text changed on disk."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._tasks = tasks
        self.state = SyncState()
        self._cancel: threading.Event | None = None  # set while a sync runs
        self._queued = False
        self._queued_allow_deletions = False
        self._closed = False
        self.periodic = self._timer("sync_periodic", SYNC_EVERY_MS, single=False)
        self.debounce = self._timer("sync_after_save", SYNC_AFTER_SAVE_MS, single=True)

    def _timer(self, name: str, msecs: int, *, single: bool) -> QTimer:
        timer = QTimer(self)
        timer.setObjectName(name)
        timer.setSingleShot(single)
        timer.setInterval(msecs)
        timer.timeout.connect(lambda: self.sync_now())
        return timer

    @property
    def running(self) -> bool:
        return self._cancel is not None

    # -- the state -------------------------------------------------------------------------------

    def _set(self, **changes: Any) -> None:
        self.state = dataclasses.replace(self.state, **changes)
        self.sig_state_changed.emit(self.state)

    def _take_status(self, status: SyncStatus, **changes: Any) -> None:
        self.state = dataclasses.replace(self.state.with_status(status), **changes)
        if self.state.signed_in and not self._closed:
            if not self.periodic.isActive():
                self.periodic.start()
        else:
            self.periodic.stop()
            self.debounce.stop()
        self.sig_state_changed.emit(self.state)

    def start(self) -> None:
        """Read the account and counts; sync at once when signed in."""
        self.refresh(then_sync=True)

    def refresh(self, *, then_sync: bool = False) -> None:
        """Read the counts again (after a save, a resolve, a submit)."""
        app = self._app

        def done(status: SyncStatus) -> None:
            if self._closed:
                return
            self._take_status(status)
            if then_sync and status.signed_in:
                self.sync_now()

        # The network lane, not the storage lane: status() asks the keyring, which may wait on the
        # desktop's keyring service (to unlock it), and saves must not wait in line behind that.
        self._tasks.run(lambda: app.sync.status(), lane=Lane.NETWORK, name="sync status", on_done=done)

    def local_change(self) -> None:
        """The user's text was saved: count it as waiting, and sync a few seconds later (not while
        the server cannot be reached: the periodic sync and "Sync now" try again)."""
        if self._closed:
            return
        self.refresh()
        if self.state.signed_in and self.state.problem is not Problem.OFFLINE:
            self.debounce.start()

    # -- syncing -----------------------------------------------------------------------------------

    def sync_now(self, *, allow_deletions: bool = False) -> bool:
        """Start a sync, or queue one behind the sync under way. False when not signed in."""
        if self._closed or not self.state.signed_in:
            return False
        self.debounce.stop()
        if self._cancel is not None:
            self._queued = True
            self._queued_allow_deletions |= allow_deletions
            return True
        cancel = threading.Event()
        self._cancel = cancel
        self._set(running=True, percent=0)
        app = self._app

        def work(progress: Callable[[SyncProgress], None]) -> _Outcome:
            # CancelledError is not an IdmError: a cancel is no problem to tell the user about.
            from idm_desktop.core.errors import CancelledError

            try:
                report = app.sync.run(progress, cancelled=cancel.is_set, allow_deletions=allow_deletions)
            except (IdmError, CancelledError) as err:
                return _Outcome(None, err, app.sync.status())
            return _Outcome(report, None, app.sync.status())

        self._tasks.run(work, lane=Lane.NETWORK, name="sync", on_done=self._on_sync_done,
                        on_error=self._on_sync_crashed, on_progress=self._on_sync_progress)
        return True

    def cancel(self) -> None:
        """Stop the sync under way at its next safe point; what it did so far stays."""
        self._queued = False
        if self._cancel is not None:
            self._cancel.set()

    def _on_sync_progress(self, progress: SyncProgress) -> None:
        if self._cancel is None:
            return
        self._set(percent=max(self.state.percent or 0, percent_of(progress)))

    def _on_sync_done(self, outcome: _Outcome) -> None:
        from idm_desktop.core.errors import CancelledError, DeletionGuardError, SignInRequiredError

        self._cancel = None
        err = outcome.error
        problem: Problem | None = None
        if isinstance(err, ServerUnreachableError):
            problem = Problem.OFFLINE
        elif isinstance(err, SignInRequiredError):
            problem = Problem.SIGN_IN
        elif err is not None and not isinstance(err, CancelledError):
            problem = Problem.FAILED
        if err is not None:
            log.info("sync stopped: %s", err)
        self._take_status(outcome.status, running=False, percent=None, problem=problem,
                          reason=str(err) if problem is not None else "")
        if outcome.report is not None:
            self.sig_synced.emit(outcome.report)
        if isinstance(err, DeletionGuardError):
            self.sig_deletions_held.emit(str(err))
        self._run_queued()

    def _on_sync_crashed(self, exc: BaseException) -> None:
        """Our bug: told as one (the crash dialog); the next sync may go better."""
        self._cancel = None
        self._set(running=False, percent=None, problem=Problem.FAILED, reason=str(exc))
        self._tasks.default_error(exc)
        self._run_queued()

    def _run_queued(self) -> None:
        if self._queued and not self._closed:
            allow, self._queued, self._queued_allow_deletions = self._queued_allow_deletions, False, False
            self.sync_now(allow_deletions=allow)

    # -- the account -------------------------------------------------------------------------------

    def sign_in(self, server: str, user: str, password: str, *, token_file: bool = False,
                fingerprint: str | None = None, insecure_http: bool = False) -> None:
        """Sign in on the network lane; then sync. The outcome comes as sig_signed_in or
        sig_sign_in_failed. ``fingerprint`` and ``insecure_http`` as ``login`` takes them."""
        app = self._app
        device = socket.gethostname() or "desktop"

        def work() -> tuple[Account, SyncStatus]:
            account = app.sync.login(server, user, password, device_name=device, token_file=token_file,
                                     fingerprint=fingerprint, insecure_http=insecure_http)
            return account, app.sync.status()

        def done(result: tuple[Account, SyncStatus]) -> None:
            account, status = result
            if self._closed:
                return
            self._take_status(status, problem=None, reason="")
            self.sig_signed_in.emit(account)
            self.sync_now()

        def failed(exc: BaseException) -> None:
            self.sig_sign_in_failed.emit(exc)
            if not isinstance(exc, IdmError):
                self._tasks.default_error(exc)

        self._tasks.run(work, lane=Lane.NETWORK, name="sign in", on_done=done, on_error=failed)

    def sign_out(self) -> None:
        """Stop syncing, forget the token here (and revoke it on the server if it answers)."""
        self.cancel()
        self.periodic.stop()
        self.debounce.stop()
        app = self._app

        def work() -> SyncStatus:
            app.sync.logout()
            return app.sync.status()

        def done(status: SyncStatus) -> None:
            if not self._closed:
                self._take_status(status, problem=None, reason="")

        self._tasks.run(work, lane=Lane.NETWORK, name="sign out", on_done=done)

    def conflicts_resolved(self, sid: str) -> None:
        """Sections of ``sid`` were settled in the resolver: count again and send the text."""
        self.sig_conflicts_resolved.emit(sid)
        self.refresh()
        self.sync_now()

    def shutdown(self) -> None:
        """The window closes: no new sync; the one under way stops at its next safe point."""
        self._closed = True
        self.periodic.stop()
        self.debounce.stop()
        self.cancel()
