"""A delegation takes back a submission it sent (DESIGN §3 ``withdrawn``): the secretariat's
board and queue then show it withdrawn, the public policy database no longer lists it, and the
audit log keeps who did it, when and why.

Only those who may submit for the delegation may withdraw (core.clearance.withdraw_refusal); the
secretariat unpublishes or returns, it never withdraws a government's text. Withdrawing twice
answers the first withdrawal again, so a desktop that lost the answer simply asks again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from idm_desktop.core.clearance import withdraw_refusal
from idm_desktop.core.submissions import SubmissionStatus
from idm_desktop.protocol import Entity, Withdrawal, WithdrawRequest
from idm_desktop.server import audit, feed
from idm_desktop.server.accounts import Caller, clearance_policy
from idm_desktop.server.database import Database
from idm_desktop.server.errors import Forbidden, NotFound, StateConflict
from idm_desktop.server.models import Submission, SubmissionRevision, utcnow
from idm_desktop.server.search import index as search_index


def withdraw(db: Database, caller: Caller, submission_id: str, request: WithdrawRequest) -> Withdrawal:
    """Withdraw the caller's delegation's sent submission ``submission_id``, for ``request.reason``."""
    with db.write() as session:
        sub = session.scalars(db.lock(select(Submission).where(Submission.id == submission_id))).first()
        # Another delegation's id answers exactly as an unknown one: nothing leaks.
        if sub is None or caller.delegation is None or sub.delegation != caller.delegation:
            if caller.is_secretariat and sub is not None:
                raise Forbidden("The secretariat does not withdraw a delegation's submission: "
                                "unpublish it or return it for correction.")
            raise NotFound("No such submission for your delegation.")
        if withdraw_refusal(clearance_policy(session, sub.delegation), caller.roles or {caller.role}):
            raise Forbidden("Only a submitter of the delegation may withdraw a submission: ask one.")
        if sub.status == SubmissionStatus.WITHDRAWN.value:
            return _answer(sub)
        if not SubmissionStatus(sub.status).withdrawable or sub.receipt_no is None:
            raise StateConflict(f"This submission is {sub.status}: only a submission the secretariat "
                                "received can be withdrawn.", "not_received")
        before = sub.status
        now = utcnow()
        if before == SubmissionStatus.PUBLISHED.value:
            search_index.remove(session.connection(), sub.id)
            sub.unpublished_at = now
            sub.unpublished_reason = request.reason
        sub.status = SubmissionStatus.WITHDRAWN.value
        sub.withdrawn_at = now
        sub.withdrawn_reason = request.reason
        sub.rev += 1
        sub.updated_at = now
        session.add(SubmissionRevision(submission_id=sub.id, rev=sub.rev, op_id=None,
                                       author_id=caller.user_id, title=sub.title, body=sub.body,
                                       content_sha256=sub.content_sha256))
        feed.record(session, Entity.SUBMISSION, sub.id, sub.rev, delegation=sub.delegation)
        audit.record(session, caller.username, "submission.withdraw", sub.receipt_no,
                     {"status": before}, {"status": sub.status, "reason": request.reason})
        return _answer(sub)


def _answer(sub: Submission) -> Withdrawal:
    assert sub.receipt_no is not None
    assert sub.withdrawn_at is not None
    at = sub.withdrawn_at if sub.withdrawn_at.tzinfo else sub.withdrawn_at.replace(tzinfo=dt.UTC)
    return Withdrawal(receipt_no=sub.receipt_no, withdrawn_at=at, reason=sub.withdrawn_reason or "")
