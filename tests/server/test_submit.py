"""Submitting: receipts, idempotency, freezing, superseding, and publishing by the secretariat."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from typing import Any

import httpx
import pytest

from idm_desktop.core.submissions import content_sha256
from idm_desktop.server import cli
from tests.server.conftest import Service, save_op, submission_body


@pytest.fixture(scope="module")
def mex(svc: Service) -> httpx.Client:
    return svc.client(headers=svc.account("ana", "drafter", "MEX").headers)


@pytest.fixture(scope="module")
def col(svc: Service) -> httpx.Client:
    return svc.client(headers=svc.account("carlos", "drafter", "COL").headers)


def _draft(c: httpx.Client, country: str = "MEX", text: str = "Our text.") -> dict[str, Any]:
    """A new draft on the server: its id, rev and content hash."""
    sid = str(uuid.uuid4())
    result = c.post("/api/v1/ops", json={"ops": [save_op(sid, submission_body(country,
                                                                               national_context=text))]})
    assert result.json()["results"][0]["status"] == "applied", result.text
    sub: dict[str, Any] = c.get(f"/api/v1/submissions/{sid}").json()
    return sub


def _submit(c: httpx.Client, sub: dict[str, Any], key: str | None = None, **fields: Any) -> httpx.Response:
    body = {"rev": sub["rev"], "sha256": sub["content_sha256"]} | fields
    return c.post(f"/api/v1/submissions/{sub['id']}/submit", json=body,
                  headers={"Idempotency-Key": key or sub["id"]})


def _feed_entry(c: httpx.Client, sid: str) -> dict[str, Any]:
    changes: list[dict[str, Any]] = c.get("/api/v1/changes").json()["changes"]
    (entry,) = [ch for ch in changes if ch["id"] == sid]
    return entry


def _admin(svc: Service, *args: str) -> int:
    settings = svc.ctx.settings
    return cli.main(["--home", str(settings.home), "--database-url", settings.effective_database_url,
                     "admin", *args])


# -- the receipt -----------------------------------------------------------------------------------

def test_submit_gives_a_receipt_and_freezes_the_text(mex: httpx.Client) -> None:
    sub = _draft(mex, text="Final text for the record.")
    before = dt.datetime.now(dt.UTC)
    r = _submit(mex, sub)
    assert r.status_code == 201, r.text
    receipt = r.json()
    assert set(receipt) == {"receipt_no", "received_at", "sha256", "signature"}
    assert set(receipt["signature"]) == {"key_id", "signature"}
    match = re.fullmatch(r"IDM-(\d{4})-MEX-(\d{5,})", receipt["receipt_no"])
    assert match is not None
    assert int(match[1]) == dt.datetime.now(dt.UTC).year
    received = dt.datetime.fromisoformat(receipt["received_at"])
    assert before - dt.timedelta(seconds=5) <= received <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    assert receipt["sha256"] == sub["content_sha256"] == content_sha256(
        "Policy overview", "en", {"national_context": "Final text for the record."})
    entry = _feed_entry(mex, sub["id"])
    assert entry["rev"] == sub["rev"] + 1
    assert entry["data"]["status"] == "received"
    assert entry["data"]["receipt_no"] == receipt["receipt_no"]
    assert entry["data"]["content_sha256"] == receipt["sha256"]
    assert entry["data"]["body"] == {"national_context": "Final text for the record."}


def test_receipt_numbers_count_up(mex: httpx.Client) -> None:
    numbers = [int(_submit(mex, _draft(mex)).json()["receipt_no"].rsplit("-", 1)[1]) for _ in range(3)]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 3


def test_the_same_submit_again_gives_the_same_receipt(mex: httpx.Client) -> None:
    sub = _draft(mex)
    first = _submit(mex, sub)
    assert first.status_code == 201
    again = _submit(mex, sub)
    assert again.status_code == 200
    assert again.json() == first.json()
    # A retry after a lost answer may come with a new key (the client restarted): same receipt.
    other_key = _submit(mex, sub, key="another-key")
    assert (other_key.status_code, other_key.json()) == (200, first.json())


def test_a_submit_with_another_hash_after_the_receipt_is_409(mex: httpx.Client) -> None:
    sub = _draft(mex)
    assert _submit(mex, sub).status_code == 201
    r = _submit(mex, sub, sha256="a" * 64)
    assert r.status_code == 409
    assert r.json()["code"] == "already_submitted"


def test_a_stale_rev_or_hash_is_409_and_changes_nothing(mex: httpx.Client) -> None:
    sub = _draft(mex)
    newer = save_op(sub["id"], submission_body(national_context="Edited elsewhere."), base_rev=1)
    assert mex.post("/api/v1/ops", json={"ops": [newer]}).json()["results"][0]["status"] == "applied"
    r = _submit(mex, sub)
    assert r.status_code == 409
    assert r.json()["code"] == "stale_rev"
    r = _submit(mex, sub, rev=2)  # the right rev, but the old text's hash
    assert r.status_code == 409
    assert r.json()["code"] == "hash_mismatch"
    current = mex.get(f"/api/v1/submissions/{sub['id']}").json()
    assert current["status"] == "draft"
    assert current["receipt_no"] is None
    assert _submit(mex, current).status_code == 201


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": ""}, {"Idempotency-Key": "k" * 201}],
                         ids=["missing", "empty", "too-long"])
def test_submit_needs_an_idempotency_key(mex: httpx.Client, headers: dict[str, str]) -> None:
    sub = _draft(mex)
    r = mex.post(f"/api/v1/submissions/{sub['id']}/submit", headers=headers,
                 json={"rev": sub["rev"], "sha256": sub["content_sha256"]})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_request"
    assert mex.get(f"/api/v1/submissions/{sub['id']}").json()["status"] == "draft"


def test_ops_after_submit_are_rejected_frozen(mex: httpx.Client) -> None:
    sub = _draft(mex)
    assert _submit(mex, sub).status_code == 201
    op = save_op(sub["id"], submission_body(national_context="A late fix."), base_rev=sub["rev"] + 1)
    result = mex.post("/api/v1/ops", json={"ops": [op]}).json()["results"][0]
    assert (result["status"], result["code"]) == ("rejected", "frozen")


def test_who_may_submit(svc: Service, mex: httpx.Client, col: httpx.Client) -> None:
    sub = _draft(mex)
    r = _submit(col, sub)
    assert r.status_code == 404  # another delegation's: as if it did not exist
    reviewer = svc.client(headers=svc.account("rita", "reviewer", "MEX").headers)
    r = _submit(reviewer, sub)
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden"
    r = _submit(mex, sub | {"id": str(uuid.uuid4())})
    assert r.status_code == 404
    assert mex.get(f"/api/v1/submissions/{sub['id']}").json()["status"] == "draft"


# -- superseding ---------------------------------------------------------------------------------

def test_a_correction_supersedes_the_received_submission(mex: httpx.Client) -> None:
    old = _draft(mex, text="With a mistake.")
    assert _submit(mex, old).status_code == 201
    cursor = mex.get("/api/v1/changes").json()["next_cursor"]
    new = _draft(mex, text="Corrected.")
    r = _submit(mex, new, supersedes=old["id"])
    assert r.status_code == 201, r.text
    later = mex.get("/api/v1/changes", params={"cursor": cursor}).json()["changes"]
    by_id = {ch["id"]: ch for ch in later}
    assert by_id[old["id"]]["data"]["superseded_by"] == new["id"]
    assert by_id[old["id"]]["data"]["status"] == "received"
    assert by_id[new["id"]]["data"]["supersedes"] == old["id"]
    assert by_id[new["id"]]["data"]["status"] == "received"
    # The retry of the superseding submit is answered the same.
    assert _submit(mex, new, supersedes=old["id"]).json() == r.json()
    # It cannot be superseded a second time by another submission.
    third = _draft(mex, text="Another correction.")
    r = _submit(mex, third, supersedes=old["id"])
    assert r.status_code == 422
    assert r.json()["code"] == "bad_supersedes"


@pytest.mark.parametrize("target", ["other-delegation", "draft", "unknown", "itself"])
def test_what_cannot_be_superseded(mex: httpx.Client, col: httpx.Client, target: str) -> None:
    sub = _draft(mex)
    if target == "other-delegation":
        theirs = _draft(col, "COL")
        assert _submit(col, theirs).status_code == 201
        supersedes = theirs["id"]
    elif target == "draft":
        supersedes = _draft(mex)["id"]
    elif target == "unknown":
        supersedes = str(uuid.uuid4())
    else:
        supersedes = sub["id"]
    r = _submit(mex, sub, supersedes=supersedes)
    assert r.status_code == 422
    assert r.json()["code"] == "bad_supersedes"
    assert mex.get(f"/api/v1/submissions/{sub['id']}").json()["status"] == "draft"


# -- publishing by the secretariat ---------------------------------------------------------------

def test_publish_and_unpublish_with_the_admin_commands(svc: Service, mex: httpx.Client,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    sub = _draft(mex, text="For the public database.")
    receipt = _submit(mex, sub).json()["receipt_no"]
    cursor = mex.get("/api/v1/changes").json()["next_cursor"]
    assert _admin(svc, "publish-submission", receipt) == 0
    assert receipt in capsys.readouterr().out
    # The admin command writes as another process would: polls see it within a second (polls.py).
    (entry,) = _changes_after(mex, cursor)
    assert entry["id"] == sub["id"]
    assert entry["data"]["status"] == "published"
    assert entry["data"]["published_at"]
    # Publishing twice is refused with one line.
    assert _admin(svc, "publish-submission", receipt) == 1
    err = capsys.readouterr().err
    assert "already published" in err
    assert err.count("\n") == 1
    assert _admin(svc, "unpublish-submission", receipt, "--reason", "Sent by mistake.") == 0
    capsys.readouterr()
    entry = _feed_entry(mex, sub["id"])
    assert entry["data"]["status"] == "received"
    assert entry["rev"] == sub["rev"] + 3  # submitted, published, unpublished
    assert _admin(svc, "unpublish-submission", receipt, "--reason", "Again.") == 1
    assert "not published" in capsys.readouterr().err


def _changes_after(client: httpx.Client, cursor: str) -> list[dict[str, object]]:
    deadline = time.monotonic() + 3
    while True:
        answer = client.get("/api/v1/changes", params={"cursor": cursor}).json()
        changes: list[dict[str, object]] = answer["changes"]
        if changes or time.monotonic() > deadline:
            return changes
        time.sleep(0.1)


def test_an_unknown_receipt_cannot_be_published(svc: Service, capsys: pytest.CaptureFixture[str]) -> None:
    assert _admin(svc, "publish-submission", "IDM-2006-99999") == 1
    assert "No received submission" in capsys.readouterr().err


def test_each_delegation_has_a_receipt_sequence_of_its_own(svc: Service) -> None:
    """Receipt numbers tell a delegation nothing of how many others submitted."""
    numbers = {}
    for user, delegation in (("rs-mex", "MEX"), ("rs-gbr", "GBR"), ("rs-mex2", "MEX")):
        client = svc.client(headers=svc.account(user, "drafter", delegation).headers)
        sid = str(uuid.uuid4())
        body = submission_body(country=delegation, national_context=f"Text of {user}.")
        assert client.post("/api/v1/ops", json={"ops": [save_op(sid, body)]}).status_code == 200
        r = client.post(f"/api/v1/submissions/{sid}/submit", headers={"Idempotency-Key": sid},
                        json={"rev": 1, "sha256": content_sha256(body["title"], "en", body["body"])})
        assert r.status_code == 201, r.text
        numbers[user] = r.json()["receipt_no"]
    year = numbers["rs-mex"][4:8]
    assert numbers["rs-gbr"].startswith(f"IDM-{year}-GBR-")
    mex, mex2 = (int(numbers[u].rsplit("-", 1)[1]) for u in ("rs-mex", "rs-mex2"))
    assert mex2 == mex + 1  # the GBR receipt between them took no MEX number
