"""Who gets what from the desk: only a signed-in secretariat user; forms need their session's CSRF
token; a session ends when idle; the sign-in budget is the protocol's; every action is audited;
drafts never show."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from idm_desktop.server.models import AuditEntry, DeskSession, Submission
from tests.server.conftest import PASSWORD, Service
from tests.server.desk.helpers import csrf_of, desk_session, sign_in_response
from tests.server.public import factory
from tests.server.public.flow import make

PAGES = ["/en/desk/", "/fr/desk/board/idm2006-integration", "/en/desk/board/idm2006-integration.csv",
         "/es/desk/queue", "/en/desk/delegations", "/en/desk/audit", "/en/desk/documents", "/fr/desk/events",
         "/en/desk/events/idm2006-integration", "/en/desk/templates", "/es/desk/notices", "/en/desk/accounts"]
POSTS = ["/en/desk/delegations", "/en/desk/documents", "/en/desk/events",
         "/en/desk/events/idm2006-integration", "/en/desk/events/idm2006-integration/template",
         "/en/desk/templates", "/en/desk/notices", "/en/desk/accounts", "/en/desk/accounts/dora/password",
         "/en/desk/accounts/dora/revoke"]


def audit_actions(service: Service) -> list[tuple[str, str, str]]:
    with service.ctx.db.read() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.username, e.action, e.target) for e in entries]


def test_anonymous_drafter_and_reviewer_get_nothing(service: Service) -> None:
    drafter = service.account("dora", "drafter", "MEX")
    service.account("rey", "reviewer", "MEX")
    received = factory.receive(service.ctx.db, country="MEX", language="en", title="Sent", body={"a": "b"})
    anonymous = service.client(follow_redirects=False)
    with_token = service.client(follow_redirects=False, headers=drafter.headers)
    for client in (anonymous, with_token):
        for path in [*PAGES, f"/en/desk/submissions/{received}", f"/en/desk/submissions/{received}.pdf"]:
            r = client.get(path)
            assert r.status_code == 303, path
            assert r.headers["location"].startswith(f"/{path.split('/')[1]}/desk/sign-in?")
        for path in [f"/en/desk/submissions/{received}/publish", *POSTS]:
            r = client.post(path, data={"csrf": "x"})
            assert r.status_code == 303, path
            assert "/desk/sign-in?" in r.headers["location"]
    # A delegate's right password opens nothing, and is answered as a wrong one.
    for who in ("dora", "rey"):
        c = service.client(follow_redirects=False)
        r = sign_in_response(c, who)
        assert r.status_code == 401
        assert "Wrong user name or password" in r.text
        assert "idm_desk=" not in r.headers.get("set-cookie", "")
        assert c.get("/en/desk/").status_code == 303
    with service.ctx.db.read() as session:
        status = session.scalar(select(Submission.status).where(Submission.receipt_no == received))
    assert status == "received"
    # Unknown desk addresses: the sign-in page without a session, the desk's own 404 with one.
    assert anonymous.get("/en/desk/nothing-here").status_code == 303
    desk = desk_session(service, "sec")
    missing = desk.get("/fr/desk/nothing-here")
    assert missing.status_code == 404
    assert "Bureau du secrétariat" in missing.text
    assert desk.get("/en/desk/submissions/IDM-2026-XXX-00001").status_code == 404


def test_cookie_flags_and_sign_out(service: Service) -> None:
    service.add_user("sec", "secretariat", None)
    c = service.client(follow_redirects=False)
    r = sign_in_response(c, "sec")
    assert r.status_code == 303
    cookie = next(v for v in r.headers.get_list("set-cookie") if v.startswith("idm_desk="))
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain http here
    home = c.get("/en/desk/")
    assert home.headers["cache-control"] == "no-store"
    assert "script" not in home.text.lower()
    r = c.post("/en/desk/sign-out", data={"csrf": csrf_of(home.text)})
    assert r.status_code == 303
    assert c.get("/en/desk/").status_code == 303
    assert ("sec", "desk.sign_out", "sec") in audit_actions(service)


def test_secure_cookie_behind_https(server_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from idm_desktop.server.context import ServerContext
    from tests.server.conftest import LiveServer

    settings = dataclasses.replace(server_settings, trust_forwarded_for=True)
    ctx = ServerContext.open(settings)
    live = LiveServer(ctx).start()
    try:
        svc = Service(live)
        svc.add_user("sec", "secretariat", None)
        c = svc.client(follow_redirects=False, headers={"X-Forwarded-Proto": "https"})
        page = c.get("/en/desk/sign-in")
        assert "Secure" in page.headers["set-cookie"]
        token = csrf_of(page.text)
        # httpx keeps a Secure cookie to https: the browser behind the proxy would send it back.
        r = c.post("/en/desk/sign-in", headers={"Cookie": f"idm_desk_signin={token}"},
                   data={"username": "sec", "password": PASSWORD, "csrf": token})
        assert r.status_code == 303
        cookie = next(v for v in r.headers.get_list("set-cookie") if v.startswith("idm_desk="))
        assert "Secure" in cookie
        for c in svc.clients:
            c.close()
    finally:
        live.stop()
        ctx.close()


def test_forms_need_this_sessions_csrf_token(service: Service) -> None:
    received = factory.receive(service.ctx.db, country="MEX", language="en", title="Sent", body={"a": "b"})
    one = desk_session(service, "sec")
    other = desk_session(service, "sec2")
    assert one.csrf != other.csrf
    path = f"/en/desk/submissions/{received}/publish"
    assert one.client.post(path, data={}).status_code == 403
    assert one.client.post(path, data={"csrf": other.csrf}).status_code == 403
    assert one.client.post("/en/desk/delegations", data={"iso3": "FRA", "csrf": ""}).status_code == 403
    with service.ctx.db.read() as session:
        status = session.scalar(select(Submission.status).where(Submission.receipt_no == received))
    assert status == "received"
    assert not [a for a in audit_actions(service) if a[1] in ("submission.publish", "delegation.add")]
    # The sign-in form has its own token too.
    c = service.client(follow_redirects=False)
    c.get("/en/desk/sign-in")
    r = c.post("/en/desk/sign-in", data={"username": "sec", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403
    assert one.post(path, confirm="1").status_code == 303


def test_idle_session_ends(service: Service) -> None:
    desk = desk_session(service, "sec")
    assert desk.get("/en/desk/").status_code == 200
    with service.ctx.db.write() as session:
        session.execute(update(DeskSession).values(
            last_seen_at=dt.datetime.now(dt.UTC) - service.ctx.settings.desk_idle - dt.timedelta(seconds=5)))
    r = desk.get("/en/desk/audit")
    assert r.status_code == 303
    assert "expired=1" in r.headers["location"]
    assert "ended" in desk.client.get(r.headers["location"]).text
    with service.ctx.db.read() as session:
        assert session.scalar(select(DeskSession.id_hash)) is None
    assert desk.get("/en/desk/").status_code == 303


@pytest.fixture
def patient_service(server_settings):  # type: ignore[no-untyped-def]
    """A service whose first sign-in wait is a minute, so a slow machine cannot outlast it."""
    import dataclasses

    from tests.server.conftest import running_service

    with running_service(dataclasses.replace(server_settings, login_backoff=dt.timedelta(minutes=1))) as svc:
        yield svc


def test_sign_in_budget_is_the_protocols(patient_service: Service) -> None:
    service = patient_service
    service.add_user("sec", "secretariat", None)
    c = service.client(follow_redirects=False)
    codes = [sign_in_response(c, "sec", password="wrong password!").status_code for _ in range(7)]
    assert 429 in codes, codes
    # The protocol's sign-in for the same user from the same address now waits too.
    r = service.client().post("/api/v1/auth/token",
                              json={"username": "sec", "password": PASSWORD, "device_name": "x"})
    assert r.status_code == 429


def test_every_action_lands_in_the_audit_log(service: Service) -> None:
    db = service.ctx.db
    one = factory.receive(db, country="MEX", language="en", title="One", body={"a": "b"})
    two = factory.receive(db, country="FRA", language="fr", title="Deux", body={"a": "b"})
    desk = desk_session(service, "sec")
    assert desk.post("/en/desk/delegations", iso3="MEX").status_code == 303
    assert desk.post("/en/desk/delegations/MEX", active="0", confirm="1").status_code == 303
    assert desk.post(f"/en/desk/submissions/{one}/publish", confirm="1").status_code == 303
    assert desk.post(f"/en/desk/submissions/{one}/unpublish", text="Wrong file",
                     confirm="1").status_code == 303
    assert desk.post(f"/en/desk/submissions/{two}/return", text="Section 2 is empty.",
                     confirm="1").status_code == 303
    log = audit_actions(service)
    assert [a for a in log if a[0] == "sec"] == [
        ("sec", "desk.sign_in", "sec"), ("sec", "delegation.add", "MEX"),
        ("sec", "delegation.deactivate", "MEX"), ("sec", "submission.publish", one),
        ("sec", "submission.unpublish", one), ("sec", "submission.return", two)]
    with db.read() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None
        assert (last.before, last.after) == ({"status": "received"},
                                             {"status": "returned", "note": "Section 2 is empty."})
    page = desk.get("/en/desk/audit").text
    for action in ("submission.publish", "submission.unpublish", "submission.return", "delegation.add"):
        assert action in page
    assert "Section 2 is empty." in page


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_board_never_reveals_a_draft(service: Service) -> None:
    amelie = service.account("amelie", "drafter", "FRA")
    make(service, amelie, title="Brouillon secret", submit=False,
         sections={"national_context": "Texte jamais envoyé."})
    desk = desk_session(service, "sec")
    desk.post("/en/desk/delegations", iso3="FRA")
    pages = [desk.get(p) for p in (*PAGES, "/en/desk/queue?show=all")]
    for r in pages:
        assert r.status_code == 200
        assert "Brouillon secret" not in r.text
        assert "jamais envoyé" not in r.text
    board = desk.get("/en/desk/board/idm2006-integration.csv").text
    assert "FRA,France,none,No submission" in board


def test_accounts_from_the_desk(service: Service) -> None:
    dora = service.account("dora", "drafter", "MEX")
    api = service.client(headers=dora.headers)
    assert api.get("/api/v1/changes").status_code == 200
    desk = desk_session(service, "sec")
    assert desk.post("/en/desk/accounts/dora/revoke", confirm="1").status_code == 303
    assert api.get("/api/v1/changes").status_code == 401
    r = desk.post("/en/desk/accounts", name="rey", role="reviewer", delegation="MEX", password="short")
    assert r.status_code == 400
    assert "too short" in r.text
    assert desk.post("/en/desk/accounts", name="rey", role="reviewer", delegation="MEX",
                     password=PASSWORD).status_code == 303
    new = "a new long password"
    assert desk.post("/en/desk/accounts/rey/password", password=new, password_again=new,
                     confirm="1").status_code == 303
    sign = service.client().post("/api/v1/auth/token", json={"username": "rey", "password": PASSWORD,
                                                             "device_name": "x"})
    assert sign.status_code == 401
    sign = service.client().post("/api/v1/auth/token", json={
        "username": "rey", "password": "a new long password", "device_name": "x"})
    assert sign.status_code == 200
    page = desk.get("/en/desk/accounts").text
    assert "rey" in page
    log = audit_actions(service)
    assert ("sec", "account.revoke_tokens", "dora") in log
    assert ("sec", "account.add", "rey") in log
    assert ("sec", "account.reset_password", "rey") in log
    with service.ctx.db.read() as session:
        entries = session.scalars(select(AuditEntry)
                                  .where(AuditEntry.action == "account.reset_password")).all()
    assert all("new long password" not in str(e.after) for e in entries)  # no password in the log
