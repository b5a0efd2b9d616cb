"""The changes feed as a client pulls it: pages, cursors, visibility, tombstones, resync."""

from __future__ import annotations

import base64
import gzip
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from idm_desktop.core.catalog import load_bundled_templates, load_catalog
from idm_desktop.server import feed, publishing
from idm_desktop.server.models import FeedState
from tests.server.conftest import Account, Service, save_op, submission_body

CHANGES = "/api/v1/changes"


Drafter = Callable[[str], httpx.Client]


@pytest.fixture(scope="module")
def drafter(svc: Service) -> Drafter:
    """A signed-in drafter of a delegation (one per delegation)."""
    made: dict[str, Account] = {}

    def client(delegation: str) -> httpx.Client:
        if delegation not in made:
            made[delegation] = svc.account(f"drafter-{delegation.lower()}", "drafter", delegation)
        return svc.client(headers=made[delegation].headers)

    return client


@pytest.fixture(scope="module")
def secretariat(svc: Service) -> httpx.Client:
    return svc.client(headers=svc.account("secretariat", "secretariat", None).headers)


def _save(c: httpx.Client, country: str, text: str, sid: str | None = None,
          base_rev: int | None = None) -> str:
    sid = sid or str(uuid.uuid4())
    op = save_op(sid, submission_body(country, national_context=text), base_rev)
    result = c.post("/api/v1/ops", json={"ops": [op]}).json()["results"][0]
    assert result["status"] == "applied", result
    return sid


def _pull_all(
    c: httpx.Client, cursor: str | None = None, limit: int = 200,
) -> tuple[list[dict[str, Any]], str]:
    """Every page from ``cursor`` on: the changes in order and the last next_cursor."""
    changes: list[dict[str, Any]] = []
    for _ in range(1000):
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        r = c.get(CHANGES, params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["changes"]) <= limit
        changes += page["changes"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return changes, cursor
    raise AssertionError("the feed never ended")


def _ids(changes: list[dict[str, Any]], entity: str = "submission") -> list[str]:
    return [ch["id"] for ch in changes if ch["entity"] == entity]


# -- paging -----------------------------------------------------------------------------------------

def test_small_pages_give_every_entity_exactly_once(drafter: Drafter) -> None:
    c = drafter("MEX")
    mine = {_save(c, "MEX", f"Text {i}.") for i in range(4)}
    seen: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 5} | ({"cursor": cursor} if cursor else {})
        page = c.get(CHANGES, params=params).json()
        pages += 1
        assert len(page["changes"]) <= 5
        seen += page["changes"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
        assert len(page["changes"]) == 5
    keys = [(ch["entity"], ch["id"]) for ch in seen]
    assert len(keys) == len(set(keys)), "an entity came twice"
    seqs = [ch["seq"] for ch in seen]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)
    assert pages >= 4
    assert {e.id for e in load_catalog()} <= set(_ids(seen, "workshop"))
    assert {f"{t.id}@{t.version}" for t in load_bundled_templates()} <= set(_ids(seen, "template"))
    assert mine <= set(_ids(seen))
    # The same feed in one big page holds the same entities.
    whole, _ = _pull_all(c)
    assert [(ch["entity"], ch["id"]) for ch in whole] == keys
    for ch in seen:
        assert ch["rev"] >= 1
        assert ch["deleted"] is False
        assert isinstance(ch["data"], dict)


def test_a_poll_with_nothing_new_is_empty_and_its_cursor_still_works(drafter: Drafter) -> None:
    c = drafter("MEX")
    _, cursor = _pull_all(c)
    for _ in range(2):
        r = c.get(CHANGES, params={"cursor": cursor})
        assert r.status_code == 200
        page = r.json()
        assert page["changes"] == []
        assert page["has_more"] is False
        assert len(r.content) < 300  # DESIGN §11: a no-op sync is small
        cursor = page["next_cursor"]
    sid = _save(c, "MEX", "New.")
    page = c.get(CHANGES, params={"cursor": cursor}).json()
    assert [(ch["entity"], ch["id"], ch["rev"]) for ch in page["changes"]] == [("submission", sid, 1)]


