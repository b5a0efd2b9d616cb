"""What delegations sent, as the secretariat reads it: the received queue and one submission
with its rendered text. Drafts are never read here (every query asks for a state after receipt)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from idm_desktop.export import ExportContext
from idm_desktop.export.context import Section, sections
from idm_desktop.server.board import SEEN_STATUSES, workshops
from idm_desktop.server.models import Submission
from idm_desktop.server.printable import aware as _aware
from idm_desktop.server.printable import printable

QUEUE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the queue."""

    receipt_no: str
    country: str
    workshop_id: str
    language: str
    title: str
    status: str
    received_at: dt.datetime | None
    supersedes: str | None  # receipt number of the version it corrects
    superseded_by: str | None = None  # receipt number of its correction, once that came
    late_by: dt.timedelta | None = None  # how long after its workshop's deadline it came
    unpublished_at: dt.datetime | None = None  # when it was last taken out of the public database
    unpublished_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Opened:
    item: Item
    id: str
    template_id: str
    template_version: int
    sha256: str
    superseded_by: str | None  # receipt number
    published_at: dt.datetime | None
    unpublished_reason: str | None
    return_note: str | None
    returned_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str | None
    sections: tuple[Section, ...]
    printed: ExportContext


def _deadlines(session: Session) -> dict[str, dt.datetime]:
    return {w.id: w.deadline.instant for w in workshops(session) if w.deadline is not None}


def _late_by(received_at: dt.datetime | None, deadline: dt.datetime | None) -> dt.timedelta | None:
    if received_at is None or deadline is None or received_at <= deadline:
        return None
    return received_at - deadline


def _receipts(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.execute(select(Submission.id, Submission.receipt_no)
                           .where(Submission.id.in_(ids), Submission.status.in_(SEEN_STATUSES)))
    return {i: r for i, r in rows if r}


def queue(session: Session, statuses: tuple[str, ...] = ("received",),
          workshop_id: str | None = None, *, corrected: bool = False) -> list[Item]:
    """Submissions in ``statuses``, the newest received first (bodies are not read). A version whose
    correction came is left out (its correction stands in its place, linked to it) unless
    ``corrected``."""
    wanted = tuple(s for s in statuses if s in SEEN_STATUSES)
    stmt = (select(Submission.receipt_no, Submission.delegation, Submission.workshop_id, Submission.language,
                   Submission.title, Submission.status, Submission.received_at, Submission.supersedes,
                   Submission.superseded_by, Submission.unpublished_at, Submission.unpublished_reason)
            .where(Submission.status.in_(wanted), Submission.receipt_no.is_not(None))
            .order_by(Submission.received_at.desc(), Submission.receipt_no).limit(QUEUE_LIMIT))
    if workshop_id:
        stmt = stmt.where(Submission.workshop_id == workshop_id)
    if not corrected:
        stmt = stmt.where(Submission.superseded_by.is_(None))
    rows = session.execute(stmt).all()
    links = _receipts(session, {i for r in rows for i in (r.supersedes, r.superseded_by) if i})
    deadlines = _deadlines(session)
    return [Item(r.receipt_no, r.delegation, r.workshop_id, r.language, r.title, r.status,
                 _aware(r.received_at), links.get(r.supersedes) if r.supersedes else None,
                 links.get(r.superseded_by) if r.superseded_by else None,
                 _late_by(_aware(r.received_at), deadlines.get(r.workshop_id)),
                 _aware(r.unpublished_at), r.unpublished_reason) for r in rows]


def open_one(session: Session, receipt_no: str) -> Opened | None:
    """The submission with this receipt number, once it was sent (None for anything else)."""
    if not receipt_no or len(receipt_no) > 40:
        return None
    sub = session.scalars(select(Submission).where(Submission.receipt_no == receipt_no,
                                                   Submission.status.in_(SEEN_STATUSES))).first()
    if sub is None:
        return None
    links = _receipts(session, {i for i in (sub.supersedes, sub.superseded_by) if i})
    received = _aware(sub.received_at)
    printed = printable(session, sub, (received or dt.datetime.now(dt.UTC)).date())
    item = Item(receipt_no, sub.delegation, sub.workshop_id, sub.language, sub.title, sub.status, received,
                links.get(sub.supersedes) if sub.supersedes else None,
                late_by=_late_by(received, _deadlines(session).get(sub.workshop_id)),
                unpublished_at=_aware(sub.unpublished_at), unpublished_reason=sub.unpublished_reason)
    return Opened(item=item, id=sub.id, template_id=sub.template_id, template_version=sub.template_version,
                  sha256=sub.content_sha256,
                  superseded_by=links.get(sub.superseded_by) if sub.superseded_by else None,
                  published_at=_aware(sub.published_at), unpublished_reason=sub.unpublished_reason,
                  return_note=sub.return_note, returned_at=_aware(sub.returned_at),
                  withdrawn_at=_aware(sub.withdrawn_at), withdrawn_reason=sub.withdrawn_reason,
                  sections=tuple(sections(printed)), printed=printed)
