"""The audit log as the secretariat reads it: actions in words of the page's language, the state
before and after as labelled values, failed sign-ins (desk and desktops) and what the command line
did, fifty entries a page with newer and older links."""

from __future__ import annotations

import io
import re
import sys

import pytest
from sqlalchemy import select

from idm_desktop.server import audit, cli
from idm_desktop.server.config import Settings
from idm_desktop.server.models import Notice
from tests.server.conftest import PASSWORD, Service
from tests.server.desk.helpers import desk_session, form_fields, sign_in_response
from tests.server.public import factory


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>")[:-1]]


def test_readable_actions_failed_sign_ins_and_the_command_line(
        service: Service, server_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    base = ["--home", str(server_settings.home), "--database-url", server_settings.database_url]
    assert cli.main([*base, "admin", "add-delegation", "FRA"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main([*base, "admin", "add-user", "amelie", "--role", "drafter", "--delegation", "FRA",
                     "--password-stdin"]) == 0
    wrong = sign_in_response(service.client(follow_redirects=False), "intruder", "not the password")
    assert wrong.status_code == 401
    assert service.client().post("/api/v1/auth/token", json={
        "username": "amelie", "password": "a wrong guess", "device_name": "x"}).status_code == 401
    receipt = factory.receive(service.ctx.db, country="MEX", language="en", title="One", body={"a": "b"})
    desk = desk_session(service)
    assert desk.post(f"/en/desk/submissions/{receipt}/publish", confirm="1").status_code == 303

    rows = _rows(desk.get("/en/desk/audit").text)
    assert rows[0].endswith(f"sec Policy overview published {receipt} Status: Received (not yet published) "
                            "Status: Published"), rows[0]
    assert "sec Signed in to the desk sec" in rows[1]
    assert "not signed in Failed sign-in from a desktop amelie – Address: 127.0.0.1" in rows[2]
    assert "not signed in Failed sign-in to the desk intruder – Address: 127.0.0.1" in rows[3]
    assert "command line User added amelie – Role: Drafter Roles: Drafter Delegation: France" in rows[4]
    assert "command line Delegation added FRA – On the board: yes" in rows[5]
    assert "not the password" not in desk.get("/en/desk/audit").text

    french = _rows(desk.get("/fr/desk/audit").text)
    assert "Aperçu des politiques publié" in french[0]
    assert "Statut : Publiée" in french[0]  # (the no-break space folded by _rows)
    assert "ligne de commande" in french[5]
    assert "sin sesión iniciada" in _rows(desk.get("/es/desk/audit").text)[3]


def test_fifty_a_page_with_newer_and_older(service: Service) -> None:
    with service.ctx.db.write() as session:
        for n in range(120):
            audit.record(session, "sec", "notice.withdraw", f"notice-{n:03d}", {"deleted": False},
                         {"deleted": True})
    desk = desk_session(service)  # one more: the sign-in
    first = desk.get("/en/desk/audit").text
    assert len(_rows(first)) == 50
    assert "121 actions – page 1 of 3" in first
    assert 'href="/en/desk/audit?page=2" rel="next">Older</a>' in first
    assert "Newer</a>" not in first
    last = desk.get("/en/desk/audit?page=3").text
    assert len(_rows(last)) == 21
    assert 'href="/en/desk/audit?page=2" rel="prev">Newer</a>' in last
    assert "Older</a>" not in last
    assert "notice-000" in last
    assert "Notice withdrawn" in last


def test_event_and_notice_changes_in_words(service: Service) -> None:
    """An event's dates with their precision, its deadline as Geneva reads it, workshops, languages and
    notices by name, and neutral labels for a withdrawal."""
    desk = desk_session(service)
    page = desk.get("/en/desk/events/idm2006-integration").text
    fields = form_fields(page, "/en/desk/events/idm2006-integration")
    fields.update({"start": "2006-07", "end": "2006-07", "deadline_date": "2027-01-15",
                   "deadline_time": "17:00"})
    assert desk.client.post("/en/desk/events/idm2006-integration", data=fields).status_code == 303
    with service.ctx.db.read() as session:
        (entry,), _ = audit.recent(session, limit=1, offset=0)
    assert entry.after["start"] == "2006-07"  # stored as typed
    row = _rows(desk.get("/en/desk/audit").text)[0]
    assert "Event edited Migrants and the Host Society: Partnerships for Success (2006)" in row
    assert "Last day: July 2006" in row
    assert "Deadline: 15 January 2027, 17:00 Geneva time (CET)" in row
    assert "Europe/Zurich" not in row
    assert desk.post("/en/desk/events/idm2006-integration/template",
                     template="idm-policy-overview@1").status_code == 303
    row = _rows(desk.get("/en/desk/audit").text)[0]
    assert "Template: Policy overview for the migration policy database – version 1" in row, row
    posted = desk.post("/en/desk/notices", workshop="idm2006-integration", text_en="Room change\nRoom 5.")
    assert posted.status_code == 303
    row = _rows(desk.get("/en/desk/audit").text)[0]
    assert "Workshop: Migrants and the Host Society: Partnerships for Success (2006)" in row
    with service.ctx.db.read() as session:
        (notice_id,) = session.scalars(select(Notice.id)).all()
    asked = desk.post(f"/en/desk/notices/{notice_id}/withdraw").text
    assert "Withdraw this notice?" in asked  # asked first, with its text
    assert "Room change" in asked
    assert desk.post(f"/en/desk/notices/{notice_id}/withdraw", confirm="1").status_code == 303
    row = _rows(desk.get("/en/desk/audit").text)[0]
    assert "Notice withdrawn Room change Withdrawal: no Withdrawal: yes" in row
    assert notice_id not in row
    assert "Retrait\u00a0: non" in desk.get("/fr/desk/audit").text
    assert "Retiro: no" in desk.get("/es/desk/audit").text


def test_a_page_past_the_end_says_so_and_sign_in_keeps_the_page(service: Service) -> None:
    desk = desk_session(service)
    past = desk.get("/en/desk/audit?page=99").text
    assert "No actions on this page: the log has 1 page." in past
    assert 'href="/en/desk/audit"' in past
    anonymous = service.client(follow_redirects=False)
    r = anonymous.get("/fr/desk/audit?page=2")
    assert r.status_code == 303
    assert "then=%2Ffr%2Fdesk%2Faudit%3Fpage%3D2" in r.headers["location"]
