"""Pushing ops: applied, duplicate, conflict, rejected; batch and body limits; gzip bodies."""

from __future__ import annotations

import gzip
import json
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from idm_desktop.core.submissions import content_sha256
from idm_desktop.protocol import body_sha256
from idm_desktop.server.models import SubmissionRevision
from tests.server.conftest import Service, save_op, submission_body

OPS = "/api/v1/ops"
JSON = "application/json"
GZIP_JSON = {"Content-Encoding": "gzip", "Content-Type": JSON}


@pytest.fixture(scope="module")
def mex(svc: Service) -> httpx.Client:
    return svc.client(headers=svc.account("ana", "drafter", "MEX").headers)


@pytest.fixture(scope="module")
def col(svc: Service) -> httpx.Client:
    return svc.client(headers=svc.account("carlos", "drafter", "COL").headers)


def _push(c: httpx.Client, *ops: dict[str, Any]) -> list[dict[str, Any]]:
    r = c.post(OPS, json={"ops": list(ops)})
    assert r.status_code == 200, r.text
    results: list[dict[str, Any]] = r.json()["results"]
    assert [res["op_id"] for res in results] == [op["op_id"] for op in ops]
    return results


def _one(c: httpx.Client, op: dict[str, Any]) -> dict[str, Any]:
    (result,) = _push(c, op)
    return result


def _new_id() -> str:
    return str(uuid.uuid4())


# -- applied ---------------------------------------------------------------------------------------

def test_create_then_update(mex: httpx.Client) -> None:
    sid = _new_id()
    body = submission_body(national_context="First text.")
    created = _one(mex, save_op(sid, body))
    assert created["status"] == "applied"
    assert created["rev"] == 1
    assert created["seq"] >= 1
    body2 = submission_body(national_context="Second text.", institutions="Who does what.")
    updated = _one(mex, save_op(sid, body2, base_rev=1))
    assert (updated["status"], updated["rev"]) == ("applied", 2)
    assert updated["seq"] > created["seq"]
    sub = mex.get(f"/api/v1/submissions/{sid}").json()
    assert sub["rev"] == 2
    assert sub["status"] == "draft"
    assert sub["body"] == body2["body"]
    assert sub["country"] == "MEX"
    assert sub["content_sha256"] == content_sha256(body2["title"], "en", body2["body"])


def test_ops_in_a_batch_are_applied_in_order_each_on_its_own(mex: httpx.Client) -> None:
    sid = _new_id()
    bad = save_op(sid, submission_body(national_context="x"), base_rev=1)
    bad["sha256"] = "0" * 64
    results = _push(mex, save_op(sid, submission_body(national_context="a")), bad,
                    save_op(sid, submission_body(national_context="b"), base_rev=1),
                    save_op(sid, submission_body(national_context="c"), base_rev=1))
    assert [(r["status"], r.get("rev") or r.get("code") or r.get("current_rev")) for r in results] == [
        ("applied", 1), ("rejected", "bad_hash"), ("applied", 2), ("conflict", 2)]


def test_revisions_form_one_to_n(svc: Service, mex: httpx.Client) -> None:
    sid = _new_id()
    ops = [save_op(sid, submission_body(national_context=f"Version {i}."), base_rev=i or None)
           for i in range(5)]
    for op in ops:
        assert _one(mex, op)["status"] == "applied"
    with svc.ctx.db.read() as session:
        rows = session.scalars(select(SubmissionRevision).where(SubmissionRevision.submission_id == sid)
                               .order_by(SubmissionRevision.rev)).all()
        assert [r.rev for r in rows] == [1, 2, 3, 4, 5]
        assert [r.op_id for r in rows] == [op["op_id"] for op in ops]
        assert [r.body for r in rows] == [{"national_context": f"Version {i}."} for i in range(5)]


# -- conflict and duplicate ----------------------------------------------------------------------

