"""Pushed ops and submits: the write half of protocol v1.

Each op is applied in its own transaction with the submission's row locked, and only when
the op's ``base_rev`` is the submission's current ``rev``; anything else is a conflict that
carries the current text, so the client can merge. A retried op (same ``op_id``) is answered
with the result it got the first time.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idm_desktop.core.submissions import content_sha256
from idm_desktop.core.word_draft import NOT_PLACED_KEY
from idm_desktop.protocol import (
    Applied,
    Conflict,
    Duplicate,
    Entity,
    Op,
    OpResult,
    Receipt,
    Rejected,
    SubmissionBody,
    SubmitRequest,
    body_sha256,
)
from idm_desktop.protocol.signing import receipt_message
from idm_desktop.server import feed, reviews
from idm_desktop.server.accounts import Caller
from idm_desktop.server.database import Database
from idm_desktop.server.entities import receipt_signature, submission_content
from idm_desktop.server.errors import Forbidden, Invalid, NotFound, StateConflict
from idm_desktop.server.models import (
    AppliedOp,
    Submission,
    SubmissionRevision,
    Template,
    Workshop,
    utcnow,
)
from idm_desktop.server.signing import ServerKeys

log = logging.getLogger(__name__)

_ATTEMPTS = 3


class _Answer(Exception):
    """Ends an op's transaction early with a result (rolls back whatever was begun)."""

    def __init__(self, result: OpResult) -> None:
        super().__init__(result.status)
        self.result = result


def apply_ops(db: Database, caller: Caller, ops: list[Op]) -> list[OpResult]:
    """Apply ``ops`` in order, each in its own transaction; one result per op."""
    return [_apply_with_retry(db, caller, op) for op in ops]


def _apply_with_retry(db: Database, caller: Caller, op: Op) -> OpResult:
    # Two transactions may race to create the same submission or record the same op_id; the
    # loser gets an IntegrityError and, run again, sees the winner's row (conflict/duplicate).
    for attempt in range(_ATTEMPTS):
        try:
            with db.write() as session:
                return _apply(session, db, caller, op)
        except _Answer as answer:
            return answer.result
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
            log.info("op %s raced another transaction; trying again", op.op_id)
    raise AssertionError("unreachable")


def _reject(op: Op, code: str, message: str) -> _Answer:
    return _Answer(Rejected(op_id=op.op_id, code=code, message=message))


def _seen_before(session: Session, caller: Caller, op: Op) -> OpResult | None:
    seen = session.scalars(select(AppliedOp).where(AppliedOp.op_id == op.op_id)).first()
    if seen is None:
        return None
    owner = session.get(Submission, seen.submission_id)
    if owner is None or owner.delegation != caller.delegation:
        raise _reject(op, "not_found", "No such submission for your delegation.")
    if seen.sha256 != op.sha256 or seen.submission_id != op.id:
        raise _reject(op, "op_id_reused", "This op_id was already used for other content: "
                      "make a new op_id for new content.")
    return Duplicate(op_id=op.op_id, original=Applied(op_id=op.op_id, rev=seen.rev, seq=seen.seq))


