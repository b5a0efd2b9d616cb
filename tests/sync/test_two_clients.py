"""Two delegates' computers and one real idm-server: what one drafts, the other sees; edits to
different sections merge; the same section becomes a conflict; submit gives both the receipt."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp
from idm_desktop.core.merge import TITLE_KEY
from tests.server.conftest import PASSWORD, Service


def _client(tmp_path: Path, name: str, service: Service, user: str) -> DesktopApp:
    app = DesktopApp.open(tmp_path / name)
    app.sync.login(service.url, user, PASSWORD, device_name=name)
    return app


@pytest.fixture
def pair(service: Service, tmp_path: Path):  # type: ignore[no-untyped-def]
    service.add_user("ana", "drafter", "MEX")
    service.add_user("luis", "drafter", "MEX")
    a = _client(tmp_path, "a", service, "ana")
    b = _client(tmp_path, "b", service, "luis")
    yield a, b
    a.close()
    b.close()


def test_a_draft_travels_merges_conflicts_and_is_submitted(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    sub = a.new_submission("idm2006-integration", "MEX", "es", "Integración")
    a.edit(sub.id, {"national_context": "Contexto A."})
    assert a.sync.status().summary.waiting == 1
    report = a.sync.run()
    assert report.pushed == 1
    assert a.sync.status().summary.waiting == 0

    b.sync.run()
    seen = b.submission(sub.id)
    assert seen.text_of("national_context") == "Contexto A."
    assert seen.title == "Integración"

    # different sections: merged without a word
    a.edit(sub.id, {"policy_framework": "Marco A."})
    b.edit(sub.id, {"institutions": "Instituciones B."})
    a.sync.run()
    report = b.sync.run()
    assert report.conflicts == 0
    a.sync.run()
    for app in (a, b):
        got = app.submission(sub.id)
        assert got.text_of("policy_framework") == "Marco A."
        assert got.text_of("institutions") == "Instituciones B."

    # the same section: a conflict that keeps both texts until resolved
    a.edit(sub.id, {"national_context": "Versión de Ana."})
    b.edit(sub.id, {"national_context": "Versión de Luis."})
    a.sync.run()
    report = b.sync.run()
    assert report.conflicts == 1
    (conflict,) = b.sync.conflicts(sub.id)
    assert (conflict.key, conflict.mine, conflict.theirs) == (
        "national_context", "Versión de Luis.", "Versión de Ana.")
    assert b.sync.status().summary.conflicts == 1
    assert b.submission(sub.id).text_of("national_context") == "Versión de Luis."  # nothing lost
    assert b.sync.resolve(sub.id, "national_context", "Versión común.") == 0
    b.sync.run()
    a.sync.run()
    assert a.submission(sub.id).text_of("national_context") == "Versión común."

    # submit: frozen here, receipt from the server, seen by the other computer too
    for key in ("partnerships", "practices"):
        b.edit(sub.id, {key: "Texto. " * 400})
    b.sync.submit(sub.id, force=True)
    report = b.sync.run()
    assert len(report.receipts) == 1
    receipt = report.receipts[0][1]
    assert b.submission(sub.id).receipt_no == receipt
    a.sync.run()
    mine = a.submission(sub.id)
    assert (mine.status.value, mine.receipt_no) == ("received", receipt)
    assert b.sync.status().summary.waiting == 0


def test_no_op_sync_is_one_request(pair) -> None:  # type: ignore[no-untyped-def]
    a, _b = pair
    a.sync.run()
    report = a.sync.run()
    assert report.requests == 1
    assert report.pulled == 0


def test_a_quiet_sync_is_told_the_server_information_has_not_changed(
        pair, service: Service, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    """After each sync the desktop asks the server what it says of the account (roles, policy,
    keys): answered 304, without a body, while nothing changed; a change is taken in next time."""
    from idm_desktop.core.clearance import Role
    from idm_desktop.server import accounts

    a, _b = pair
    caplog.set_level(logging.INFO, logger="idm_server.access")
    a.sync.run()
    caplog.clear()
    a.sync.run()
    deadline = time.monotonic() + 5  # the access line is written once the answer has gone
    while time.monotonic() < deadline:
        answers = [json.loads(r.getMessage()) for r in caplog.records if r.name == "idm_server.access"]
        infos = [x["status"] for x in answers if x["path"] == "/api/v1/info"]
        if infos:
            break
        time.sleep(0.02)
    assert infos == [304]
    assert Role.REVIEWER not in a.clearance.roles()
    with service.ctx.db.write() as session:
        accounts.set_roles(session, "ana", ["drafter", "reviewer"])
    a.sync.run()
    assert Role.REVIEWER in a.clearance.roles()


def test_title_conflict_key(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    sub = a.new_submission("idm2006-integration", "MEX", "en", "Start")
    a.sync.run()
    b.sync.run()
    a.edit(sub.id, title="Title A")
    b.edit(sub.id, title="Title B")
    a.sync.run()
    b.sync.run()
    assert [c.key for c in b.sync.conflicts(sub.id)] == [TITLE_KEY]
