"""Clearance inside a delegation on the service (DESIGN §13): the authorization matrix of every
review op and of submit, on SQLite and PostgreSQL; clearance against an older rev; voiding on
edit; reviews never reaching the secretariat."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from idm_desktop.core.submissions import content_sha256
from idm_desktop.protocol import body_sha256
from idm_desktop.server import accounts, publishing
from tests.server.conftest import PASSWORD, Account, Service, save_op, submission_body


def _at() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def review_op(sub_id: str, **action: Any) -> dict[str, Any]:
    body = {"at": _at(), **action}
    return {"op_id": str(uuid.uuid4()), "entity": "review", "id": sub_id, "base_rev": None,
            "body": body, "sha256": body_sha256(body)}


def push(svc: Service, who: Account, op: dict[str, Any]) -> dict[str, Any]:
    r = svc.client().post("/api/v1/ops", json={"ops": [op]}, headers=who.headers)
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()["results"][0]
    return result


def outcome(result: dict[str, Any]) -> str:
    return result["status"] if result["status"] != "rejected" else f"rejected:{result['code']}"


class Delegation:
    """One delegation's people (several roles), a user of another delegation and the secretariat."""

    def __init__(self, svc: Service, iso3: str, other: str) -> None:
        tag = uuid.uuid4().hex[:6]
        self.svc, self.iso3 = svc, iso3
        self.drafter = svc.account(f"d-{tag}", "drafter", iso3)
        self.reviewer = svc.account(f"r-{tag}", "reviewer", iso3)
        self.submitter = self._account(f"s-{tag}", ["drafter", "submitter"], iso3)
        self.outsider = self._account(f"o-{tag}", ["reviewer", "drafter", "submitter"], other)
        self.secretariat = svc.account(f"x-{tag}", "secretariat", None)

    def _account(self, name: str, roles: list[str], iso3: str) -> Account:
        with self.svc.ctx.db.write() as session:
            accounts.add_user(session, name, PASSWORD, roles, iso3)
        r = self.svc.client().post("/api/v1/auth/token",
                                   json={"username": name, "password": PASSWORD, "device_name": "tests"})
        assert r.status_code == 200, r.text
        return Account(name, roles[0], iso3, r.json()["token"])

    def new_draft(self, text: str = "We offer language courses in every city.") -> tuple[str, int, str]:
        sub_id = str(uuid.uuid4())
        body = submission_body(self.iso3, national_context=text)
        result = push(self.svc, self.drafter, save_op(sub_id, body))
        assert result["status"] == "applied", result
        return sub_id, result["rev"], content_sha256(body["title"], body["language"], body["body"])

    def comment(self, who: Account, sub_id: str, **extra: Any) -> dict[str, Any]:
        return push(self.svc, who, review_op(sub_id, action="comment", comment_id=str(uuid.uuid4()),
                                             section="national_context", exact="language courses",
                                             text="Which cities?", **extra))


def set_policy(svc: Service, iso3: str, policy: str) -> None:
    with svc.ctx.db.write() as session:
        accounts.set_delegation(session, iso3, policy)


def test_review_ops_authorization_matrix(svc: Service) -> None:
    team = Delegation(svc, "ECU", "PER")
    sub_id, rev, sha = team.new_draft()
    people = {"drafter": team.drafter, "reviewer": team.reviewer, "submitter": team.submitter,
              "secretariat": team.secretariat, "other delegation": team.outsider}
    seen: dict[tuple[str, str], str] = {}
    for name, who in people.items():
        made = team.comment(team.drafter, sub_id, suggestion="language lessons")
        assert made["status"] == "applied"
        cid = _last_comment_id(svc, team.drafter)
        actions = {
            "comment": dict(action="comment", comment_id=str(uuid.uuid4()), section="national_context",
                            exact="every city", text="ok"),
            "reply": dict(action="reply", comment_id=cid, reply_id=str(uuid.uuid4()), text="yes"),
            "resolve": dict(action="resolve", comment_id=cid),
            "reopen": dict(action="reopen", comment_id=cid),
            "accept": dict(action="accept", comment_id=cid),
            "reject": dict(action="reject", comment_id=cid),
            "request_review": dict(action="request_review", rev=rev, sha256=sha),
            "clear": dict(action="clear", rev=rev, sha256=sha),
            "return": dict(action="return", note="Shorter, please."),
        }
        for action, body in actions.items():
            seen[(action, name)] = outcome(push(svc, who, review_op(sub_id, **body)))
        seen[("save", name)] = outcome(push(svc, who, save_op(
            sub_id, submission_body(team.iso3, national_context="Changed."), base_rev=rev)))
        if seen[("save", name)] == "applied":
            sub_id, rev, sha = team.new_draft()  # the next caller gets an untouched draft
    ok, forbidden, not_found = "applied", "rejected:forbidden", "rejected:not_found"
    writer = {"comment": ok, "reply": ok, "resolve": ok, "reopen": ok, "accept": ok, "reject": ok,
              "request_review": ok, "clear": forbidden, "return": forbidden, "save": ok}
    expected = {
        "drafter": writer,
        "submitter": writer,
        "reviewer": {**{a: ok for a in ("comment", "reply", "resolve", "reopen", "clear", "return")},
                     "accept": forbidden, "reject": forbidden, "request_review": forbidden,
                     "save": forbidden},
        "secretariat": dict.fromkeys(writer, forbidden),
        "other delegation": {**dict.fromkeys(writer, not_found), "save": "rejected:other_delegation"},
    }
    for name, row in expected.items():
        got = {action: seen[(action, name)] for action in row}
        assert got == row, name