def test_cursor_skips_what_the_caller_may_not_see(drafter: Drafter) -> None:
    """Changes of other delegations after the cursor do not come back on every poll."""
    mex, col = drafter("MEX"), drafter("COL")
    _, cursor = _pull_all(mex)
    _save(col, "COL", "Theirs.")
    page = mex.get(CHANGES, params={"cursor": cursor}).json()
    assert page["changes"] == []
    assert page["has_more"] is False
    again = mex.get(CHANGES, params={"cursor": page["next_cursor"]}).json()
    assert again["changes"] == []


@pytest.mark.parametrize("limit", [0, -1, 201, "x"])
def test_a_bad_limit_is_refused(drafter: Drafter, limit: int | str) -> None:
    r = drafter("MEX").get(CHANGES, params={"limit": limit})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_request"


# -- visibility ----------------------------------------------------------------------------------

def test_another_delegations_submissions_never_appear(drafter: Drafter, secretariat: httpx.Client) -> None:
    fra, per = drafter("FRA"), drafter("PER")
    _, fra_cursor = _pull_all(fra)
    theirs = _save(per, "PER", "Confidential draft of Peru.")
    ours = _save(fra, "FRA", "Draft of France.")
    _save(per, "PER", "Confidential draft of Peru, v2.", theirs, 1)
    for changes in (_pull_all(fra)[0], _pull_all(fra, fra_cursor)[0], _pull_all(fra, limit=3)[0]):
        subs = [ch for ch in changes if ch["entity"] == "submission"]
        assert theirs not in {ch["id"] for ch in subs}
        assert {ch["data"]["country"] for ch in subs} == {"FRA"}
        assert ours in {ch["id"] for ch in subs}
        assert "Peru" not in str(changes)
    assert fra.get(f"/api/v1/submissions/{theirs}").status_code == 404
    # The secretariat sees every delegation's.
    everything = _ids(_pull_all(secretariat)[0])
    assert {theirs, ours} <= set(everything)


def test_a_reviewer_sees_the_delegations_submissions(svc: Service, drafter: Drafter) -> None:
    sid = _save(drafter("ECU"), "ECU", "Drafted.")
    reviewer = svc.client(headers=svc.account("reviewer-ecu", "reviewer", "ECU").headers)
    changes, _ = _pull_all(reviewer)
    assert sid in _ids(changes)
    assert {ch["data"]["country"] for ch in changes if ch["entity"] == "submission"} == {"ECU"}


# -- changes and tombstones -----------------------------------------------------------------------

def test_a_changed_entity_moves_to_the_end_with_its_latest_rev(drafter: Drafter) -> None:
    c = drafter("CHL")
    first = _save(c, "CHL", "One.")
    _, cursor = _pull_all(c)
    second = _save(c, "CHL", "Two.")
    _save(c, "CHL", "One, revised.", first, 1)
    _save(c, "CHL", "One, revised again.", first, 2)
    later, _ = _pull_all(c, cursor)
    assert [(ch["id"], ch["rev"]) for ch in later] == [(second, 1), (first, 3)]
    assert later[1]["data"]["body"] == {"national_context": "One, revised again."}
    whole, _ = _pull_all(c)
    assert _ids(whole).count(first) == 1
    assert _ids(whole)[-2:] == [second, first]
    assert whole[-1]["seq"] > whole[-2]["seq"]


def test_a_withdrawn_document_becomes_a_tombstone(svc: Service, drafter: Drafter, tmp_path: Path) -> None:
    c = drafter("MEX")
    path = tmp_path / "note.md"
    path.write_text("# A note\n\nSome text about integration.\n", encoding="utf-8")
    doc = publishing.publish_document(svc.ctx.db, svc.ctx.blobs, path, workshop="idm2006-integration",
                                      symbol=f"IC/2006/{uuid.uuid4().hex[:6]}", language="en")
    _, before = _pull_all(c)
    publishing.withdraw_document(svc.ctx.db, doc.id)
    later, _ = _pull_all(c, before)
    assert later == [{"seq": later[0]["seq"], "entity": "document", "id": doc.id, "rev": 2,
                      "deleted": True, "data": None}]
    whole, _ = _pull_all(c)
    entries = [ch for ch in whole if ch["id"] == doc.id]
    assert len(entries) == 1
    assert entries[0]["deleted"] is True
    assert entries[0]["data"] is None


