"""Notices of the secretariat pulled from the service (DESIGN §14), kept until read, and the
deadline reminders the desktop works out itself, offline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from idm_desktop.core.notices import Notice
from idm_desktop.storage.models import NoticeRow
from idm_desktop.storage.snapshots import Applied


def apply_notice(session: Session, ident: str, rev: int, data: Mapping[str, Any] | None,
                 deleted: bool) -> Applied:
    """A pulled notice (a tombstone removes it); a notice already read stays read."""
    if deleted or data is None:
        gone = session.get(NoticeRow, ident)
        if gone is None:
            return Applied.UNCHANGED
        session.delete(gone)
        return Applied.DELETED
    text = data.get("text")
    clean = {k: v for k, v in text.items() if isinstance(k, str) and isinstance(v, str)} \
        if isinstance(text, Mapping) else {}
    created = data.get("created_at")
    try:
        at = dt.datetime.fromisoformat(created) if isinstance(created, str) else dt.datetime.now(dt.UTC)
    except ValueError:
        at = dt.datetime.now(dt.UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    workshop = data.get("workshop_id")
    row = session.get(NoticeRow, ident)
    if row is None:
        session.add(NoticeRow(id=ident, rev=rev, workshop_id=workshop if isinstance(workshop, str) else None,
                              text=clean, created_at=at, read_at=None))
        return Applied.NEW
    if row.rev >= rev:
        return Applied.UNCHANGED  # the same notice again (a bundle imported twice, a repeated page)
    row.rev, row.text, row.created_at = rev, clean, at
    row.workshop_id = workshop if isinstance(workshop, str) else None
    return Applied.UPDATED


def list_notices(session: Session, *, unread_only: bool = True) -> list[Notice]:
    """The notices, newest first (only those not read yet, unless ``unread_only`` is False)."""
    query = select(NoticeRow).order_by(NoticeRow.created_at.desc())
    if unread_only:
        query = query.where(NoticeRow.read_at.is_(None))
    return [Notice(id=r.id, workshop_id=r.workshop_id, text=dict(r.text), created_at=r.created_at,
                   read=r.read_at is not None) for r in session.scalars(query)]


def mark_read(session: Session, ident: str | None, now: dt.datetime) -> int:
    """Mark one notice (by id or unique prefix), or all of them (``None``), as read."""
    query = update(NoticeRow).where(NoticeRow.read_at.is_(None))
    if ident is not None:
        query = query.where(NoticeRow.id.startswith(ident))
    result = session.execute(query.values(read_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