def _apply(session: Session, db: Database, caller: Caller, op: Op) -> OpResult:
    if (earlier := _seen_before(session, caller, op)) is not None:
        return earlier
    if op.entity is Entity.REVIEW:
        return _apply_review(session, db, caller, op)
    if not caller.may_write_submissions:
        raise _reject(op, "forbidden", f"A {caller.role} may not change submissions.")
    if body_sha256(op.body) != op.sha256:
        raise _reject(op, "bad_hash", "The op's sha256 does not match its body: send it again.")
    try:
        content = SubmissionBody.model_validate(op.body)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise _reject(op, "invalid_body", f"The submission is not valid ({where}: {first['msg']}).") from None
    if content.country != caller.delegation:
        raise _reject(op, "other_delegation", "A delegation writes only its own country's submissions.")
    _check_references(session, op, content)

    sub = session.scalars(db.lock(select(Submission).where(Submission.id == op.id))).first()
    # The same op sent twice at once: the second waited for the row lock above while the first
    # committed; look again, now that the first is visible (PostgreSQL, READ COMMITTED).
    if sub is not None and (earlier := _seen_before(session, caller, op)) is not None:
        return earlier
    if sub is not None and sub.delegation != caller.delegation:
        # Same answer as for an id that does not exist: nothing leaks across delegations.
        raise _reject(op, "not_found", "No such submission for your delegation.")
    if sub is None:
        if op.base_rev is not None:
            raise _reject(op, "not_found", "No such submission for your delegation.")
        sub = Submission(id=op.id, rev=0, delegation=content.country, status="draft",
                         created_by=caller.user_id, created_at=utcnow())
        session.add(sub)
    else:
        if sub.status != "draft":
            raise _reject(op, "frozen", f"This submission is {sub.status} and can no longer be edited: "
                          "start a new submission that supersedes it.")
        if op.base_rev != sub.rev:
            return Conflict(op_id=op.op_id, current_rev=sub.rev, current=submission_content(sub))

    edited = sub.rev > 0
    sub.rev += 1
    sub.workshop_id = content.workshop_id
    sub.language = content.language
    sub.title = content.title
    sub.template_id = content.template_id
    sub.template_version = content.template_version
    sub.body = dict(content.body)
    sub.content_sha256 = content_sha256(content.title, content.language, content.body)
    sub.updated_at = utcnow()
    session.add(SubmissionRevision(
        submission_id=sub.id, rev=sub.rev, op_id=op.op_id, author_id=caller.user_id,
        title=sub.title, body=sub.body, content_sha256=sub.content_sha256,
    ))
    if edited:
        reviews.void_on_edit(session, sub, caller)
    seq = feed.record(session, Entity.SUBMISSION, sub.id, sub.rev, delegation=sub.delegation)
    session.add(AppliedOp(op_id=op.op_id, submission_id=sub.id, user_id=caller.user_id,
                          sha256=op.sha256, rev=sub.rev, seq=seq, device_id=caller.device_id))
    session.flush()
    return Applied(op_id=op.op_id, rev=sub.rev, seq=seq)


def _apply_review(session: Session, db: Database, caller: Caller, op: Op) -> OpResult:
    """A review op (DESIGN §13): checked for role and delegation, applied to the submission's review."""
    try:
        action = reviews.prepare(op, caller)
    except reviews.ReviewRejected as err:
        raise _reject(op, err.code, err.message) from None
    sub = session.scalars(db.lock(select(Submission).where(Submission.id == op.id))).first()
    if sub is not None and (earlier := _seen_before(session, caller, op)) is not None:
        return earlier
    if sub is None or sub.delegation != caller.delegation:
        raise _reject(op, "not_found", "No such submission for your delegation.")
    try:
        rev, seq = reviews.apply(session, sub, caller, action)
    except reviews.ReviewRejected as err:
        raise _reject(op, err.code, err.message) from None
    session.add(AppliedOp(op_id=op.op_id, submission_id=sub.id, user_id=caller.user_id,
                          sha256=op.sha256, rev=rev, seq=seq))
    session.flush()
    return Applied(op_id=op.op_id, rev=rev, seq=seq)


def _check_references(session: Session, op: Op, content: SubmissionBody) -> None:
    if session.get(Workshop, content.workshop_id) is None:
        raise _reject(op, "unknown_workshop", f"Unknown workshop {content.workshop_id!r}: sync to get "
                      "the current list of workshops.")
    template = session.get(Template, f"{content.template_id}@{content.template_version}")
    if template is None:
        raise _reject(op, "unknown_template", f"Unknown template {content.template_id} version "
                      f"{content.template_version}: sync to get the current templates.")
    # The text a Word import could not place is the drafters' working area: kept with the draft
    # (so a colleague's computer and a merge keep it), never exported, published or submitted.
    keys = {s["key"] for s in template.data["sections"]} | {NOT_PLACED_KEY}
    unknown = sorted(set(content.body) - keys)
    if unknown:
        # Text kept from an earlier version of the template, after a move to this one (DESIGN §3).
        for data in session.scalars(select(Template.data).where(Template.template_id == content.template_id,
                                                                Template.version < content.template_version)):
            keys |= {s["key"] for s in data["sections"]}
        unknown = sorted(set(content.body) - keys)
    if unknown:
        raise _reject(op, "unknown_section", f"Sections not in the template: {', '.join(unknown)}.")


# -- submit ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SubmitOutcome:
    receipt: Receipt
    created: bool  # False: the same submit was answered before (HTTP 200 instead of 201)


