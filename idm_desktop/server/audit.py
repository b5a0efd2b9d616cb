"""The secretariat's audit log: every action taken on the desk (and by the admin commands that
change what delegations see), with who, when, what, and the state before and after.

Written in the same transaction as the change it records, so a change without its entry, or an
entry without its change, cannot happen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idm_desktop.server.models import AuditEntry, utcnow

COMMAND_LINE = "(idm-server admin)"
"""The actor of an admin command run on the server's machine."""
NOT_SIGNED_IN = "(not signed in)"
"""The actor of a failed sign-in: the name typed is the target, not a person known to be acting."""


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    at: dt.datetime
    username: str
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def record(session: Session, username: str, action: str, target: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    session.add(AuditEntry(at=utcnow(), username=username, action=action, target=target[:300],
                           before=before, after=after))


def failed_sign_in(session: Session, face: str, username: str, address: str) -> None:
    """A sign-in refused (wrong password, unknown user, or a delegate at the desk): on ``face``
    ("desk" or "protocol"), for the user name typed, from ``address``. Never the password."""
    record(session, NOT_SIGNED_IN, f"{face}.sign_in_failed", username[:200], None, {"address": address})


def recent(session: Session, *, limit: int = 100, offset: int = 0) -> tuple[list[Entry], int]:
    """The newest entries first, and how many there are in all."""
    total = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
    return [Entry(r.id, r.at if r.at.tzinfo else r.at.replace(tzinfo=dt.UTC), r.username, r.action,
                  r.target, r.before, r.after) for r in rows], int(total)
