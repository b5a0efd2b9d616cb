"""Notices of the secretariat: a short text in English, French and Spanish for every desktop, or
for those following one workshop (the desktop shows it until read). Sent through the changes
feed to everyone signed in; withdrawing one sends a tombstone."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from idm_desktop.core.i18n import N_
from idm_desktop.protocol import Entity
from idm_desktop.server import audit, feed
from idm_desktop.server.errors import AdminError, AdminNotFound
from idm_desktop.server.models import Notice, Workshop, utcnow

MAX_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Posted:
    id: str
    workshop_id: str | None
    text: dict[str, str]
    created_at: dt.datetime


def post(session: Session, text: dict[str, str], workshop_id: str | None, actor: str) -> str:
    clean = {lang: value.strip() for lang, value in text.items()
             if lang in ("en", "fr", "es") and value.strip()}
    if "en" not in clean:
        raise AdminError(N_("Write the notice in English at least (and in French and Spanish where you "
                            "can)."), field="text_en")
    if any(len(v) > MAX_CHARS for v in clean.values()):
        raise AdminError(N_("A notice is at most {n} characters in each language."), params={"n": MAX_CHARS})
    if workshop_id and session.get(Workshop, workshop_id) is None:
        raise AdminError(N_("Unknown workshop “{workshop_id}”."), params={"workshop_id": workshop_id},
                         field="workshop")
    ident = str(uuid.uuid4())
    session.add(Notice(id=ident, rev=1, workshop_id=workshop_id or None, text=clean, created_at=utcnow(),
                       deleted=False))
    session.flush()
    feed.record(session, Entity.NOTICE, ident, 1)
    audit.record(session, actor, "notice.post", ident, None, {"workshop": workshop_id or None, **clean})
    return ident


def withdraw(session: Session, ident: str, actor: str) -> None:
    row = session.get(Notice, ident)
    if row is None or row.deleted:
        raise AdminNotFound(N_("No such notice."))
    row.deleted = True
    row.rev += 1
    feed.record(session, Entity.NOTICE, ident, row.rev, deleted=True)
    audit.record(session, actor, "notice.withdraw", ident, {"deleted": False}, {"deleted": True})


def current(session: Session) -> list[Posted]:
    rows = session.scalars(select(Notice).where(Notice.deleted.is_(False))
                           .order_by(Notice.created_at.desc()))
    return [Posted(r.id, r.workshop_id, dict(r.text),
                   r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=dt.UTC))
            for r in rows]
