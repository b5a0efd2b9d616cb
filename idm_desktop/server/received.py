"""What delegations sent, as the secretariat reads it: the received queue and one submission
with its rendered text. Drafts are never read here (every query asks for a state after receipt)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from idm_desktop.core.submissions import Submission as CoreSubmission
from idm_desktop.core.submissions import SubmissionStatus
from idm_desktop.core.templates import Template as CoreTemplate
from idm_desktop.core.workshops import Workshop as CoreWorkshop
from idm_desktop.export import ExportContext
from idm_desktop.export.context import Section, sections
from idm_desktop.server.board import SEEN_STATUSES
from idm_desktop.server.models import Submission, Template, Workshop

QUEUE_LIMIT = 500


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


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


def _receipts(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.execute(select(Submission.id, Submission.receipt_no)
                           .where(Submission.id.in_(ids), Submission.status.in_(SEEN_STATUSES)))
    return {i: r for i, r in rows if r}


def queue(session: Session, statuses: tuple[str, ...] = ("received",),
          workshop_id: str | None = None) -> list[Item]:
    """Submissions in ``statuses``, the newest received first (bodies are not read)."""
    wanted = tuple(s for s in statuses if s in SEEN_STATUSES)
    stmt = (select(Submission.receipt_no, Submission.delegation, Submission.workshop_id, Submission.language,
                   Submission.title, Submission.status, Submission.received_at, Submission.supersedes)
            .where(Submission.status.in_(wanted), Submission.receipt_no.is_not(None))
            .order_by(Submission.received_at.desc(), Submission.receipt_no).limit(QUEUE_LIMIT))
    if workshop_id:
        stmt = stmt.where(Submission.workshop_id == workshop_id)
    rows = session.execute(stmt).all()
    old = _receipts(session, {r.supersedes for r in rows if r.supersedes})
    return [Item(r.receipt_no, r.delegation, r.workshop_id, r.language, r.title, r.status,
                 _aware(r.received_at), old.get(r.supersedes) if r.supersedes else None) for r in rows]


def open_one(session: Session, receipt_no: str) -> Opened | None:
    """The submission with this receipt number, once it was sent (None for anything else)."""
    if not receipt_no or len(receipt_no) > 40:
        return None
    sub = session.scalars(select(Submission).where(Submission.receipt_no == receipt_no,
                                                   Submission.status.in_(SEEN_STATUSES))).first()
    if sub is None:
        return None
    links = _receipts(session, {i for i in (sub.supersedes, sub.superseded_by) if i})
    template_row = session.get(Template, f"{sub.template_id}@{sub.template_version}")
    template = (CoreTemplate.from_dict(template_row.data) if template_row is not None else
                CoreTemplate(id=sub.template_id, version=sub.template_version, title={}, intro={},
                             sections=()))
    workshop_row = session.get(Workshop, sub.workshop_id)
    workshop = CoreWorkshop.from_dict(workshop_row.data) if workshop_row is not None else None
    received = _aware(sub.received_at)
    core = CoreSubmission(
        id=sub.id, workshop_id=sub.workshop_id, country=sub.delegation, language=sub.language,
        title=sub.title, template_id=sub.template_id, template_version=sub.template_version,
        body=dict(sub.body), status=SubmissionStatus(sub.status), created_at=_aware(sub.created_at) or
        dt.datetime.now(dt.UTC), updated_at=_aware(sub.updated_at) or dt.datetime.now(dt.UTC), rev=sub.rev,
        content_sha256=sub.content_sha256, supersedes=sub.supersedes, receipt_no=sub.receipt_no,
        received_at=received,
    )
    printed = ExportContext(submission=core, template=template, workshop=workshop,
                            date=(received or dt.datetime.now(dt.UTC)).date())
    item = Item(receipt_no, sub.delegation, sub.workshop_id, sub.language, sub.title, sub.status, received,
                links.get(sub.supersedes) if sub.supersedes else None)
    return Opened(item=item, id=sub.id, template_id=sub.template_id, template_version=sub.template_version,
                  sha256=sub.content_sha256,
                  superseded_by=links.get(sub.superseded_by) if sub.superseded_by else None,
                  published_at=_aware(sub.published_at), unpublished_reason=sub.unpublished_reason,
                  return_note=sub.return_note, returned_at=_aware(sub.returned_at),
                  withdrawn_at=_aware(sub.withdrawn_at), withdrawn_reason=sub.withdrawn_reason,
                  sections=tuple(sections(printed)), printed=printed)