def test_a_stale_base_rev_is_a_conflict_with_the_current_text(mex: httpx.Client) -> None:
    sid = _new_id()
    _one(mex, save_op(sid, submission_body(national_context="Base.")))
    theirs = submission_body(national_context="Edited on the other laptop.")
    _one(mex, save_op(sid, theirs, base_rev=1))
    mine = _one(mex, save_op(sid, submission_body(national_context="Edited offline."), base_rev=1))
    assert mine["status"] == "conflict"
    assert mine["current_rev"] == 2
    assert mine["current"] == theirs
    assert mex.get(f"/api/v1/submissions/{sid}").json()["body"] == theirs["body"]  # nothing lost
    # An op based on a rev the server never had is a conflict too.
    ahead = _one(mex, save_op(sid, submission_body(national_context="?"), base_rev=7))
    assert (ahead["status"], ahead["current_rev"]) == ("conflict", 2)
    # A create for an id that exists is a conflict as well.
    again = _one(mex, save_op(sid, submission_body(national_context="New?")))
    assert (again["status"], again["current_rev"]) == ("conflict", 2)


def test_the_same_op_again_is_a_duplicate_with_the_original_result(mex: httpx.Client) -> None:
    sid = _new_id()
    op = save_op(sid, submission_body(national_context="Once."))
    first = _one(mex, op)
    _one(mex, save_op(sid, submission_body(national_context="Twice."), base_rev=1))
    for _ in range(2):
        again = _one(mex, op)
        assert again == {"status": "duplicate", "op_id": op["op_id"], "original": first}
    assert mex.get(f"/api/v1/submissions/{sid}").json()["rev"] == 2


def test_an_op_id_reused_for_other_content_is_rejected(mex: httpx.Client) -> None:
    sid = _new_id()
    op = save_op(sid, submission_body(national_context="Original."))
    _one(mex, op)
    other = save_op(sid, submission_body(national_context="Other."), base_rev=1, op_id=op["op_id"])
    result = _one(mex, other)
    assert (result["status"], result["code"]) == ("rejected", "op_id_reused")
    elsewhere = save_op(_new_id(), op["body"], op_id=op["op_id"])
    assert _one(mex, elsewhere)["code"] == "op_id_reused"
    assert mex.get(f"/api/v1/submissions/{sid}").json()["rev"] == 1


# -- rejected --------------------------------------------------------------------------------------

def _rejected(c: httpx.Client, op: dict[str, Any]) -> str:
    result = _one(c, op)
    assert result["status"] == "rejected", result
    assert set(result) == {"status", "op_id", "code", "message"}
    assert result["message"]
    code: str = result["code"]
    return code


def test_a_body_that_does_not_match_its_hash_is_rejected(mex: httpx.Client) -> None:
    sid = _new_id()
    op = save_op(sid, submission_body(national_context="Sent."))
    op["body"] = submission_body(national_context="Changed on the way.")
    assert _rejected(mex, op) == "bad_hash"
    assert mex.get(f"/api/v1/submissions/{sid}").status_code == 404


@pytest.mark.parametrize(("change", "code"), [
    ({"workshop_id": "idm1999-nowhere"}, "unknown_workshop"),
    ({"template_id": "no-such-template"}, "unknown_template"),
    ({"template_version": 99}, "unknown_template"),
    ({"body": {"not_a_section": "Text."}}, "unknown_section"),
    ({"language": "de"}, "invalid_body"),
    ({"country": "mex"}, "invalid_body"),
    ({"extra": 1}, "invalid_body"),
    ({"body": {"national_context": 5}}, "invalid_body"),
], ids=["workshop", "template", "template-version", "section", "language", "country-case", "extra-key",
        "section-type"])
def test_a_body_with_unknown_references_is_rejected(mex: httpx.Client, change: dict[str, Any],
                                                    code: str) -> None:
    body = submission_body() | change
    assert _rejected(mex, save_op(_new_id(), body)) == code


def test_a_body_for_another_country_is_forbidden(mex: httpx.Client) -> None:
    assert _rejected(mex, save_op(_new_id(), submission_body("COL"))) == "other_delegation"


