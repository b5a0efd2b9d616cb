"""The protocol's main path end to end over a socket: sign in, pull, push, submit."""

from __future__ import annotations

import uuid

from tests.server.conftest import Service, save_op, submission_body


def test_sign_in_pull_push_submit(service: Service) -> None:
    ana = service.account("ana", "drafter", "MEX")
    c = service.client(headers=ana.headers)
    page = c.get("/api/v1/changes").json()
    entities = {ch["entity"] for ch in page["changes"]}
    assert {"workshop", "template"} <= entities
    sid = str(uuid.uuid4())
    body = submission_body(national_context="Text.")
    r = c.post("/api/v1/ops", json={"ops": [save_op(sid, body)]})
    assert r.json()["results"][0]["status"] == "applied", r.text
    sub = c.get(f"/api/v1/submissions/{sid}").json()
    r = c.post(f"/api/v1/submissions/{sid}/submit", headers={"Idempotency-Key": "k1"},
               json={"rev": sub["rev"], "sha256": sub["content_sha256"]})
    assert r.status_code == 201, r.text
    again = c.post(f"/api/v1/submissions/{sid}/submit", headers={"Idempotency-Key": "k1"},
                   json={"rev": sub["rev"], "sha256": sub["content_sha256"]})
    assert again.status_code == 200
    assert again.json() == r.json()
    later = c.get("/api/v1/changes", params={"cursor": page["next_cursor"]}).json()
    assert [ch["data"]["status"] for ch in later["changes"]] == ["received"]
