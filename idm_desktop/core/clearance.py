"""Clearance inside a delegation (DESIGN §13): roles, the review of a draft and its comments.

A review is plain JSON (the same on the service and on every desktop) changed only by
:func:`apply_action`, one action at a time. The service applies each action it accepts, in the
order it receives them; a desktop shows the service's review with its own unsent actions applied
on top. Comments and replies carry ids made where they were written, so applying one twice
changes nothing and two machines never conflict; resolve/reopen and accept/reject keep every
decision in the comment's history and the latest one (by its time) wins.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from idm_desktop.core.anchoring import Anchor, AnchorState, Quote, locate


class Role(StrEnum):
    DRAFTER = "drafter"
    REVIEWER = "reviewer"
    SUBMITTER = "submitter"
    SECRETARIAT = "secretariat"


class ClearancePolicy(StrEnum):
    OPTIONAL = "optional"
    REQUIRED = "required"


class ReviewState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CLEARED = "cleared"


class Action(StrEnum):
    REQUEST_REVIEW = "request_review"
    CLEAR = "clear"
    RETURN = "return"
    COMMENT = "comment"
    REPLY = "reply"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    ACCEPT = "accept"
    REJECT = "reject"
    VOID = "void"  # the text changed: made by the service and the desktop, never sent


WRITERS = frozenset({Role.DRAFTER, Role.SUBMITTER})
_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.REQUEST_REVIEW: WRITERS,
    Action.CLEAR: frozenset({Role.REVIEWER}),
    Action.RETURN: frozenset({Role.REVIEWER}),
    Action.COMMENT: WRITERS | {Role.REVIEWER},
    Action.REPLY: WRITERS | {Role.REVIEWER},
    Action.RESOLVE: WRITERS | {Role.REVIEWER},
    Action.REOPEN: WRITERS | {Role.REVIEWER},
    Action.ACCEPT: WRITERS,
    Action.REJECT: WRITERS,
}
TEXT_ACTIONS = frozenset({Action.REQUEST_REVIEW, Action.CLEAR, Action.RETURN})
"""Actions about the text as it stands (they carry its rev and sha256)."""


class ReviewRefused(Exception):
    """An action that cannot apply to the review as it stands: a stable ``code``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_roles(roles: Iterable[str]) -> frozenset[Role]:
    """Known roles among ``roles`` (unknown names are ignored: a newer service may add some)."""
    known = {r.value for r in Role}
    return frozenset(Role(r) for r in roles if r in known)


def may(action: Action, roles: Iterable[Role]) -> bool:
    """Whether a user with ``roles`` may take ``action``."""
    return bool(_ALLOWED.get(action, frozenset()) & set(roles))


def may_edit(roles: Iterable[Role]) -> bool:
    """Drafters and submitters write the text; reviewers never do."""
    return bool(WRITERS & set(roles))


def submit_refusal(policy: ClearancePolicy, roles: Iterable[Role], review: Mapping[str, Any] | None,
                   sha256: str) -> str | None:
    """Why a user with ``roles`` may not submit a text hashing to ``sha256`` (a code), or None.

    Where clearance is required, only a submitter submits, and only the text a reviewer cleared.
    Where it is optional, a drafter of the delegation submits as before."""
    roles = set(roles)
    if policy is ClearancePolicy.REQUIRED:
        if Role.SUBMITTER not in roles:
            return "not_submitter"
        clearance = (review or {}).get("clearance")
        if (review or {}).get("state") != ReviewState.CLEARED or not clearance:
            return "not_cleared"
        if clearance.get("sha256") != sha256:
            return "cleared_other_text"
        return None
    return None if roles & WRITERS else "not_submitter"


def withdraw_refusal(policy: ClearancePolicy, roles: Iterable[Role]) -> str | None:
    """Why a user with ``roles`` may not withdraw a sent submission of the delegation (a code), or
    None. Withdrawing speaks for the government as submitting does: the same people may do it."""
    roles = set(roles)
    if policy is ClearancePolicy.REQUIRED:
        return None if Role.SUBMITTER in roles else "not_submitter"
    return None if roles & WRITERS else "not_submitter"


def empty_review() -> dict[str, Any]:
    """The review of a draft nobody asked about yet."""
    return {"state": ReviewState.DRAFT.value, "sha256": None, "rev": None, "note": None, "clearance": None,
            "last_reviewed": {}, "comments": [], "events": []}


def effective_state(review: Mapping[str, Any], sha256: str | None) -> ReviewState:
    """The review's state for the text hashing to ``sha256`` now: an edit since the request or the
    clearance (another hash) voids it."""
    state = ReviewState(review.get("state") or ReviewState.DRAFT)
    if state is not ReviewState.DRAFT and sha256 is not None and review.get("sha256") != sha256:
        return ReviewState.DRAFT
    return state


