"""The review of a draft (DESIGN §13): actions applied once, decisions by their time, the rules
of who may do what and who may submit."""

from __future__ import annotations

from idm_desktop.core.clearance import (
    Action,
    ClearancePolicy,
    ReviewState,
    Role,
    apply_action,
    effective_state,
    empty_review,
    fold,
    may,
    submit_refusal,
)

CID = "11111111-1111-4111-8111-111111111111"


def _comment() -> dict[str, str]:
    return {"action": "comment", "at": "2026-12-06T10:00:00+00:00", "comment_id": CID,
            "section": "context", "exact": "language courses", "text": "Free?", "suggestion": "free courses"}


def test_a_comment_applied_twice_is_there_once() -> None:
    review = apply_action(empty_review(), _comment(), by="rita")
    assert apply_action(review, _comment(), by="rita") == review
    assert [c["author"] for c in review["comments"]] == ["rita"]


def test_resolve_and_reopen_latest_decision_wins_whatever_the_order() -> None:
    base = apply_action(empty_review(), _comment(), by="rita")
    resolve = {"action": "resolve", "at": "2026-12-06T11:00:00+00:00", "comment_id": CID}
    reopen = {"action": "reopen", "at": "2026-12-06T10:30:00+00:00", "comment_id": CID}
    one = fold(base, [(resolve, "ana"), (reopen, "raul")])
    other = fold(base, [(reopen, "raul"), (resolve, "ana")])
    assert one == other
    (comment,) = one["comments"]
    assert comment["resolved"] is True
    assert [h["action"] for h in comment["history"]] == ["reopen", "resolve"]  # both kept


def test_accept_then_reject_keeps_both_and_the_later_wins() -> None:
    base = apply_action(empty_review(), _comment(), by="rita")
    accept = {"action": "accept", "at": "2026-12-06T12:00:00+00:00", "comment_id": CID}
    reject = {"action": "reject", "at": "2026-12-06T11:00:00+00:00", "comment_id": CID}
    (comment,) = fold(base, [(accept, "ana"), (reject, "sam")])["comments"]
    assert comment["decision"] == "accepted"
    assert len(comment["history"]) == 2


def test_clear_binds_the_text_and_an_edit_voids_it() -> None:
    review = apply_action(empty_review(), {"action": "clear", "at": "2026-12-06T12:00:00+00:00", "rev": 3,
                                           "sha256": "a" * 64, "note": "ok"}, by="rita")
    assert review["clearance"] == {"by": "rita", "at": "2026-12-06T12:00:00+00:00", "rev": 3,
                                   "sha256": "a" * 64, "note": "ok"}
    assert effective_state(review, "a" * 64) is ReviewState.CLEARED
    assert effective_state(review, "b" * 64) is ReviewState.DRAFT
    voided = apply_action(review, {"action": "void", "at": "2026-12-06T12:01:00+00:00", "rev": 4}, by="ana")
    assert (voided["state"], voided["clearance"]) == ("draft", None)


def test_roles_and_submit_rules() -> None:
    assert may(Action.CLEAR, {Role.REVIEWER})
    assert not may(Action.CLEAR, {Role.DRAFTER, Role.SUBMITTER})
    assert may(Action.ACCEPT, {Role.DRAFTER})
    assert not may(Action.ACCEPT, {Role.REVIEWER})
    assert not may(Action.COMMENT, {Role.SECRETARIAT})
    cleared = {"state": "cleared", "clearance": {"sha256": "a" * 64}}
    required = ClearancePolicy.REQUIRED
    assert submit_refusal(required, {Role.DRAFTER}, cleared, "a" * 64) == "not_submitter"
    assert submit_refusal(required, {Role.SUBMITTER}, None, "a" * 64) == "not_cleared"
    assert submit_refusal(required, {Role.SUBMITTER}, cleared, "b" * 64) == "cleared_other_text"
    assert submit_refusal(required, {Role.SUBMITTER}, cleared, "a" * 64) is None
    assert submit_refusal(ClearancePolicy.OPTIONAL, {Role.DRAFTER}, None, "a" * 64) is None
    assert submit_refusal(ClearancePolicy.OPTIONAL, {Role.REVIEWER}, None, "a" * 64) == "not_submitter"
