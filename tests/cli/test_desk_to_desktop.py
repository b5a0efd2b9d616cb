"""What the secretariat does on the desk reaches a delegate's desktop at its next sync: a document
uploaded, a deadline moved (the countdown changes), a new template made current for a workshop,
which the desktop offers and moves a draft to on request — a section renamed (same key) keeps its
text, a section removed keeps its text apart, shown, and sent."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from idm_desktop.cli import main
from idm_desktop.server.models import Submission
from tests.server.conftest import PASSWORD, Service
from tests.server.desk.helpers import desk_session

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
ROOT = Path(__file__).resolve().parents[2]
WORKSHOP = "idm2006-integration"


@pytest.fixture
def delegate(service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
             monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    service.add_user("ana", "drafter", "MEX")
    home = tmp_path / "ana"

    def cli(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--home", str(home), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    assert cli("login", "--server", service.url, "--user", "ana", "--password-stdin",
               stdin=PASSWORD + "\n")[0] == 0
    assert cli("sync")[0] == 0
    return cli


def test_document_and_deadline_reach_the_desktop(service: Service, delegate, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    desk = desk_session(service)
    note = tmp_path / "ic-2006-9.txt"
    note.write_text("Note on partnerships for integration.\n\nThe secretariat invites delegations to share "
                    "their experience of partnerships with local authorities.", encoding="utf-8")
    with note.open("rb") as fh:
        r = desk.client.post("/en/desk/documents", files={"file": (note.name, fh, "text/plain")}, data={
            "csrf": desk.csrf, "symbol": "IC/2006/9", "workshop": WORKSHOP, "language": "en",
            "languages": ["en", "fr"], "date": "2006-06-01", "kind": "discussion_note"})
    assert r.status_code == 303, r.text

    code, out, _ = delegate("workshops", "--json")
    before = next(w for w in json.loads(out)["workshops"] if w["id"] == WORKSHOP)["deadline"]
    new_day = (dt.datetime.now(dt.UTC) + dt.timedelta(days=10)).date()
    r = desk.post(f"/en/desk/events/{WORKSHOP}", start="2006-07-12", end="2006-07-13", city="Geneva",
                  venue="Palais des Nations", status="confirmed", deadline_date=new_day.isoformat(),
                  deadline_time="18:00", questions_en="How do partnerships help integration?")
    assert r.status_code == 303, r.text

    code, out, err = delegate("sync", "--json")
    assert code == 0, err
    code, out, _ = delegate("docs", "list", "--json")
    docs = {d["symbol"]: d for d in json.loads(out)["documents"]}
    assert docs["IC/2006/9"]["languages_available"] == ["en", "fr"]
    assert docs["IC/2006/9"]["workshop_id"] == WORKSHOP
    code, out, _ = delegate("docs", "show", "IC/2006/9", "--text")
    assert "partnerships with local authorities" in out
    code, out, _ = delegate("workshops", "--json")
    event = next(w for w in json.loads(out)["workshops"] if w["id"] == WORKSHOP)
    assert event["deadline"]["date"] == new_day.isoformat() != before["date"]
    assert event["deadline"]["days_left"] in (9, 10)  # counted in Geneva
    assert not event["deadline"]["passed"]
    assert event["venue"] == "Palais des Nations"
    assert event["guiding_questions"] == ["How do partnerships help integration?"]
    code, out, _ = delegate("--lang", "fr", "workshops")
    # A deadline before the end of its day says its hour (as French writes it).
    assert "18\u00a0h\u00a000 heure de Genève (CE" in out

    # A restart of the service seeds the bundled catalog again: the desk's edit stays.
    from idm_desktop.server.catalog import seed

    seed(service.ctx.db)
    code, out, _ = delegate("sync", "--json")
    code, out, _ = delegate("workshops", "--json")
    assert next(w for w in json.loads(out)["workshops"] if w["id"] == WORKSHOP)["deadline"]["date"] == \
        new_day.isoformat()


def test_newer_template_is_offered_and_a_draft_moved(service: Service, delegate, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = delegate("submission", "new", "--workshop", WORKSHOP, "--country", "MEX",
                            "--language", "en")
    sid = out.strip()
    delegate("submission", "edit", sid, "national_context", "--text", "Our national context.")
    delegate("submission", "edit", sid, "practices", "--text", "Good practice: language classes.")
    assert delegate("sync")[0] == 0

    # Version 2: "national_context" renamed (same key, new title), "practices" removed.
    v1 = json.loads((ROOT / "resources" / "templates" / "submission-v1.json").read_text(encoding="utf-8"))
    v2 = copy.deepcopy(v1)
    v2["version"] = 2
    v2["sections"] = [s for s in v2["sections"] if s["key"] != "practices"]
    v2["sections"][0]["title"] = {"en": "Context and priorities", "fr": "Contexte et priorités",
                                  "es": "Contexto y prioridades"}
    desk = desk_session(service)
    r = desk.client.post("/en/desk/templates", data={"csrf": desk.csrf},
                         files={"file": ("v2.json", json.dumps(v2).encode(), "application/json")})
    assert r.status_code == 303, r.text
    r = desk.post(f"/en/desk/events/{WORKSHOP}/template", template=f"{v1['id']}@2")
    assert r.status_code == 303

    assert delegate("sync")[0] == 0
    code, out, _ = delegate("submission", "show", sid, "--json")
    shown = json.loads(out)["submission"]
    assert shown["newer_template"] == {"id": v1["id"], "version": 2}  # offered, not forced
    assert shown["template"] == {"id": v1["id"], "version": 1}
    code, out, _ = delegate("submission", "show", sid)
    assert f"submission move-template {sid[:8]}" in out

    code, out, err = delegate("submission", "move-template", sid)
    assert code == 0, err
    assert "Kept apart (no section of this template): practices" in out
    code, out, _ = delegate("submission", "show", sid, "--json")
    moved = json.loads(out)["submission"]
    assert moved["template"] == {"id": v1["id"], "version": 2}
    assert moved["newer_template"] is None
    sections = {s["key"]: s for s in moved["sections"]}
    assert sections["national_context"]["title"] == "Context and priorities"
    assert sections["national_context"]["text"] == "Our national context."
    assert "practices" not in sections
    assert moved["kept"] == [{"key": "practices", "text": "Good practice: language classes."}]
    code, out, _ = delegate("submission", "show", sid)
    assert "Kept from the earlier template [practices]" in out
    assert "Good practice: language classes." in out
    code, out, _ = delegate("submission", "history", sid, "--json")
    assert json.loads(out)["history"][-1]["reason"] == "template"

    # Sent as it is: the service keeps the text the new template has no section for.
    code, out, err = delegate("sync", "--json")
    assert code == 0, err
    assert json.loads(out)["sync"]["failures"] == []
    with service.ctx.db.read() as session:
        row = session.get(Submission, sid)
        assert row is not None
        assert row.template_version == 2
        assert row.body["practices"] == "Good practice: language classes."
    # A new submission for the workshop starts on its current template.
    code, out, _ = delegate("submission", "new", "--workshop", WORKSHOP, "--country", "MEX",
                            "--language", "fr", "--json")
    assert json.loads(out)["submission"]["template"] == {"id": v1["id"], "version": 2}
