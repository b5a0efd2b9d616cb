"""Submissions made the way delegates make them: saved and submitted over the real protocol."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tests.server.conftest import Account, Service, save_op


@dataclass(frozen=True)
class Made:
    id: str
    receipt_no: str | None


def make(
    service: Service, who: Account, *, title: str, sections: dict[str, str], language: str = "en",
    workshop_id: str = "idm2006-integration", submit: bool = True, supersedes: str | None = None,
) -> Made:
    """Save a submission of ``who``'s delegation, and submit it unless ``submit`` is False."""
    c = service.client(headers=who.headers)
    sid = str(uuid.uuid4())
    body = {"workshop_id": workshop_id, "country": who.delegation, "language": language, "title": title,
            "template_id": "idm-policy-overview", "template_version": 1, "body": sections}
    r = c.post("/api/v1/ops", json={"ops": [save_op(sid, body)]})
    assert r.json()["results"][0]["status"] == "applied", r.text
    if not submit:
        return Made(sid, None)
    sub = c.get(f"/api/v1/submissions/{sid}").json()
    request = {"rev": sub["rev"], "sha256": sub["content_sha256"]}
    if supersedes:
        request["supersedes"] = supersedes
    r = c.post(f"/api/v1/submissions/{sid}/submit", headers={"Idempotency-Key": sid}, json=request)
    assert r.status_code == 201, r.text
    return Made(sid, r.json()["receipt_no"])
