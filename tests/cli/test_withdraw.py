"""`submission withdraw ID --reason TEXT`, as a delegate meets it: the text sent and published is
taken back; after the command the desktop shows it withdrawn, the desk's queue too, and the public
policy database no longer has it. Bad input changes nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from idm_desktop.cli import main
from idm_desktop.server import publishing
from idm_desktop.server.models import Submission
from tests.server.conftest import PASSWORD, Service
from tests.server.desk.helpers import desk_session

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_withdraw_a_published_submission(service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("rita", "reviewer", "MEX")

    def cli(home: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--home", str(tmp_path / home), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    assert cli("a", "login", "--server", service.url, "--user", "ana", "--password-stdin",
               stdin=PASSWORD + "\n")[0] == 0
    sub_id = cli("a", "submission", "new", "--workshop", "idm2006-integration", "--country", "MEX",
                 "--language", "en")[1].strip()
    cli("a", "submission", "edit", sub_id, "national_context", "--text", "Our context.")
    code, _, err = cli("a", "submission", "withdraw", sub_id, "--reason", "Too early.")
    assert (code, err.strip()) == (1, "idm-desktop: Only a submission sent to the secretariat can be "
                                      "withdrawn; a draft is simply deleted.")
    code, out, err = cli("a", "submission", "submit", sub_id, "--force", "--json")
    assert code == 0, err
    receipt = json.loads(out)["receipt_no"]
    publishing.publish_submission(service.ctx.db, receipt)
    assert service.client().get(f"/en/submissions/{receipt}").status_code == 200

    # A reviewer's desktop may not withdraw; an empty reason is refused; nothing is queued.
    assert cli("r", "login", "--server", service.url, "--user", "rita", "--password-stdin",
               stdin=PASSWORD + "\n")[0] == 0
    assert cli("r", "sync")[0] == 0
    code, _, err = cli("r", "submission", "withdraw", sub_id, "--reason", "No.")
    assert (code, err.strip()) == (1, "idm-desktop: Only a submitter of your delegation may withdraw a "
                                      "submission: ask one.")
    code, _, err = cli("a", "submission", "withdraw", sub_id, "--reason", "  ")
    assert (code, err.strip()) == (1, "idm-desktop: Say why the submission is withdrawn: the secretariat "
                                      "reads the reason.")
    assert json.loads(cli("a", "status", "--json")[1])["status"]["outbox"] == []

    code, out, err = cli("a", "submission", "withdraw", sub_id, "--reason", "The ministry revises it.",
                         "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert (answer["withdrawn"], answer["pending"]) == (True, False)
    assert answer["reason"] == "The ministry revises it."
    assert answer["submission"]["status"] == "withdrawn"
    assert service.client().get(f"/en/submissions/{receipt}").status_code == 404
    desk = desk_session(service)
    assert receipt in desk.get("/en/desk/queue?show=all").text
    page = desk.get(f"/en/desk/submissions/{receipt}").text
    assert "Withdrawn by the delegation on" in page
    assert "The ministry revises it." in page
    # The reviewer's desktop learns it at its next sync; a second withdrawal is refused there.
    assert cli("r", "sync")[0] == 0
    shown = json.loads(cli("r", "submission", "show", sub_id, "--json")[1])["submission"]
    assert shown["status"] == "withdrawn"
    code, _, err = cli("a", "submission", "withdraw", sub_id, "--reason", "Again.")
    assert (code, err.strip()) == (1, "idm-desktop: This submission is already withdrawn.")


def test_a_withdrawal_made_offline_waits_in_the_outbox_and_goes_with_the_next_sync(
        service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from idm_desktop.app import DesktopApp

    service.add_user("ana", "drafter", "COL")
    home = tmp_path / "a"

    def cli(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--home", str(home), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    assert cli("login", "--server", service.url, "--user", "ana", "--password-stdin",
               stdin=PASSWORD + "\n")[0] == 0
    sub_id = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "COL",
                 "--language", "es")[1].strip()
    cli("submission", "edit", sub_id, "national_context", "--text", "Nuestro contexto.")
    code, out, err = cli("submission", "submit", sub_id, "--force", "--json")
    assert code == 0, err
    receipt = json.loads(out)["receipt_no"]
    # Queued here without a sync (as the window does, or a laptop on a plane).
    app = DesktopApp.open(home)
    try:
        assert app.sync.withdraw(sub_id, "Enviada por error.") is True
        assert app.sync.withdraw(sub_id, "Otra vez.") is False  # one waits already
        assert app.submission(sub_id).status.value == "received"
    finally:
        app.close()
    outbox = json.loads(cli("status", "--json")[1])["status"]["outbox"]
    assert [(i["kind"], i["submission_id"]) for i in outbox] == [("withdraw", sub_id)]
    with service.ctx.db.read() as session:
        row = session.get(Submission, sub_id)
        assert row is not None
        assert row.status == "received"  # the secretariat knows nothing yet
    code, out, err = cli("sync", "--json")
    assert code == 0, err
    assert json.loads(cli("submission", "show", sub_id, "--json")[1])["submission"]["status"] == "withdrawn"
    assert json.loads(cli("status", "--json")[1])["status"]["outbox"] == []
    with service.ctx.db.read() as session:
        row = session.get(Submission, sub_id)
        assert row is not None
        assert (row.status, row.receipt_no) == ("withdrawn", receipt)
        assert row.withdrawn_reason == "Enviada por error."
