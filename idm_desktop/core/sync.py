"""The sync vocabulary every layer shares: progress, report, outbox item, conflict, summary.

Storage returns these, the sync engine fills them, the use cases hand them on, and the window
and the command line show them; the sync errors are in :mod:`idm_desktop.core.errors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from idm_desktop.core.refusals import refusal_text


@dataclass
class SyncProgress:
    """Where a sync is: its phase and how far it has gone (``total`` None while unknown)."""

    phase: str  # pull | files | push | submit
    done: int
    total: int | None


@dataclass
class SyncReport:
    """What one sync (or one applied changes bundle) did."""

    pulled: int = 0
    unchanged: int = 0  # of ``pulled``: the library had them already
    refused: int = 0  # of ``pulled``: not the library's (another delegation's, a document imported here)
    new_documents: int = 0
    merged: int = 0
    conflicts: int = 0
    pushed: int = 0  # versions of texts sent
    review_actions: int = 0  # comments, replies, decisions, requests, clearances and returns sent
    receipts: list[tuple[str, str]] = field(default_factory=list)  # (submission id, receipt number)
    failures: list[str] = field(default_factory=list)
    requests: int = 0


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One op waiting in the outbox (or refused for good: ``failed``)."""

    op_id: str
    kind: str
    submission_id: str
    title: str
    sent: bool
    attempts: int
    failed: bool
    error: str | None
    error_code: str | None = None

    @property
    def reason(self) -> str:
        """Why the server refused it, in the interface language ("" when it did not)."""
        if not self.failed and not self.error:
            return ""
        return refusal_text(self.error_code, self.error)


@dataclass(frozen=True, slots=True)
class Conflict:
    """One section (or the title) edited both here and on the server, waiting for the user."""

    submission_id: str
    key: str
    base: str
    mine: str
    theirs: str
    theirs_rev: int


@dataclass(frozen=True, slots=True)
class SyncSummary:
    """The counts the status bar and ``idm-desktop status`` show."""

    waiting: int        # submissions with unsent edits + ops not yet answered
    conflicts: int      # submissions with conflicts waiting for the user
    failed: int         # ops refused for good
    pending_documents: int
    cursor: str | None
