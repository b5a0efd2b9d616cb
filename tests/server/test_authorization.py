"""The authorization matrix (DESIGN §12): every /api/v1 route × every kind of caller × a
submission of the caller's own delegation and one of another delegation.

Two delegations, MEX and COL, each with a drafter and a reviewer, plus the secretariat (no
delegation) and an anonymous caller. For MEX callers the MEX submission is their own and the
COL one another delegation's; for COL callers the other way round. Each submission holds a
secret marker in its text: no answer to a caller outside its delegation (other than the
secretariat) may contain it. A route added to the API without a row here fails the test.
"""

from __future__ import annotations

import base64
import json
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.routing import APIRoute

from idm_desktop.core.resources import resource
from idm_desktop.protocol.bundle import write_bundle
from idm_desktop.protocol.signing import raw_public_key, sign
from idm_desktop.server import publishing
from idm_desktop.server.app import create_app
from idm_desktop.server.models import Submission
from tests.server.conftest import PASSWORD, Service, save_op, submission_body

MEX, COL = "MEX", "COL"
NA = "n/a"  # the route has no target submission: it is probed once, and the COL column is unused

# Outcomes: an HTTP status; for /changes the delegations whose submissions the caller sees;
# for /ops the results of three pushes on the target —
#   1. a save in the target's country at its current rev,
#   2. a save in the caller's own country at the current rev (trying to take over the id),
#   3. a save in the caller's own country at a stale rev (must never answer "conflict" with the
#      current text unless the caller may see it).
APPLIED, CONFLICT = "applied", "conflict"
FORBIDDEN, NOT_FOUND = "rejected:forbidden", "rejected:not_found"
OTHER_DELEGATION = "rejected:other_delegation"  # a body for another country: its own refusal
OWN_SAVES = (APPLIED, APPLIED, CONFLICT)
CROSS_SAVES = (OTHER_DELEGATION, NOT_FOUND, NOT_FOUND)
ROLE_REFUSED = (FORBIDDEN, FORBIDDEN, FORBIDDEN)
NO_TOKEN = (401, 401, 401)

Outcome = int | tuple[Any, ...] | str


@dataclass(frozen=True)
class Row:
    route: str  # "METHOD path", the path as FastAPI declares it
    caller: str
    on_mex: Outcome  # target: the MEX submission
    on_col: Outcome = NA  # target: the COL submission


INFO = "GET /api/v1/info"
TOKEN = "POST /api/v1/auth/token"
LOGOUT = "POST /api/v1/auth/logout"
CHANGES = "GET /api/v1/changes"
GET_SUB = "GET /api/v1/submissions/{submission_id}"
OPS = "POST /api/v1/ops"
SUBMIT = "POST /api/v1/submissions/{submission_id}/submit"
WITHDRAW = "POST /api/v1/submissions/{submission_id}/withdraw"
BLOB = "GET /api/v1/blobs/{sha256}"
UPLOAD_DOC = "POST /api/v1/admin/documents"
DELETE_DOC = "DELETE /api/v1/admin/documents/{document_id}"
TEMPLATE = "POST /api/v1/admin/templates"
PUBLISH = "POST /api/v1/admin/submissions/{receipt_no}/publish"
UNPUBLISH = "POST /api/v1/admin/submissions/{receipt_no}/unpublish"
PUBLIC_LIST = "GET /api/v1/public/submissions"
PUBLIC_GET = "GET /api/v1/public/submissions/{receipt_no}"
PUBLIC_WORKSHOPS = "GET /api/v1/public/workshops"
PUBLIC_COUNTRIES = "GET /api/v1/public/countries"
BUNDLES = "POST /api/v1/bundles"

CALLERS = ("anonymous", "mex_drafter", "col_drafter", "mex_reviewer", "col_reviewer", "secretariat")

