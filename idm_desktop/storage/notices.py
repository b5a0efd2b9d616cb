"""Notices of the secretariat pulled from the service (DESIGN §14), kept until read, and the
deadline reminders the desktop works out itself, offline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from idm_desktop.core.notices import Notice
from idm_desktop.storage.models import NoticeRow


def apply_notice(session: Session, ident: str, rev: int, data: Mapping[str, Any] | None,
                 deleted: bool) -> None:
    """A pulled notice (a tombstone removes it); a notice already read stays read."""
    if deleted or data is None:
        session.execute(delete(NoticeRow).where(NoticeRow.id == ident))
        return
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
    else:
        row.rev, row.text, row.created_at = rev, clean, at
        row.workshop_id = workshop if isinstance(workshop, str) else None


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
