"""What the window knows about sync at one moment, and how the status bar says it.

Plain data and functions (no widgets), so the wording is tested on its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from idm_desktop.core.i18n import _, plural
from idm_desktop.ui.formatting import format_time

if TYPE_CHECKING:
    from idm_desktop.app.sync import SyncStatus
    from idm_desktop.core.sync import SyncProgress


class Problem(Enum):
    """Why the last sync did not finish."""

    OFFLINE = "offline"  # the server could not be reached: the work stays queued
    SIGN_IN = "sign_in"  # the server no longer accepts the token
    FAILED = "failed"  # the server refused, or the library could not take the changes


@dataclass(frozen=True, slots=True)
class SyncState:
    """The account, the counts of the library's sync tables, and the sync under way if any."""

    signed_in: bool = False
    server: str | None = None
    user: str | None = None
    running: bool = False
    percent: int | None = None
    last_sync: dt.datetime | None = None
    waiting: int = 0
    conflicts: int = 0
    failed: int = 0
    pending_documents: int = 0
    problem: Problem | None = None
    reason: str = ""
    revision: int = 0  # grows each time the counts are read again from the library
    fingerprint: str | None = None  # the server's key pinned at sign-in

    def with_status(self, status: SyncStatus) -> SyncState:
        s = status.summary
        return dataclasses.replace(
            self, signed_in=status.signed_in, server=status.server, user=status.user,
            last_sync=status.last_sync, waiting=s.waiting, conflicts=s.conflicts, failed=s.failed,
            pending_documents=s.pending_documents, revision=self.revision + 1,
            fingerprint=status.fingerprint,
            # Refused by the server (a revoked computer): "sign in again", offline too.
            problem=(Problem.SIGN_IN if status.sign_in_ended
                     else self.problem if status.signed_in else None),
            reason=(status.sign_in_ended_text if status.sign_in_ended
                    else self.reason if status.signed_in else ""))


def status_text(state: SyncState) -> str:
    """The status bar's words: offline, syncing n%, up to date at hh:mm, k waiting."""
    # A submission with conflicts waits for the user, not for the server: the conflicts say so.
    n = max(0, state.waiting - state.conflicts)
    if not state.signed_in and state.problem is not Problem.SIGN_IN:
        return _("Offline — local only")
    if state.running:
        if state.percent is None:
            return _("Syncing…")
        return _("Syncing… {percent}%").format(percent=state.percent)
    if state.problem is Problem.OFFLINE:
        return (plural("Offline — {n} waiting", "Offline — {n} waiting", n) if n
                else _("Offline — nothing waiting"))
    if state.problem is Problem.SIGN_IN:
        return (plural("Sign in again — {n} waiting", "Sign in again — {n} waiting", n)
                if n else _("Sign in again"))
    if state.problem is Problem.FAILED:
        return (plural("Sync failed — {n} waiting", "Sync failed — {n} waiting", n)
                if n else _("Sync failed"))
    if n:
        return plural("{n} waiting", "{n} waiting", n)
    if state.last_sync is not None and state.failed:
        # Refused changes are not up to date: the attention text beside says how many.
        return _("Last sync at {time}").format(time=format_time(state.last_sync))
    if state.last_sync is not None:
        return _("Up to date at {time}").format(time=format_time(state.last_sync))
    return _("Not synced yet")


def status_tooltip(state: SyncState) -> str:
    """The reason of a failure, or who is signed in where."""
    if state.problem is Problem.SIGN_IN and not state.signed_in and state.reason:
        return state.reason
    if not state.signed_in:
        return _("Not signed in: your work stays on this computer. Sign in from the Sync view.")
    lines = []
    if state.problem is not None and state.reason:
        lines.append(state.reason)
    lines.append(_("Signed in to {server} as {user}.").format(server=state.server, user=state.user))
    return "\n".join(lines)


def attention_text(state: SyncState) -> str:
    """Conflicts and refused changes, which need the user ("" when there are none)."""
    parts = []
    if state.conflicts:
        parts.append(plural("{n} conflict", "{n} conflicts", state.conflicts))
    if state.failed:
        parts.append(plural("{n} not accepted", "{n} not accepted", state.failed))
    return " · ".join(parts)


# Each phase of a sync takes a share of the bar; the pull's length is unknown until it ends.
_PHASES = {"pull": (0, 30), "files": (30, 70), "push": (70, 90), "submit": (90, 100)}


def percent_of(progress: SyncProgress) -> int:
    """How far a sync is, 0–100, from the engine's progress of one phase."""
    start, end = _PHASES.get(progress.phase, (0, 100))
    if progress.total:
        share = min(progress.done, progress.total) / progress.total
    else:
        share = 0.5 if progress.done else 0.0
    return int(start + (end - start) * share)
