"""A delegation withdraws a submission it sent (DESIGN §3 ``withdrawn``): who may, on SQLite and
PostgreSQL; what the secretariat's board, the public policy database, the changes feed and the
audit log then show."""

from __future__ import annotations

import uuid
from typing import Any

from idm_desktop.server import audit, board, publishing
from idm_desktop.server.models import Submission
from tests.server.conftest import Account, Service
from tests.server.test_reviews import Delegation, set_policy


def _submitted(svc: Service, team: Delegation, who: Account) -> tuple[str, str]:
    sub_id, rev, sha = team.new_draft(f"Withdrawn text {uuid.uuid4().hex[:8]}.")
    r = svc.client().post(f"/api/v1/submissions/{sub_id}/submit", json={"rev": rev, "sha256": sha},
                          headers={**who.headers, "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    return sub_id, r.json()["receipt_no"]


def _withdraw(svc: Service, who: Account, sub_id: str, reason: str = "Sent by mistake.") -> tuple[int, Any]:
    r = svc.client().post(f"/api/v1/submissions/{sub_id}/withdraw", json={"reason": reason},
                          headers=who.headers)
    return r.status_code, r.json()


def test_who_may_withdraw_where_clearance_is_required(svc: Service) -> None:
    team = Delegation(svc, "URY", "ARG")
    sub_id, receipt_no = _submitted(svc, team, team.submitter)
    set_policy(svc, team.iso3, "required")  # after the submit, so the test needs no clearance first
    refusals = {
        "drafter": _withdraw(svc, team.drafter, sub_id),
        "reviewer": _withdraw(svc, team.reviewer, sub_id),
        "other delegation": _withdraw(svc, team.outsider, sub_id),
        "secretariat": _withdraw(svc, team.secretariat, sub_id),
    }
    unknown = _withdraw(svc, team.outsider, str(uuid.uuid4()))
    assert {who: (status, body["code"]) for who, (status, body) in refusals.items()} == {
        "drafter": (403, "forbidden"), "reviewer": (403, "forbidden"),
        "other delegation": (404, "not_found"), "secretariat": (403, "forbidden")}
    assert refusals["other delegation"] == unknown  # nothing tells it the id exists
    assert refusals["drafter"][1]["message"] == ("Only a submitter of the delegation may withdraw a "
                                                 "submission: ask one.")
    with svc.ctx.db.read() as session:
        assert session.get(Submission, sub_id).status == "received"  # type: ignore[union-attr]
    status, body = _withdraw(svc, team.submitter, sub_id)
    assert status == 200, body
    assert (body["receipt_no"], body["reason"]) == (receipt_no, "Sent by mistake.")
    again = _withdraw(svc, team.submitter, sub_id, "Another reason")
    assert again == (200, body)  # asked again (a lost answer): the first withdrawal, unchanged


def test_where_clearance_is_optional_a_drafter_withdraws(svc: Service) -> None:
    team = Delegation(svc, "PER", "ECU")
    sub_id, _receipt = _submitted(svc, team, team.drafter)
    assert _withdraw(svc, team.reviewer, sub_id)[0] == 403
    assert _withdraw(svc, team.drafter, sub_id)[0] == 200


def test_a_draft_cannot_be_withdrawn_and_a_reason_is_needed(svc: Service) -> None:
    team = Delegation(svc, "CHL", "BRA")
    draft_id, _rev, _sha = team.new_draft()
    status, body = _withdraw(svc, team.drafter, draft_id)
    assert (status, body["code"]) == (409, "not_received")
    sub_id, _receipt = _submitted(svc, team, team.drafter)
    assert _withdraw(svc, team.drafter, sub_id, "   ")[0] == 422


def test_a_withdrawn_submission_leaves_the_public_site_and_shows_on_the_board(svc: Service) -> None:
    team = Delegation(svc, "CRI", "PAN")
    set_policy(svc, team.iso3, "optional")  # a row of the board
    sub_id, receipt_no = _submitted(svc, team, team.drafter)
    publishing.publish_submission(svc.ctx.db, receipt_no)
    public = svc.client()
    assert public.get(f"/api/v1/public/submissions/{receipt_no}").status_code == 200
    assert public.get(f"/en/submissions/{receipt_no}").status_code == 200
    status, _body = _withdraw(svc, team.drafter, sub_id, "The ministry revises its policy.")
    assert status == 200
    assert public.get(f"/api/v1/public/submissions/{receipt_no}").status_code == 404
    assert public.get(f"/en/submissions/{receipt_no}").status_code == 404
    found = public.get("/api/v1/public/submissions", params={"q": "Withdrawn text"}).json()
    assert receipt_no not in str(found)
    with svc.ctx.db.read() as session:
        workshop = next(w for w in board.workshops(session) if w.id == "idm2006-integration")
        (got,) = board.boards(session, [workshop])
        row = next(r for r in got.rows if r.iso3 == team.iso3)
        assert (row.standing, row.receipt_no) == (board.Standing.WITHDRAWN, receipt_no)
        entries, _total = audit.recent(session, limit=20)
    entry = next(e for e in entries if e.action == "submission.withdraw" and e.target == receipt_no)
    assert entry.username == team.drafter.username
    assert entry.before == {"status": "published"}
    assert entry.after == {"status": "withdrawn", "reason": "The ministry revises its policy."}
    # The delegation's desktops learn it from the changes feed.
    changes = svc.client().get("/api/v1/changes", headers=team.drafter.headers).json()["changes"]
    mine = [c for c in changes if c["id"] == sub_id]
    assert mine[-1]["data"]["status"] == "withdrawn"
    assert mine[-1]["data"]["withdrawn_reason"] == "The ministry revises its policy."