# Rows run top to bottom: ops before submit (a submit freezes the text), submit before publish,
# publish before unpublish, logout last.
MATRIX: list[Row] = [
    # route       caller           MEX submission        COL submission
    Row(INFO,     "anonymous",     200),
    Row(INFO,     "mex_drafter",   200),
    Row(INFO,     "col_drafter",   200),
    Row(INFO,     "mex_reviewer",  200),
    Row(INFO,     "col_reviewer",  200),
    Row(INFO,     "secretariat",   200),

    Row(TOKEN,    "anonymous",     200),  # signing in is public
    Row(TOKEN,    "mex_drafter",   200),
    Row(TOKEN,    "col_drafter",   200),
    Row(TOKEN,    "mex_reviewer",  200),
    Row(TOKEN,    "col_reviewer",  200),
    Row(TOKEN,    "secretariat",   200),

    Row(CHANGES,  "anonymous",     401),
    Row(CHANGES,  "mex_drafter",   (MEX,)),
    Row(CHANGES,  "col_drafter",   (COL,)),
    Row(CHANGES,  "mex_reviewer",  (MEX,)),
    Row(CHANGES,  "col_reviewer",  (COL,)),
    Row(CHANGES,  "secretariat",   (COL, MEX)),

    Row(GET_SUB,  "anonymous",     401,                  401),
    Row(GET_SUB,  "mex_drafter",   200,                  404),
    Row(GET_SUB,  "col_drafter",   404,                  200),
    Row(GET_SUB,  "mex_reviewer",  200,                  404),
    Row(GET_SUB,  "col_reviewer",  404,                  200),
    Row(GET_SUB,  "secretariat",   200,                  200),

    Row(OPS,      "anonymous",     NO_TOKEN,             NO_TOKEN),
    Row(OPS,      "mex_drafter",   OWN_SAVES,            CROSS_SAVES),
    Row(OPS,      "col_drafter",   CROSS_SAVES,          OWN_SAVES),
    Row(OPS,      "mex_reviewer",  ROLE_REFUSED,         ROLE_REFUSED),
    Row(OPS,      "col_reviewer",  ROLE_REFUSED,         ROLE_REFUSED),
    Row(OPS,      "secretariat",   ROLE_REFUSED,         ROLE_REFUSED),

    Row(SUBMIT,   "anonymous",     401,                  401),
    Row(SUBMIT,   "mex_drafter",   201,                  404),
    Row(SUBMIT,   "col_drafter",   404,                  201),
    Row(SUBMIT,   "mex_reviewer",  403,                  404),
    Row(SUBMIT,   "col_reviewer",  404,                  403),
    Row(SUBMIT,   "secretariat",   403,                  403),

    # an outbox bundle signed by a MEX drafter's registered device: handed in by anyone of MEX,
    # refused (400 bundle_other_delegation) from any other account
    Row(BUNDLES,  "anonymous",     401),
    Row(BUNDLES,  "mex_drafter",   200),
    Row(BUNDLES,  "col_drafter",   "400:bundle_other_delegation"),
    Row(BUNDLES,  "mex_reviewer",  200),
    Row(BUNDLES,  "col_reviewer",  "400:bundle_other_delegation"),
    Row(BUNDLES,  "secretariat",   "400:bundle_other_delegation"),

    Row(PUBLISH,  "anonymous",     401,                  401),
    Row(PUBLISH,  "mex_drafter",   403,                  403),
    Row(PUBLISH,  "col_drafter",   403,                  403),
    Row(PUBLISH,  "mex_reviewer",  403,                  403),
    Row(PUBLISH,  "col_reviewer",  403,                  403),
    Row(PUBLISH,  "secretariat",   200,                  200),

    Row(UNPUBLISH, "anonymous",    401,                  401),
    Row(UNPUBLISH, "mex_drafter",  403,                  403),
    Row(UNPUBLISH, "col_drafter",  403,                  403),
    Row(UNPUBLISH, "mex_reviewer", 403,                  403),
    Row(UNPUBLISH, "col_reviewer", 403,                  403),
    Row(UNPUBLISH, "secretariat",  200,                  200),

    # The public policy database: open to anyone, and once unpublished a submission is not in it
    # for anyone, its own delegation and the secretariat included (searched for by its marker).
    *[Row(PUBLIC_LIST, caller, 200, 200) for caller in CALLERS],
    *[Row(PUBLIC_GET, caller, 404, 404) for caller in CALLERS],
    *[Row(PUBLIC_WORKSHOPS, caller, 200) for caller in CALLERS],
    *[Row(PUBLIC_COUNTRIES, caller, 200) for caller in CALLERS],

    Row(BLOB,     "anonymous",     401),
    Row(BLOB,     "mex_drafter",   200),
    Row(BLOB,     "col_drafter",   200),
    Row(BLOB,     "mex_reviewer",  200),
    Row(BLOB,     "col_reviewer",  200),
    Row(BLOB,     "secretariat",   200),

    Row(UPLOAD_DOC, "anonymous",    401),
    Row(UPLOAD_DOC, "mex_drafter",  403),
    Row(UPLOAD_DOC, "col_drafter",  403),
    Row(UPLOAD_DOC, "mex_reviewer", 403),
    Row(UPLOAD_DOC, "col_reviewer", 403),
    Row(UPLOAD_DOC, "secretariat",  201),

    Row(DELETE_DOC, "anonymous",    401),
    Row(DELETE_DOC, "mex_drafter",  403),
    Row(DELETE_DOC, "col_drafter",  403),
    Row(DELETE_DOC, "mex_reviewer", 403),
    Row(DELETE_DOC, "col_reviewer", 403),
    Row(DELETE_DOC, "secretariat",  204),

    Row(TEMPLATE, "anonymous",     401),
    Row(TEMPLATE, "mex_drafter",   403),
    Row(TEMPLATE, "col_drafter",   403),
    Row(TEMPLATE, "mex_reviewer",  403),
    Row(TEMPLATE, "col_reviewer",  403),
    Row(TEMPLATE, "secretariat",   201),

    # after unpublish: a withdrawal takes it out of the public site for good. Refusals first; the
    # COL drafter withdraws the COL submission, then the MEX drafter the MEX one.
    Row(WITHDRAW, "anonymous",     401,                  401),
    Row(WITHDRAW, "mex_reviewer",  403,                  404),
    Row(WITHDRAW, "col_reviewer",  404,                  403),
    Row(WITHDRAW, "secretariat",   403,                  403),
    Row(WITHDRAW, "col_drafter",   404,                  200),
    Row(WITHDRAW, "mex_drafter",   200,                  404),

    Row(LOGOUT,   "anonymous",     401),
    Row(LOGOUT,   "mex_drafter",   204),  # and the token no longer works afterwards
    Row(LOGOUT,   "col_drafter",   204),
    Row(LOGOUT,   "mex_reviewer",  204),
    Row(LOGOUT,   "col_reviewer",  204),
    Row(LOGOUT,   "secretariat",   204),
]