def test_another_delegations_submission_is_not_found(mex: httpx.Client, col: httpx.Client) -> None:
    sid = _new_id()
    _one(col, save_op(sid, submission_body("COL", national_context="Colombia's text.")))
    result = _one(mex, save_op(sid, submission_body("MEX"), base_rev=1))
    assert (result["status"], result["code"]) == ("rejected", "not_found")
    assert "Colombia" not in json.dumps(result)
    stale = _one(mex, save_op(sid, submission_body("MEX"), base_rev=5))
    assert stale["status"] == "rejected"  # never a conflict that would show the text
    assert _one(mex, save_op(_new_id(), submission_body("MEX"), base_rev=1))["code"] == "not_found"


@pytest.mark.parametrize(("role", "delegation"), [("reviewer", "MEX"), ("secretariat", None)])
def test_reviewers_and_the_secretariat_may_not_write(svc: Service, role: str, delegation: str | None) -> None:
    c = svc.client(headers=svc.account(f"{role}-{uuid.uuid4().hex[:6]}", role, delegation).headers)
    assert _rejected(c, save_op(_new_id(), submission_body("MEX"))) == "forbidden"


def test_a_submitted_submission_is_frozen(mex: httpx.Client) -> None:
    sid = _new_id()
    _one(mex, save_op(sid, submission_body(national_context="Final.")))
    sub = mex.get(f"/api/v1/submissions/{sid}").json()
    r = mex.post(f"/api/v1/submissions/{sid}/submit", headers={"Idempotency-Key": sid},
                 json={"rev": 1, "sha256": sub["content_sha256"]})
    assert r.status_code == 201
    assert _rejected(mex, save_op(sid, submission_body(national_context="After."), base_rev=2)) == "frozen"
    assert _rejected(mex, save_op(sid, submission_body(national_context="After."), base_rev=1)) == "frozen"


def test_no_token_no_push(svc: Service) -> None:
    r = svc.client().post(OPS, json={"ops": [save_op(_new_id(), submission_body())]})
    assert r.status_code == 401


# -- the request: batch size, body size, gzip ----------------------------------------------------

def test_a_gzip_body_is_accepted(mex: httpx.Client) -> None:
    sid = _new_id()
    raw = json.dumps({"ops": [save_op(sid, submission_body(national_context="Zipped. " * 500))]}).encode()
    packed = gzip.compress(raw)
    assert len(packed) < len(raw) / 10
    r = mex.post(OPS, content=packed, headers=GZIP_JSON)
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["status"] == "applied"
    assert mex.get(f"/api/v1/submissions/{sid}").json()["body"]["national_context"].startswith("Zipped.")


@pytest.mark.parametrize("count", [0, 51])
def test_a_batch_of_more_than_50_ops_or_none_is_refused(mex: httpx.Client, count: int) -> None:
    sid = _new_id()
    ops = [save_op(sid, submission_body(national_context=str(i))) for i in range(count)]
    r = mex.post(OPS, json={"ops": ops})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_request"
    assert mex.get(f"/api/v1/submissions/{sid}").status_code == 404  # nothing applied


def test_fifty_ops_are_fine(mex: httpx.Client) -> None:
    sid = _new_id()
    ops = [save_op(sid, submission_body(national_context=str(i)), base_rev=i or None) for i in range(50)]
    assert {r["status"] for r in _push(mex, *ops)} == {"applied"}
    assert mex.get(f"/api/v1/submissions/{sid}").json()["rev"] == 50


@pytest.mark.parametrize("mangle", [
    lambda op: op | {"sha256": "xyz"},
    lambda op: op | {"op_id": "not-a-uuid"},
    lambda op: op | {"entity": "document"},
    lambda op: op | {"base_rev": 0},
    lambda op: op | {"surprise": True},
], ids=["sha", "op_id", "entity", "base_rev", "extra"])
def test_a_malformed_op_is_refused_as_a_whole(mex: httpx.Client, mangle: Any) -> None:
    sid = _new_id()
    ops = [save_op(sid, submission_body()), mangle(save_op(sid, submission_body()))]
    r = mex.post(OPS, json={"ops": ops})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_request"
    assert mex.get(f"/api/v1/submissions/{sid}").status_code == 404


