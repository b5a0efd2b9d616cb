"""Reviews of submissions on this computer (DESIGN §13): the service's review as last pulled, and
this computer's review actions waiting in the outbox (kind ``review``), shown on top of it.

A submission's status follows its review: ``in_review`` or ``cleared`` while the text is the one
reviewed (same content hash), ``draft`` as soon as it is edited. Inside the caller's Session.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idm_desktop.core.clearance import effective_state, fold
from idm_desktop.core.submissions import SubmissionStatus, body_sha256, content_sha256
from idm_desktop.storage.models import OutboxRow, ReviewRow, SubmissionRow
from idm_desktop.storage.snapshots import Applied, base_rev, is_dirty

REVIEW_KIND = "review"
_REVIEWABLE = (SubmissionStatus.DRAFT.value, SubmissionStatus.IN_REVIEW.value, SubmissionStatus.CLEARED.value)


@dataclass(frozen=True, slots=True)
class ReviewOp:
    """A review action to send: its body is frozen once sent."""

    op_id: str
    submission_id: str
    body: dict[str, Any]
    sha256: str


def text_sha256(row: SubmissionRow) -> str:
    """The content hash of a submission's text as it stands here."""
    return content_sha256(row.title, row.language, row.body)


def apply_review(session: Session, submission_id: str, rev: int, data: Mapping[str, Any] | None, *,
                 delegation: str | None, me: str) -> Applied:
    """Take the service's review of a submission (a newer rev only, of this library's delegation)."""
    if data is None:
        return Applied.UNCHANGED
    if delegation and data.get("delegation") != delegation:
        return Applied.REFUSED
    row = session.get(ReviewRow, submission_id)
    if row is not None and row.rev >= rev:
        return Applied.UNCHANGED
    clean = {k: v for k, v in data.items() if k != "delegation"}
    if row is None:
        session.add(ReviewRow(submission_id=submission_id, rev=rev, data=clean))
    else:
        row.rev, row.data = rev, clean
    session.flush()
    refresh_status(session, submission_id, me)
    return Applied.NEW if row is None else Applied.UPDATED


def pending(session: Session, submission_id: str | None = None) -> list[OutboxRow]:
    """This computer's review actions not refused, oldest first."""
    query = select(OutboxRow).where(OutboxRow.kind == REVIEW_KIND, OutboxRow.failed.is_(False))
    if submission_id is not None:
        query = query.where(OutboxRow.submission_id == submission_id)
    return list(session.scalars(query.order_by(OutboxRow.seq)))


def review_of(session: Session, submission_id: str, me: str) -> dict[str, Any]:
    """The review as this computer sees it: the service's, with the unsent actions (by ``me``) on top."""
    row = session.get(ReviewRow, submission_id)
    return fold(row.data if row else None, [(op.body, me) for op in pending(session, submission_id)])


def refresh_status(session: Session, submission_id: str, me: str) -> None:
    """Set a draft's status from its review and its text as it stands."""
    row = session.get(SubmissionRow, submission_id)
    if row is None or row.status not in _REVIEWABLE:
        return
    state = effective_state(review_of(session, submission_id, me), text_sha256(row))
    row.status = state.value


def enqueue(session: Session, submission_id: str, body: Mapping[str, Any], *, now: dt.datetime,
            me: str) -> str:
    """Queue a review action for the service; returns its op id."""
    op_id = str(uuid.uuid4())
    session.add(OutboxRow(op_id=op_id, kind=REVIEW_KIND, submission_id=submission_id,
                          base_rev=body.get("rev"), body=dict(body), sha256=body_sha256(body),
                          created_at=now, attempts=0, failed=False))
    session.flush()
    refresh_status(session, submission_id, me)
    return op_id


def sendable(session: Session) -> list[ReviewOp]:
    """The review actions ready to go: a request for review once its text is on the server (its rev
    is then filled in and the body frozen)."""
    out = []
    for op in pending(session):
        body = dict(op.body)
        if op.sent_at is None and body.get("action") == "request_review" and body.get("rev") is None:
            row = session.get(SubmissionRow, op.submission_id)
            saving = session.scalar(select(func.count()).select_from(OutboxRow).where(
                OutboxRow.submission_id == op.submission_id, OutboxRow.kind == "save"))
            if row is None or is_dirty(row) or base_rev(row) is None or saving:
                continue
            body["rev"] = base_rev(row)
            op.body, op.sha256, op.base_rev = body, body_sha256(body), body["rev"]
        out.append(ReviewOp(op.op_id, op.submission_id, body, op.sha256))
    return out


def all_reviews(session: Session, me: str) -> dict[str, dict[str, Any]]:
    """Every submission's review as this computer sees it, by submission id."""
    ids = set(session.scalars(select(ReviewRow.submission_id)))
    ids |= {op.submission_id for op in pending(session)}
    return {sub_id: review_of(session, sub_id, me) for sub_id in sorted(ids)}
