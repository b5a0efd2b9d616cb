"""Events as the desk edits them: an event known only to the month is shown as that month and
stays so when saved unchanged; a day is stored only when the secretariat types one."""

from __future__ import annotations

import datetime as dt

from idm_desktop.core.workshops import DatePrecision
from idm_desktop.core.workshops import Workshop as CoreWorkshop
from idm_desktop.server.models import Workshop
from tests.server.conftest import Service
from tests.server.desk.helpers import Desk, desk_session, form_fields

COUNCIL = "idm2005-council-90"  # late November to early December 2005: the months only


def _stored(service: Service, ident: str) -> CoreWorkshop:
    with service.ctx.db.read() as session:
        row = session.get(Workshop, ident)
        assert row is not None
        return CoreWorkshop.from_dict(row.data)


def _save(desk: Desk, lang: str, ident: str, **changes: str) -> tuple[int, str]:
    page = desk.get(f"/{lang}/desk/events/{ident}").text
    fields = {**form_fields(page, f"/{lang}/desk/events/{ident}"), **changes}
    r = desk.client.post(f"/{lang}/desk/events/{ident}", data=fields)
    return r.status_code, r.text


def test_an_event_known_to_the_month_keeps_its_precision(service: Service) -> None:
    desk = desk_session(service)
    before = _stored(service, COUNCIL)
    assert before.date_precision is DatePrecision.MONTH
    events = desk.get("/en/desk/events").text
    assert "November–December 2005" in events
    assert "1 November 2005" not in events
    assert "noviembre–diciembre de 2005" in desk.get("/es/desk/events").text
    page = desk.get(f"/fr/desk/events/{COUNCIL}").text
    assert "novembre–décembre 2005" in page
    fields = form_fields(page, f"/fr/desk/events/{COUNCIL}")
    assert (fields["start"], fields["end"]) == ("2005-11", "2005-12")

    status, _ = _save(desk, "fr", COUNCIL)
    assert status == 303
    after = _stored(service, COUNCIL)
    assert after.date_precision is DatePrecision.MONTH
    assert (after.start, after.end) == (before.start, before.end)
    assert "November–December 2005" in desk.get("/en/desk/events").text

    # A day typed is a day known.
    assert _save(desk, "en", COUNCIL, start="2005-11-29", end="2005-12-02")[0] == 303
    exact = _stored(service, COUNCIL)
    assert exact.date_precision is DatePrecision.DAY
    assert (exact.start, exact.end) == (dt.date(2005, 11, 29), dt.date(2005, 12, 2))
    assert "29 November – 2 December 2005" in desk.get("/en/desk/events").text
    # And back to the months alone, never a day that was not given.
    assert _save(desk, "en", COUNCIL, start="2005-11", end="2005-12")[0] == 303
    assert _stored(service, COUNCIL).date_precision is DatePrecision.MONTH


def test_mixed_or_bad_dates_are_refused_with_nothing_changed(service: Service) -> None:
    desk = desk_session(service)
    before = _stored(service, COUNCIL)
    status, page = _save(desk, "en", COUNCIL, start="2005-11", end="2005-12-02")
    assert status == 400
    assert "Give both dates to the day" in page
    status, page = _save(desk, "en", COUNCIL, start="29/11/2005")
    assert status == 400
    assert "YYYY-MM" in page
    assert _stored(service, COUNCIL) == before