def was_returned(review: Mapping[str, Any], sha256: str | None) -> bool:
    """Whether the draft is back with its drafters because a reviewer returned it (with a note),
    not merely a draft again after an edit: its last step is a return, and no request came since."""
    events = review.get("events") or []
    return (effective_state(review, sha256) is ReviewState.DRAFT and bool(events)
            and events[-1].get("action") == Action.RETURN.value)


def apply_action(review: Mapping[str, Any], action: Mapping[str, Any], *, by: str) -> dict[str, Any]:
    """``review`` with ``action`` (an action body, see protocol.ReviewAction) taken by ``by``."""
    out = copy.deepcopy(dict(review)) if review else empty_review()
    kind = Action(action["action"])
    at = str(action["at"])
    note = action.get("note")
    if kind in (Action.REQUEST_REVIEW, Action.CLEAR, Action.RETURN, Action.VOID):
        _text_action(out, kind, action, by=by, at=at, note=note)
        return out
    comments: list[dict[str, Any]] = out.setdefault("comments", [])
    if kind is Action.COMMENT:
        if any(c["id"] == action["comment_id"] for c in comments):
            return out  # the same comment again
        comments.append({
            "id": action["comment_id"], "section": action["section"],
            "quote": {"exact": action.get("exact") or "", "prefix": action.get("prefix") or "",
                      "suffix": action.get("suffix") or ""},
            "text": action.get("text") or "", "author": by, "at": at,
            "suggestion": action.get("suggestion"), "decision": None, "resolved": False,
            "replies": [], "history": [],
        })
        comments.sort(key=lambda c: (c["at"], c["id"]))
        return out
    comment = next((c for c in comments if c["id"] == action["comment_id"]), None)
    if comment is None:
        raise ReviewRefused("unknown_comment")
    if kind is Action.REPLY:
        if not any(r["id"] == action["reply_id"] for r in comment["replies"]):
            comment["replies"].append({"id": action["reply_id"], "text": action.get("text") or "",
                                       "author": by, "at": at})
            comment["replies"].sort(key=lambda r: (r["at"], r["id"]))
        return out
    if kind in (Action.ACCEPT, Action.REJECT) and comment.get("suggestion") is None:
        raise ReviewRefused("not_a_suggestion")
    entry = {"action": kind.value, "by": by, "at": at, "id": action.get("decision_id") or ""}
    if entry not in comment["history"]:
        comment["history"].append(entry)
        comment["history"].sort(key=lambda h: (h["at"], h.get("id", "")))
    resolving = [h for h in comment["history"] if h["action"] in (Action.RESOLVE, Action.REOPEN)]
    deciding = [h for h in comment["history"] if h["action"] in (Action.ACCEPT, Action.REJECT)]
    comment["resolved"] = bool(resolving) and resolving[-1]["action"] == Action.RESOLVE
    comment["decision"] = ({"accept": "accepted", "reject": "rejected"}[deciding[-1]["action"]]
                           if deciding else None)
    return out


def _text_action(out: dict[str, Any], kind: Action, action: Mapping[str, Any], *, by: str, at: str,
                 note: str | None) -> None:
    rev, sha = action.get("rev"), action.get("sha256")
    if kind is Action.VOID:
        if out["state"] == ReviewState.DRAFT:
            return
        out.update(state=ReviewState.DRAFT.value, clearance=None, sha256=None)
    elif kind is Action.REQUEST_REVIEW:
        out.update(state=ReviewState.IN_REVIEW.value, sha256=sha, rev=rev, note=note, clearance=None)
    elif kind is Action.CLEAR:
        out.update(state=ReviewState.CLEARED.value, sha256=sha, rev=rev, note=note,
                   clearance={"by": by, "at": at, "rev": rev, "sha256": sha, "note": note})
        out.setdefault("last_reviewed", {})[by] = rev
    else:
        out.update(state=ReviewState.DRAFT.value, sha256=None, note=note, clearance=None)
        out.setdefault("last_reviewed", {})[by] = rev
    out.setdefault("events", []).append({"action": kind.value, "by": by, "at": at, "rev": rev, "note": note})


def fold(review: Mapping[str, Any] | None,
         actions: Iterable[tuple[Mapping[str, Any], str]]) -> dict[str, Any]:
    """``review`` with each (action, by) applied in turn; actions that no longer apply are skipped
    (a desktop's unsent actions over the service's review)."""
    out = copy.deepcopy(dict(review)) if review else empty_review()
    for action, by in actions:
        try:
            out = apply_action(out, action, by=by)
        except (ReviewRefused, KeyError, ValueError):
            continue
    return out


def anchor_of(comment: Mapping[str, Any], body: Mapping[str, str]) -> Anchor:
    """Where a comment's quote is in its section's text now."""
    quote = comment.get("quote") or {}
    if not quote.get("exact"):
        return Anchor(AnchorState.LOST)
    return locate(body.get(comment["section"], ""),
                  Quote(quote["exact"], quote.get("prefix", ""), quote.get("suffix", "")))