# -- the world the matrix runs in ---------------------------------------------------------------

@dataclass
class World:
    service: Service
    clients: dict[str, httpx.Client]
    delegation: dict[str, str | None]  # caller -> delegation
    subs: dict[str, str]  # delegation -> submission id
    markers: dict[str, str]  # delegation -> secret text in its submission
    blob_sha: str
    blob_bytes: bytes
    doc_to_delete: str
    template: dict[str, Any]
    responses: list[tuple[str, str, httpx.Response]] = field(default_factory=list)

    def call(self, caller: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        r = self.clients[caller].request(method, url, **kwargs)
        self.responses.append((caller, f"{method} {url}", r))
        return r

    def current(self, target: str) -> Submission:
        with self.service.ctx.db.read() as session:
            sub = session.get(Submission, self.subs[target])
            assert sub is not None
            return sub

    def may_see(self, caller: str, delegation: str) -> bool:
        return caller == "secretariat" or self.delegation[caller] == delegation


def _build_world(service: Service, tmp_path: Path) -> World:
    accounts = {
        "mex_drafter": service.account("mex_drafter", "drafter", MEX),
        "col_drafter": service.account("col_drafter", "drafter", COL),
        "mex_reviewer": service.account("mex_reviewer", "reviewer", MEX),
        "col_reviewer": service.account("col_reviewer", "reviewer", COL),
        "secretariat": service.account("secretariat", "secretariat", None),
    }
    clients = {name: service.client(headers=acc.headers) for name, acc in accounts.items()}
    clients["anonymous"] = service.client()
    delegation: dict[str, str | None] = {name: acc.delegation for name, acc in accounts.items()}
    delegation["anonymous"] = None
    subs, markers = {}, {}
    for code in (MEX, COL):
        subs[code] = str(uuid.uuid4())
        markers[code] = f"SECRET-{code}-{uuid.uuid4().hex}"
        r = clients[f"{code.lower()}_drafter"].post("/api/v1/ops", json={"ops": [
            save_op(subs[code], submission_body(code, national_context=markers[code]))]})
        assert r.json()["results"][0]["status"] == APPLIED, r.text
    docs = []
    for n in (1, 2):
        path = tmp_path / f"doc{n}.txt"
        path.write_text(f"Background note {n} for the workshop.\n", encoding="utf-8")
        docs.append(publishing.publish_document(service.ctx.db, service.ctx.blobs, path,
                                                workshop="idm2006-integration",
                                                symbol=f"MC/INF/90{n}", language="en"))
    template = json.loads(resource("templates", "submission-v1.json").read_text(encoding="utf-8"))
    template["version"] = 2
    return World(service, clients, delegation, subs, markers, docs[0].sha256,
                 (tmp_path / "doc1.txt").read_bytes(), docs[1].id, template)


# -- one probe per route: what happens when ``caller`` calls it (on ``target``) -----------------

def _status(r: httpx.Response) -> int:
    return r.status_code


def probe_info(w: World, caller: str, _target: str) -> Outcome:
    return _status(w.call(caller, "GET", "/api/v1/info"))


def probe_token(w: World, caller: str, _target: str) -> Outcome:
    username = "mex_drafter" if caller == "anonymous" else caller
    return _status(w.call(caller, "POST", "/api/v1/auth/token",
                          json={"username": username, "password": PASSWORD, "device_name": "matrix"}))


def probe_logout(w: World, caller: str, _target: str) -> Outcome:
    if caller == "anonymous":
        return _status(w.call(caller, "POST", "/api/v1/auth/logout"))
    # A token of its own, so that the caller's main token keeps working for the other rows.
    token = w.call("anonymous", "POST", "/api/v1/auth/token",
                   json={"username": caller, "password": PASSWORD, "device_name": "logout"}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    status = _status(w.call("anonymous", "POST", "/api/v1/auth/logout", headers=auth))
    after = _status(w.call("anonymous", "GET", "/api/v1/changes", headers=auth))
    return status if after == 401 else f"{status}, but the token still works ({after})"


def probe_changes(w: World, caller: str, _target: str) -> Outcome:
    r = w.call(caller, "GET", "/api/v1/changes")
    if r.status_code != 200:
        return r.status_code
    seen = {ch["id"] for ch in r.json()["changes"] if ch["entity"] == "submission"}
    return tuple(sorted(code for code, sid in w.subs.items() if sid in seen))


def _same_as_unknown(w: World, caller: str, r: httpx.Response, method: str, path: str,
                     **kwargs: Any) -> Outcome:
    """A 404 for another delegation's submission must say exactly what an unknown id says."""
    if r.status_code != 404:
        return r.status_code
    unknown = w.call(caller, method, path.replace("{id}", str(uuid.uuid4())), **kwargs)
    same = (unknown.status_code, unknown.json()) == (404, r.json())
    return 404 if same else f"404 unlike an unknown id's: {r.text}"


def probe_get_submission(w: World, caller: str, target: str) -> Outcome:
    r = w.call(caller, "GET", f"/api/v1/submissions/{w.subs[target]}")
    if r.status_code == 200 and r.json()["body"]["national_context"] != w.markers[target]:
        return "200 with the wrong text"
    return _same_as_unknown(w, caller, r, "GET", "/api/v1/submissions/{id}")


def probe_ops(w: World, caller: str, target: str) -> Outcome:
    own = w.delegation[caller] or target
    text = w.markers[target] if own == target else f"Written by {caller}."
    outcomes: list[Any] = []
    for country, stale in ((target, False), (own, False), (own, True)):
        base_rev = 1 if stale else w.current(target).rev
        op = save_op(w.subs[target], submission_body(country, national_context=text), base_rev=base_rev)
        r = w.call(caller, "POST", "/api/v1/ops", json={"ops": [op]})
        if r.status_code != 200:
            outcomes.append(r.status_code)
            continue
        (result,) = r.json()["results"]
        outcomes.append(result["status"] if result["status"] != "rejected"
                        else f"rejected:{result['code']}")
    return tuple(outcomes)


def probe_submit(w: World, caller: str, target: str) -> Outcome:
    sub = w.current(target)
    body = {"rev": sub.rev, "sha256": sub.content_sha256}
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    r = w.call(caller, "POST", f"/api/v1/submissions/{sub.id}/submit", json=body, headers=headers)
    return _same_as_unknown(w, caller, r, "POST", "/api/v1/submissions/{id}/submit",
                            json=body, headers=headers)


def _receipt(w: World, target: str) -> str:
    return w.current(target).receipt_no or "IDM-2000-99999"


def probe_publish(w: World, caller: str, target: str) -> Outcome:
    return _status(w.call(caller, "POST", f"/api/v1/admin/submissions/{_receipt(w, target)}/publish"))


def probe_unpublish(w: World, caller: str, target: str) -> Outcome:
    return _status(w.call(caller, "POST", f"/api/v1/admin/submissions/{_receipt(w, target)}/unpublish",
                          json={"reason": "Published by mistake."}))


def probe_withdraw(w: World, caller: str, target: str) -> Outcome:
    body = {"reason": "Sent by mistake."}
    r = w.call(caller, "POST", f"/api/v1/submissions/{w.subs[target]}/withdraw", json=body)
    if r.status_code == 200 and w.current(target).status != "withdrawn":
        return "200 but not withdrawn"
    return _same_as_unknown(w, caller, r, "POST", "/api/v1/submissions/{id}/withdraw", json=body)


def probe_blob(w: World, caller: str, _target: str) -> Outcome:
    r = w.call(caller, "GET", f"/api/v1/blobs/{w.blob_sha}")
    return r.status_code if r.status_code != 200 or r.content == w.blob_bytes else "200 with other bytes"


def probe_upload_document(w: World, caller: str, _target: str) -> Outcome:
    return _status(w.call(caller, "POST", "/api/v1/admin/documents",
                          params={"workshop": "idm2006-integration", "symbol": "MC/INF/903",
                                  "language": "en", "filename": "note.txt"},
                          content=f"A note uploaded by {caller}.\n".encode(),
                          headers={"Content-Type": "application/octet-stream"}))


def probe_delete_document(w: World, caller: str, _target: str) -> Outcome:
    return _status(w.call(caller, "DELETE", f"/api/v1/admin/documents/{w.doc_to_delete}"))


def probe_template(w: World, caller: str, _target: str) -> Outcome:
    return _status(w.call(caller, "POST", "/api/v1/admin/templates", json=w.template))


def probe_public_list(w: World, caller: str, target: str) -> Outcome:
    r = w.call(caller, "GET", "/api/v1/public/submissions", params={"q": w.markers[target]})
    return r.status_code if r.status_code != 200 or r.json()["total"] == 0 else "200 with results"


def probe_public_get(w: World, caller: str, target: str) -> Outcome:
    return _status(w.call(caller, "GET", f"/api/v1/public/submissions/{_receipt(w, target)}"))


def probe_public_workshops(w: World, caller: str, _target: str) -> Outcome:
    return _status(w.call(caller, "GET", "/api/v1/public/workshops"))


def probe_public_countries(w: World, caller: str, _target: str) -> Outcome:
    return _status(w.call(caller, "GET", "/api/v1/public/countries"))


_DEVICE_BUNDLES: dict[int, bytes] = {}


def _device_bundle(w: World, tmp: Path) -> bytes:
    """An empty outbox bundle signed by a device that mex_drafter registered at a sign-in."""
    if id(w) not in _DEVICE_BUNDLES:
        device = Ed25519PrivateKey.generate()
        public = base64.b64encode(raw_public_key(device)).decode()
        r = w.service.client().post("/api/v1/auth/token", json={
            "username": "mex_drafter", "password": PASSWORD, "device_name": "field", "device_key": public})
        assert r.status_code == 200, r.text
        path = tmp / "field.idmbundle"
        write_bundle(path, "outbox", {"app": "idm-desktop"}, "2026-12-06T00:00:00+00:00", ops=[],
                     sign=lambda m: sign(device, m))
        _DEVICE_BUNDLES[id(w)] = path.read_bytes()
    return _DEVICE_BUNDLES[id(w)]


def probe_bundles(w: World, caller: str, _target: str) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        data = _device_bundle(w, Path(tmp))
    r = w.call(caller, "POST", "/api/v1/bundles", content=data,
               headers={"Content-Type": "application/octet-stream"})
    return f"400:{r.json()['code']}" if r.status_code == 400 else r.status_code


PROBES: dict[str, Callable[[World, str, str], Outcome]] = {
    INFO: probe_info, TOKEN: probe_token, LOGOUT: probe_logout, CHANGES: probe_changes,
    GET_SUB: probe_get_submission, OPS: probe_ops, SUBMIT: probe_submit, BLOB: probe_blob,
    UPLOAD_DOC: probe_upload_document, DELETE_DOC: probe_delete_document, TEMPLATE: probe_template,
    PUBLISH: probe_publish, UNPUBLISH: probe_unpublish, WITHDRAW: probe_withdraw,
    PUBLIC_LIST: probe_public_list, PUBLIC_GET: probe_public_get,
    PUBLIC_WORKSHOPS: probe_public_workshops, PUBLIC_COUNTRIES: probe_public_countries,
    BUNDLES: probe_bundles,
}


# -- the tests ----------------------------------------------------------------------------------

def test_the_matrix_is_complete_and_well_formed() -> None:
    assert set(PROBES) == {row.route for row in MATRIX}
    for route in PROBES:
        callers = [row.caller for row in MATRIX if row.route == route]
        assert sorted(callers) == sorted(CALLERS), f"{route}: one row per caller"


def _api_routes(routes: list[Any]) -> set[str]:
    """Every "METHOD path" of the app's routers, looking into included routers (newer FastAPI
    keeps those as one lazily expanded entry)."""
    found = set()
    for route in routes:
        if isinstance(route, APIRoute):
            found |= {f"{method} {route.path}" for method in (route.methods or set()) - {"HEAD", "OPTIONS"}}
        inner = getattr(route, "original_router", None) or getattr(route, "router", None)
        if inner is not None and inner is not route:
            found |= _api_routes(list(getattr(inner, "routes", [])))
    return found


def test_every_api_route_is_in_the_matrix(service: Service) -> None:
    app = create_app(service.ctx)
    documented = {f"{method.upper()} {path}" for path, ops in app.openapi()["paths"].items()
                  for method in ops if method in ("get", "post", "put", "patch", "delete")}
    declared = {r for r in documented | _api_routes(list(app.routes))
                if r.split(" ", 1)[1].startswith("/api/")}
    assert declared, "no /api/v1 routes found"
    missing = declared - set(PROBES)
    assert not missing, f"routes without rows in the authorization matrix: {sorted(missing)}"
    assert set(PROBES) <= declared, f"rows for routes that no longer exist: {sorted(set(PROBES) - declared)}"


@pytest.mark.slow
def test_authorization_matrix(service: Service, tmp_path: Path) -> None:
    w = _build_world(service, tmp_path)
    wrong = []
    for row in MATRIX:
        cells = [(MEX, row.on_mex)] if row.on_col == NA else [(MEX, row.on_mex), (COL, row.on_col)]
        for target, expected in cells:
            got = PROBES[row.route](w, row.caller, target)
            if got != expected:
                where = "" if row.on_col == NA else f" on the {target} submission"
                wrong.append(f"{row.route} as {row.caller}{where}: expected {expected!r}, got {got!r}")
    assert not wrong, "authorization matrix:\n" + "\n".join(wrong)

    leaks = [
        f"{label} as {caller} answered {r.status_code} with {code}'s text"
        for caller, label, r in w.responses
        for code, marker in w.markers.items()
        if not w.may_see(caller, code) and marker in r.text
    ]
    assert not leaks, "\n".join(leaks)
    # The secretariat and each delegation saw their text at least once: the leak check has teeth.
    assert any(w.markers[MEX] in r.text for c, _, r in w.responses if c == "mex_reviewer")
    assert any(w.markers[COL] in r.text for c, _, r in w.responses if c == "secretariat")