# -- cursors that are no good --------------------------------------------------------------------

@pytest.mark.parametrize("cursor", [
    "garbage!!",
    base64.urlsafe_b64encode(b"not json").decode(),
    base64.urlsafe_b64encode(b'{"e":"x"}').decode(),
    base64.urlsafe_b64encode(b'{"e":"x","s":"many"}').decode(),
    base64.urlsafe_b64encode(b"[1,2]").decode(),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    base64.urlsafe_b64encode(b'{"e":"x","s":Infinity}').decode(),
    base64.urlsafe_b64encode(b'{"e":"x","s":1e400}').decode(),
    base64.urlsafe_b64encode(b'{"e":"x","s":true}').decode(),
    base64.urlsafe_b64encode(b"[" * 100_000).decode()[:190],
], ids=["not-base64", "not-json", "no-seq", "bad-seq", "list", "not-utf8", "infinity", "huge", "bool",
        "deep"])
def test_a_bad_cursor_is_400(drafter: Drafter, cursor: str) -> None:
    r = drafter("MEX").get(CHANGES, params={"cursor": cursor})
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "bad_cursor"
    assert set(r.json()) == {"code", "message"}


def test_a_too_long_cursor_is_refused(drafter: Drafter) -> None:
    r = drafter("MEX").get(CHANGES, params={"cursor": "a" * 201})
    assert r.status_code == 422


def test_a_cursor_from_another_epoch_or_ahead_of_the_feed_is_410(svc: Service, drafter: Drafter) -> None:
    c = drafter("MEX")
    _, cursor = _pull_all(c)
    with svc.ctx.db.read() as session:
        state = session.get(FeedState, 1)
        assert state is not None
        epoch, head = state.epoch, state.last_seq
    ahead = feed.Cursor(epoch, head + 100).encode()
    negative = feed.Cursor(epoch, -1).encode()
    for bad in (ahead, negative):
        r = c.get(CHANGES, params={"cursor": bad})
        assert r.status_code == 410
        assert r.json()["code"] == "resync_required"
    # The database was restored from a backup: the feed's epoch changed.
    with svc.ctx.db.write() as session:
        session.execute(update(FeedState).where(FeedState.id == 1).values(epoch="restored0000"))
    try:
        r = c.get(CHANGES, params={"cursor": cursor})
        assert r.status_code == 410
        assert r.json() == {"code": "resync_required", "message": r.json()["message"]}
        # Starting again from an empty cursor works, and gives cursors of the new epoch.
        changes, fresh = _pull_all(c)
        assert changes
        assert c.get(CHANGES, params={"cursor": fresh}).json()["changes"] == []
    finally:
        with svc.ctx.db.write() as session:
            session.execute(update(FeedState).where(FeedState.id == 1).values(epoch=epoch))


# -- compression ---------------------------------------------------------------------------------

def test_a_large_page_is_gzip_compressed_for_a_client_that_accepts_it(drafter: Drafter) -> None:
    c = drafter("MEX")
    r = c.get(CHANGES, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    assert r.json()["changes"]
    # The bytes on the wire are gzip, and smaller than the JSON.
    with c.stream("GET", CHANGES, headers={"Accept-Encoding": "gzip"}) as raw:
        wire = b"".join(raw.iter_raw())
    assert len(wire) < len(r.content) / 2
    assert gzip.decompress(wire) == r.content
    plain = c.get(CHANGES, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.json() == r.json()
    # A small answer is not worth compressing.
    _, cursor = _pull_all(c)
    small = c.get(CHANGES, params={"cursor": cursor}, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
