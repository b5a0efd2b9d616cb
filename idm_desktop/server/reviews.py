"""Review ops (DESIGN §13): clearance and comments inside a delegation, applied with role and
delegation checks; a save voids the review of the text it changes; a submit where clearance is
required needs the text a reviewer cleared.

Reviews travel in the changes feed to their delegation only: never to the secretariat, never to
the public pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from idm_desktop.core.clearance import (
    TEXT_ACTIONS,
    Action,
    ReviewRefused,
    apply_action,
    empty_review,
    may,
    submit_refusal,
)
from idm_desktop.protocol import Entity, Op, ReviewAction, body_sha256
from idm_desktop.server import feed
from idm_desktop.server.accounts import Caller, clearance_policy
from idm_desktop.server.errors import Forbidden, StateConflict
from idm_desktop.server.models import Review, Submission, utcnow


class ReviewRejected(Exception):
    """The op is refused for good: a stable code and one clear sentence."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_REFUSALS = {
    "unknown_comment": "No such comment on this submission: sync, then try again.",
    "not_a_suggestion": "Only a suggestion is accepted or rejected.",
}


def prepare(op: Op, caller: Caller) -> ReviewAction:
    """The op's body as a review action the caller may take; :class:`ReviewRejected` otherwise."""
    if body_sha256(op.body) != op.sha256:
        raise ReviewRejected("bad_hash", "The op's sha256 does not match its body: send it again.")
    action = action_of(op)
    check_caller(caller, action)
    return action


def action_of(op: Op) -> ReviewAction:
    """The op's body as a review action; :class:`ReviewRejected` when it is not one."""
    try:
        action = ReviewAction.model_validate(op.body)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ReviewRejected("invalid_body",
                             f"The review action is not valid ({where}: {first['msg']}).") from None
    needs = {
        "comment": ("comment_id", "section", "exact", "text"), "reply": ("comment_id", "reply_id", "text"),
        "resolve": ("comment_id",), "reopen": ("comment_id",), "accept": ("comment_id",),
        "reject": ("comment_id",), "request_review": ("rev", "sha256"), "clear": ("rev", "sha256"),
        "return": ("note",),
    }[action.action]
    missing = [name for name in needs if not getattr(action, name)]
    if missing:
        raise ReviewRejected("invalid_body", f"A {action.action} needs {', '.join(missing)}.")
    return action


def check_caller(caller: Caller, action: ReviewAction) -> None:
    """Role checks: a reviewer comments, clears and returns, never edits; writers ask for review
    and decide on suggestions; the secretariat takes no part."""
    if caller.is_secretariat or caller.delegation is None:
        raise ReviewRejected("forbidden", "The secretariat takes no part in a delegation's review.")
    if not may(Action(action.action), caller.roles or {caller.role}):
        roles = ", ".join(sorted(r.value for r in caller.roles)) or caller.role.value
        raise ReviewRejected("forbidden", f"A {roles} may not {action.action.replace('_', ' ')}.")


def apply(session: Session, sub: Submission, caller: Caller, action: ReviewAction) -> tuple[int, int]:
    """Apply ``action`` to the review of ``sub`` (locked by the caller): the review's new rev and
    the change's seq."""
    kind = Action(action.action)
    if sub.status != "draft":
        raise ReviewRejected("frozen", f"This submission is {sub.status}: its review is closed.")
    stale = action.rev != sub.rev or action.sha256 != sub.content_sha256
    if kind in TEXT_ACTIONS and kind is not Action.RETURN and stale:
        raise ReviewRejected("stale_rev", f"The text changed since version {action.rev} (the server has "
                             f"version {sub.rev}): sync and look at the current text first.")
    review = session.get(Review, sub.id)
    if review is None:
        review = Review(id=sub.id, delegation=sub.delegation, rev=0, data=empty_review())
        session.add(review)
    body: dict[str, Any] = action.model_dump(mode="json", exclude_none=True)
    body["at"] = _utc(action.at).isoformat()
    try:
        review.data = apply_action(review.data, body, by=caller.username)
    except ReviewRefused as err:
        raise ReviewRejected(err.code, _REFUSALS.get(err.code, "This action does not apply.")) from None
    review.rev += 1
    review.updated_at = utcnow()
    session.flush()
    seq = feed.record(session, Entity.REVIEW, sub.id, review.rev, delegation=sub.delegation)
    return review.rev, seq


def void_on_edit(session: Session, sub: Submission, caller: Caller) -> None:
    """A save changed the text: a review asked for or a clearance given is void."""
    review = session.get(Review, sub.id)
    if review is None or review.data.get("state") == "draft":
        return
    review.data = apply_action(review.data, {"action": Action.VOID.value, "at": utcnow().isoformat(),
                                             "rev": sub.rev}, by=caller.username)
    review.rev += 1
    review.updated_at = utcnow()
    session.flush()
    feed.record(session, Entity.REVIEW, sub.id, review.rev, delegation=sub.delegation)


def check_submit(session: Session, sub: Submission, caller: Caller) -> None:
    """Where the delegation requires clearance: only a submitter submits, only the cleared text."""
    policy = clearance_policy(session, sub.delegation)
    review = session.get(Review, sub.id)
    refusal = submit_refusal(policy, caller.roles or {caller.role}, review.data if review else None,
                             sub.content_sha256)
    if refusal == "not_submitter":
        raise Forbidden("Only a submitter of the delegation may submit: ask one.")
    if refusal is not None:
        raise StateConflict("Your delegation requires clearance: a reviewer must clear this very text "
                            "before it is submitted.", refusal)



def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
