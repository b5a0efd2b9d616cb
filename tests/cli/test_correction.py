"""Return for correction, as a delegate meets it: the desk returns a received submission with a
note; after a sync the desktop shows the note; `submission correct ID` makes a new draft with the
text copied and `supersedes` set; once submitted it reaches the desk's queue linked to the old one."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from idm_desktop.cli import main
from idm_desktop.server import publishing
from tests.server.conftest import PASSWORD, Service
from tests.server.desk.helpers import desk_session

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, home: Path, *args: str,
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--home", str(home), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_returned_submission_is_corrected_from_the_desktop(
        service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "MEX")
    home = tmp_path / "a"

    def cli(*args: str, stdin: str = "") -> tuple[int, str, str]:
        return run(capsys, monkeypatch, home, *args, stdin=stdin)

    assert cli("login", "--server", service.url, "--user", "ana", "--password-stdin",
               stdin=PASSWORD + "\n")[0] == 0
    sub_id = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "MEX",
                 "--language", "en")[1].strip()
    cli("submission", "edit", sub_id, "national_context", "--text", "Our context.")
    cli("submission", "edit", sub_id, "policy_framework", "--text", "Our laws.")
    assert cli("sync")[0] == 0
    code, out, err = cli("submission", "submit", sub_id, "--force", "--json")
    assert code == 0, err
    receipt = json.loads(out)["receipt_no"]

    # Not yet returned: nothing to correct from here but a sent text, and it may be corrected.
    code, _, err = cli("submission", "correct", "nonexistent")
    assert code == 1
    assert err.strip()

    desk = desk_session(service)
    returned = desk.post(f"/en/desk/submissions/{receipt}/return", text="Please add your partnerships.",
                         confirm="1")
    assert returned.status_code == 303
    assert cli("sync")[0] == 0
    code, out, _ = cli("submission", "show", sub_id, "--json")
    shown = json.loads(out)["submission"]
    assert (shown["status"], shown["return_note"]) == ("returned", "Please add your partnerships.")
    code, out, _ = cli("submission", "show", sub_id)
    assert "returned it for correction: “Please add your partnerships.”" in out
    assert f"idm-desktop submission correct {sub_id[:8]}" in out

    code, out, err = cli("submission", "correct", sub_id)
    assert code == 0, err
    new_id = out.strip()
    assert new_id != sub_id
    code, out, _ = cli("submission", "show", new_id, "--json")
    draft = json.loads(out)["submission"]
    assert (draft["status"], draft["supersedes"]) == ("draft", sub_id)
    assert {s["key"]: s["text"] for s in draft["sections"]}["policy_framework"] == "Our laws."
    # One correction per sent text.
    code, _, err = cli("submission", "correct", sub_id)
    assert code == 1
    assert new_id in err

    cli("submission", "edit", new_id, "partnerships", "--text", "With business and civil society.")
    assert cli("sync")[0] == 0
    code, out, err = cli("submission", "submit", new_id, "--force", "--json")
    assert code == 0, err
    new_receipt = json.loads(out)["receipt_no"]
    queue = desk.get("/en/desk/queue").text
    assert new_receipt in queue
    assert f'href="/en/desk/submissions/{receipt}"' in queue
    publishing.publish_submission(service.ctx.db, new_receipt)
    assert cli("sync")[0] == 0
    code, out, _ = cli("submission", "show", sub_id, "--json")
    assert json.loads(out)["submission"]["superseded_by"] == new_id