def submit(
    db: Database, keys: ServerKeys, caller: Caller, submission_id: str, request: SubmitRequest, key: str,
) -> SubmitOutcome:
    """Freeze a submission and issue its receipt; sending the same submit again gives the same receipt."""
    for attempt in range(_ATTEMPTS):
        try:
            with db.write() as session:
                return _submit(session, db, keys, caller, submission_id, request, key)
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _submit(
    session: Session, db: Database, keys: ServerKeys, caller: Caller, submission_id: str,
    request: SubmitRequest, key: str,
) -> SubmitOutcome:
    sub = session.scalars(db.lock(select(Submission).where(Submission.id == submission_id))).first()
    if sub is None or (sub.delegation != caller.delegation and not caller.is_secretariat):
        raise NotFound("No such submission for your delegation.")
    if not caller.may_write_submissions:
        raise Forbidden(f"A {caller.role} may not submit; ask a drafter of the delegation.")
    if sub.receipt_no is None:
        reviews.check_submit(session, sub, caller)
    if sub.receipt_no is not None:
        if request.sha256 != sub.content_sha256:
            raise StateConflict("This submission was already submitted with other content: a correction "
                                "is a new submission that supersedes it.", "already_submitted")
        return SubmitOutcome(_receipt(sub), created=False)
    if sub.status != "draft":
        raise StateConflict(f"This submission is {sub.status} and cannot be submitted.", "frozen")
    if request.rev != sub.rev:
        raise StateConflict(f"The server has version {sub.rev} of this submission, not {request.rev}: "
                            "sync first, then submit.", "stale_rev")
    if request.sha256 != sub.content_sha256:
        raise StateConflict("The text on the server differs from the text you submitted: sync first, "
                            "then submit.", "hash_mismatch")
    if str(sub.body.get(NOT_PLACED_KEY, "")).strip():
        raise StateConflict("The text holds text a Word import could not place: move it into the "
                            "sections or delete it, then submit.", "not_placed_text")
    old = None
    if request.supersedes is not None:
        old = session.scalars(db.lock(select(Submission).where(Submission.id == request.supersedes))).first()
        if old is None or old.delegation != sub.delegation or old.id == sub.id:
            raise Invalid("The submission it supersedes is not one of your delegation's.", "bad_supersedes")
        if old.receipt_no is None:
            raise Invalid("Only a received submission can be superseded.", "bad_supersedes")
        if old.superseded_by not in (None, sub.id):
            raise Invalid("That submission was already superseded by another one.", "bad_supersedes")
    now = utcnow()
    sub.receipt_no = feed.next_receipt_number(session, sub.delegation, now)
    sub.received_at = now
    signature = keys.sign(receipt_message(sub.receipt_no, sub.delegation, sub.id, now, sub.content_sha256))
    sub.receipt_key_id, sub.receipt_signature = signature.key_id, signature.signature
    sub.submit_key = key[:200]
    sub.submit_device = caller.device_id
    sub.supersedes = request.supersedes
    sub.status = "received"
    sub.rev += 1
    sub.updated_at = now
    session.add(SubmissionRevision(
        submission_id=sub.id, rev=sub.rev, op_id=None, author_id=caller.user_id,
        title=sub.title, body=sub.body, content_sha256=sub.content_sha256,
    ))
    if old is not None:
        old.superseded_by = sub.id
        old.rev += 1
        old.updated_at = now
        session.add(SubmissionRevision(
            submission_id=old.id, rev=old.rev, op_id=None, author_id=caller.user_id,
            title=old.title, body=old.body, content_sha256=old.content_sha256,
        ))
        feed.record(session, Entity.SUBMISSION, old.id, old.rev, delegation=old.delegation)
    feed.record(session, Entity.SUBMISSION, sub.id, sub.rev, delegation=sub.delegation)
    return SubmitOutcome(_receipt(sub), created=True)


def _receipt(sub: Submission) -> Receipt:
    assert sub.receipt_no is not None
    assert sub.received_at is not None
    received = sub.received_at if sub.received_at.tzinfo else sub.received_at.replace(tzinfo=dt.UTC)
    return Receipt(receipt_no=sub.receipt_no, received_at=received, sha256=sub.content_sha256,
                   signature=receipt_signature(sub))
