"""Desk sessions, kept in the database (any replica answers any request): the cookie carries a
random value of which only the SHA-256 is stored; each session has its own CSRF token; a session
ends after ``Settings.desk_idle`` without a request, or at sign-out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from idm_desktop.core.clearance import Role
from idm_desktop.server.models import DeskSession, User, utcnow

COOKIE = "idm_desk"
PRE_COOKIE = "idm_desk_signin"
"""Carries the sign-in form's own CSRF token before any session exists."""
_TOUCH_EVERY = dt.timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class DeskUser:
    """The secretariat user behind a desk request."""

    user_id: int
    username: str
    csrf: str
    session_hash: str


def _hash(value: str) -> str:
    return hashlib.sha256(("desk:" + value).encode("utf-8")).hexdigest()


def start(session: Session, user_id: int) -> tuple[str, str]:
    """A new session for ``user_id``: (the cookie's value, the CSRF token)."""
    raw, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    session.add(DeskSession(id_hash=_hash(raw), user_id=user_id, csrf=csrf, created_at=now, last_seen_at=now))
    return raw, csrf


class Expired(Exception):
    """The session existed and ended for want of activity."""


def find(session: Session, raw: str | None, idle: dt.timedelta) -> tuple[DeskUser | None, bool]:
    """The user of the session ``raw`` and whether its last use should be written down; None when
    there is no such session or its user is no longer an active secretariat user. Raises
    :class:`Expired` for a session idle for longer than ``idle``."""
    if not raw or len(raw) > 100:
        return None, False
    row = session.execute(
        select(DeskSession.id_hash, DeskSession.csrf, DeskSession.last_seen_at, User.id, User.username,
               User.role, User.disabled)
        .join(User, User.id == DeskSession.user_id).where(DeskSession.id_hash == _hash(raw))).first()
    if row is None:
        return None, False
    id_hash, csrf, last_seen, user_id, username, role, disabled = row
    last = last_seen if last_seen.tzinfo else last_seen.replace(tzinfo=dt.UTC)
    now = utcnow()
    if last < now - idle:
        raise Expired()
    if disabled or role != Role.SECRETARIAT.value:
        return None, False
    return DeskUser(user_id, username, csrf, id_hash), last < now - _TOUCH_EVERY


def touch(session: Session, session_hash: str) -> None:
    session.execute(update(DeskSession).where(DeskSession.id_hash == session_hash)
                    .values(last_seen_at=utcnow()))


def end(session: Session, raw: str | None) -> None:
    if raw:
        session.execute(delete(DeskSession).where(DeskSession.id_hash == _hash(raw)))


def end_idle(session: Session, idle: dt.timedelta) -> None:
    """Forget sessions idle for long (at each sign-in: the table stays small)."""
    session.execute(delete(DeskSession).where(DeskSession.last_seen_at < utcnow() - idle))


def end_all(session: Session, user_id: int) -> None:
    session.execute(delete(DeskSession).where(DeskSession.user_id == user_id))


def same_token(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())