def _big_body() -> bytes:
    op = save_op(_new_id(), submission_body(national_context="x" * 90_000))
    return json.dumps({"ops": [op] * 12}).encode()  # over 1 MB


def test_a_body_over_1_mb_is_413(mex: httpx.Client) -> None:
    data = _big_body()
    assert len(data) > 1024 * 1024
    r = mex.post(OPS, content=data, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["code"] == "too_large"
    # Without a Content-Length (chunked), the size is counted as it arrives.
    chunks = [data[i:i + 65536] for i in range(0, len(data), 65536)]
    r = mex.post(OPS, content=iter(chunks), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    # The connection is still good for the next request.
    assert mex.get("/api/v1/info").status_code == 200


def test_a_gzip_bomb_is_413(mex: httpx.Client) -> None:
    bomb = gzip.compress(b'{"ops": [' + b" " * (20 * 1024 * 1024) + b"]}")
    assert len(bomb) < 64 * 1024
    r = mex.post(OPS, content=bomb, headers=GZIP_JSON)
    assert r.status_code == 413
    assert r.json()["code"] == "too_large"


@pytest.mark.parametrize("damage", [
    lambda packed: b"this is not gzip at all",
    lambda packed: packed[: len(packed) // 2],
    lambda packed: packed[:10] + bytes(b ^ 0xFF for b in packed[10:20]) + packed[20:],
], ids=["not-gzip", "truncated", "corrupted"])
def test_a_damaged_gzip_body_is_400(mex: httpx.Client, damage: Any) -> None:
    sid = _new_id()
    raw = json.dumps({"ops": [save_op(sid, submission_body(national_context="Words. " * 200))]}).encode()
    r = mex.post(OPS, content=damage(gzip.compress(raw)), headers=GZIP_JSON)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "bad_gzip"
    assert mex.get(f"/api/v1/submissions/{sid}").status_code == 404


def test_an_unknown_content_encoding_is_415(mex: httpx.Client) -> None:
    r = mex.post(OPS, content=b"\x00\x01", headers={"Content-Encoding": "br", "Content-Type": JSON})
    assert r.status_code == 415
    assert r.json()["code"] == "unsupported_encoding"


def test_a_body_that_is_not_json_is_422(mex: httpx.Client) -> None:
    r = mex.post(OPS, content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert set(r.json()) == {"code", "message"}


def test_the_op_hash_is_over_the_canonical_body(mex: httpx.Client) -> None:
    """A client that sends keys in another order (or escapes differently) still matches."""
    sid = _new_id()
    body = submission_body(national_context="Ñandú, café, 50 €.")
    op = save_op(sid, body)
    assert op["sha256"] == body_sha256(dict(reversed(list(body.items()))))
    raw = json.dumps({"ops": [op]}, ensure_ascii=True, indent=1).encode()
    r = mex.post(OPS, content=raw, headers={"Content-Type": "application/json"})
    assert r.json()["results"][0]["status"] == "applied"


def test_a_lone_surrogate_refuses_the_whole_batch_before_any_op_is_applied(mex: httpx.Client) -> None:
    """The attack: a good op, then one whose text holds "\\ud800" (valid JSON, not valid Unicode)."""
    sid = _new_id()
    good = save_op(sid, submission_body(national_context="Before."))
    evil = save_op(_new_id(), submission_body(national_context="x"))
    evil["body"]["body"]["national_context"] = "\ud800"
    raw = json.dumps({"ops": [good, evil]})  # ensure_ascii: the surrogate travels as \ud800
    r = mex.post(OPS, content=raw, headers={"Content-Type": JSON})
    assert r.status_code == 422
    assert set(r.json()) == {"code", "message"}
    assert mex.get(f"/api/v1/submissions/{sid}").status_code == 404  # the good op was not applied either
