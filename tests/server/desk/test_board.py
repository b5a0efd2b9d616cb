"""The status board lists the workshops that take submissions (a deadline, a template, or
something already sent), each with its dates, so that same-titled events are told apart."""

from __future__ import annotations

import re

from idm_desktop.server.events import templates
from tests.server.conftest import Service
from tests.server.desk.helpers import desk_session
from tests.server.public import factory


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>")[:-1]]


def test_only_workshops_that_take_submissions_with_their_dates(service: Service) -> None:
    desk = desk_session(service)
    rows = _rows(desk.get("/en/desk/").text)
    assert len(rows) == 1, rows  # the bundled catalog calls for submissions once
    assert rows[0].startswith("Migrants and the Host Society: Partnerships for Success 12–13 July 2006 ")
    assert "26 June 2006, 23:59 Geneva time (CEST)" in rows[0]
    assert "12–13 juillet 2006, Genève" in desk.get("/fr/desk/board/idm2006-integration").text
    # A meeting long past without a call for submissions has no board...
    home = desk.get("/en/desk/").text
    assert "Ninetieth Session of the IOM Council" not in home
    assert "Migration and Development" not in home

    # ... until something is sent to it, or it is given a template.
    factory.receive(service.ctx.db, country="MEX", language="en", title="Sent anyway", body={"a": "b"},
                    workshop_id="idm2006-training-migration-development")
    with service.ctx.db.read() as session:
        key = templates(session)[0][0]
    made = desk.post("/en/desk/events/idm2005-migration-development/template", template=key)
    assert made.status_code == 303
    rows = _rows(desk.get("/en/desk/").text)
    development = [r for r in rows if r.startswith("Migration and Development")]
    assert len(development) == 2
    assert any("2005" in r for r in development)
    assert any("12 May 2006" in r for r in development), development
    assert "Ninetieth Session of the IOM Council" not in desk.get("/en/desk/").text
    # Lists to choose from carry the year too.
    documents = desk.get("/en/desk/documents").text
    assert "Migration and Development (2005)</option>" in documents
    assert "Migration and Development (2006)</option>" in documents