def _last_comment_id(svc: Service, who: Account) -> str:
    page = svc.client().get("/api/v1/changes", headers=who.headers).json()
    reviews = [c for c in page["changes"] if c["entity"] == "review"]
    comments = sorted((c for r in reviews for c in r["data"]["comments"]), key=lambda c: c["at"])
    return str(comments[-1]["id"])


def test_submit_needs_a_submitter_and_the_cleared_text_where_clearance_is_required(svc: Service) -> None:
    team = Delegation(svc, "BOL", "PRY")
    set_policy(svc, team.iso3, "required")
    sub_id, rev, sha = team.new_draft()

    def submit(who: Account, key: str) -> tuple[int, dict[str, Any]]:
        r = svc.client().post(f"/api/v1/submissions/{sub_id}/submit", json={"rev": rev, "sha256": sha},
                              headers={**who.headers, "Idempotency-Key": key})
        return r.status_code, r.json()

    assert submit(team.drafter, "k1") == (403, {"code": "forbidden", "message":
                                                "Only a submitter of the delegation may submit: ask one."})
    status, body = submit(team.submitter, "k2")
    assert (status, body["code"]) == (409, "not_cleared")
    assert outcome(push(svc, team.drafter, review_op(sub_id, action="request_review", rev=rev, sha256=sha,
                                                     note="Please clear"))) == "applied"
    # The drafter edits: the next rev; a clearance of the older rev is refused.
    edited = submission_body(team.iso3, national_context="We offer free language courses in every city.")
    assert push(svc, team.drafter, save_op(sub_id, edited, base_rev=rev))["status"] == "applied"
    stale = push(svc, team.reviewer, review_op(sub_id, action="clear", rev=rev, sha256=sha))
    assert outcome(stale) == "rejected:stale_rev"
    review = _review(svc, team.reviewer, sub_id)
    assert review["state"] == "draft"  # the edit voided the review asked for
    assert [e["action"] for e in review["events"]] == ["request_review", "void"]
    rev, sha = rev + 1, content_sha256(edited["title"], edited["language"], edited["body"])
    assert outcome(push(svc, team.reviewer, review_op(sub_id, action="clear", rev=rev, sha256=sha,
                                                      note="Cleared by the mission"))) == "applied"
    review = _review(svc, team.drafter, sub_id)
    assert review["state"] == "cleared"
    assert review["clearance"]["by"] == team.reviewer.username
    assert (review["clearance"]["rev"], review["clearance"]["sha256"]) == (rev, sha)
    marker = f"mission-note-{uuid.uuid4().hex[:8]}"
    comment = push(svc, team.reviewer, review_op(sub_id, action="comment", comment_id=str(uuid.uuid4()),
                                                 section="national_context", exact="free", text=marker))
    assert outcome(comment) == "applied"
    status, receipt = submit(team.submitter, "k3")
    assert status == 201, receipt
    assert receipt["sha256"] == sha
    # Published: the public API and pages show the text, never the review.
    publishing.publish_submission(svc.ctx.db, receipt["receipt_no"])
    client = svc.client()
    for url in (f"/api/v1/public/submissions/{receipt['receipt_no']}", "/api/v1/public/submissions",
                f"/en/submissions/{receipt['receipt_no']}", "/en/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "free language courses" in page.text or url in ("/en/", "/api/v1/public/submissions")
        for secret in (marker, "Cleared by the mission", "Please clear", team.reviewer.username):
            assert secret not in page.text, (url, secret)
    # Once received, the review is closed.
    closed = push(svc, team.reviewer, review_op(sub_id, action="return", note="Too late"))
    assert outcome(closed) == "rejected:frozen"


def test_an_edit_voids_the_clearance(svc: Service) -> None:
    team = Delegation(svc, "URY", "ARG")
    set_policy(svc, team.iso3, "required")
    sub_id, rev, sha = team.new_draft()
    cleared = push(svc, team.reviewer, review_op(sub_id, action="clear", rev=rev, sha256=sha))
    assert outcome(cleared) == "applied"
    edited = submission_body(team.iso3, national_context="Another text.")
    assert push(svc, team.drafter, save_op(sub_id, edited, base_rev=rev))["status"] == "applied"
    review = _review(svc, team.submitter, sub_id)
    assert (review["state"], review["clearance"]) == ("draft", None)
    new_sha = content_sha256(edited["title"], edited["language"], edited["body"])
    r = svc.client().post(f"/api/v1/submissions/{sub_id}/submit", json={"rev": rev + 1, "sha256": new_sha},
                          headers={**team.submitter.headers, "Idempotency-Key": "void"})
    assert (r.status_code, r.json()["code"]) == (409, "not_cleared")


def test_optional_clearance_lets_a_drafter_submit(svc: Service) -> None:
    team = Delegation(svc, "GTM", "HND")
    sub_id, rev, sha = team.new_draft()
    r = svc.client().post(f"/api/v1/submissions/{sub_id}/submit", json={"rev": rev, "sha256": sha},
                          headers={**team.drafter.headers, "Idempotency-Key": "opt"})
    assert r.status_code == 201, r.text


def test_reviews_reach_their_delegation_only(svc: Service) -> None:
    team = Delegation(svc, "NIC", "CRI")
    sub_id, _rev, _sha = team.new_draft()
    marker = f"secret-note-{uuid.uuid4().hex}"
    assert team.comment(team.reviewer, sub_id, suggestion=marker)["status"] == "applied"
    assert outcome(push(svc, team.reviewer, review_op(sub_id, action="return", note=marker))) == "applied"
    own = svc.client().get("/api/v1/changes", headers=team.drafter.headers).text
    assert marker in own
    for who in (team.secretariat, team.outsider):
        text = svc.client().get("/api/v1/changes", headers=who.headers).text
        assert marker not in text
        assert team.reviewer.username not in text
        assert '"entity":"review"' not in text.replace(" ", "")
    sub = svc.client().get(f"/api/v1/submissions/{sub_id}", headers=team.secretariat.headers).text
    assert marker not in sub
    assert team.reviewer.username not in sub


def test_info_tells_roles_and_policy(svc: Service) -> None:
    team = Delegation(svc, "SLV", "PAN")
    set_policy(svc, team.iso3, "required")
    account = svc.client().get("/api/v1/info", headers=team.submitter.headers).json()["account"]
    assert account == {"user": team.submitter.username, "roles": ["drafter", "submitter"],
                       "delegation": "SLV", "clearance": "required",
                       "submitters": [team.submitter.username]}
    assert svc.client().get("/api/v1/info").json()["account"] is None
    wrong = svc.client().get("/api/v1/info", headers={"Authorization": "Bearer nope"})
    assert wrong.json()["account"] is None


def _review(svc: Service, who: Account, sub_id: str) -> dict[str, Any]:
    page = svc.client().get("/api/v1/changes", headers=who.headers).json()
    found = [c["data"] for c in page["changes"] if c["entity"] == "review" and c["id"] == sub_id]
    assert found, "no review in the feed"
    data: dict[str, Any] = found[-1]
    return data


@pytest.mark.parametrize("body", [
    {"action": "comment", "comment_id": "00000000-0000-4000-8000-000000000000"},
    {"action": "clear"},
    {"action": "dance"},
])
def test_a_bad_review_action_is_rejected(svc: Service, body: dict[str, Any]) -> None:
    team = Delegation(svc, "DOM", "CUB")
    sub_id, _rev, _sha = team.new_draft()
    result = push(svc, team.reviewer, review_op(sub_id, **body))
    assert outcome(result) == "rejected:invalid_body", result
