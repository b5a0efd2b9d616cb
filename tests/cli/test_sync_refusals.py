"""What the server refuses reaches the user in the user's language and never loses work. Text a Word
import could not place is the drafters' working area: it never blocks a sync, a pull or a merge keeps
it, and a submit is refused (by the check, and by the server) while it holds text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from idm_desktop.cli import main
from tests.server.conftest import PASSWORD, Service
from tests.support.word_drafts import write_draft

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_not_placed_text_syncs_survives_a_merge_and_stops_a_submit(
        service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "CHE")
    service.add_user("ben", "drafter", "CHE")

    def cli(home: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--home", str(tmp_path / home), "--lang", "fr", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    def not_placed(home: str, sub_id: str) -> str:
        shown = json.loads(cli(home, "submission", "show", sub_id, "--json")[1])
        return str(shown["submission"]["not_placed"])

    for home, user in (("a", "ana"), ("b", "ben")):
        assert cli(home, "login", "--server", service.url, "--user", user, "--password-stdin",
                   stdin=PASSWORD + "\n")[0] == 0
    sub_id = cli("a", "submission", "new", "--workshop", "idm2006-integration", "--country", "CHE",
                 "--language", "fr")[1].strip()
    assert cli("a", "submission", "import-docx", sub_id, str(write_draft("fr", tmp_path / "p.docx")))[0] == 0
    waiting = not_placed("a", sub_id)
    assert "Projet" in waiting

    code, out, err = cli("a", "sync", "--json")
    assert code == 0, err
    report = json.loads(out)["sync"]
    assert (report["pushed"], report["waiting"], report["conflicts"]) == (1, 0, 0)
    assert not_placed("a", sub_id) == waiting

    # Another computer of the delegation gets it; edits on both sides merge and keep it.
    assert cli("b", "sync")[0] == 0
    assert not_placed("b", sub_id) == waiting
    cli("b", "submission", "edit", sub_id, "national_context", "--text", "Contexte revu.")
    assert cli("b", "sync")[0] == 0
    cli("a", "submission", "edit", sub_id, "partnerships", "--text", "Partenariats revus.")
    code, _, err = cli("a", "sync")
    assert code == 0, err
    assert not_placed("a", sub_id) == waiting
    shown = json.loads(cli("a", "submission", "show", sub_id, "--json")[1])["submission"]
    sections = {s["key"]: s["text"] for s in shown["sections"]}
    assert (sections["national_context"], sections["partnerships"]) == ("Contexte revu.",
                                                                        "Partenariats revus.")

    # The check refuses a submit; forced past the check, the server refuses it too, in French.
    assert cli("a", "submission", "submit", sub_id)[0] != 0
    assert "not_placed" in cli("a", "submission", "check", sub_id, "--json")[1]
    cli("a", "submission", "submit", sub_id, "--force")
    cli("a", "sync")
    refused = json.loads(cli("a", "status", "--json")[1])["status"]["outbox"]
    assert [(i["kind"], i["failed"]) for i in refused] == [("submit", True)]
    assert "n’a pas pu placer" in refused[0]["reason"]
    assert json.loads(cli("a", "submission", "show", sub_id, "--json")[1])["submission"]["receipt_no"] is None


def test_the_sync_report_gives_the_servers_refusals_in_the_users_language(
        service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "CHE")

    def cli(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--home", str(tmp_path / "a"), "--lang", "fr", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    assert cli("login", "--server", service.url, "--user", "ana", "--password-stdin",
               stdin=PASSWORD + "\n")[0] == 0
    sub_id = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "MEX",
                 "--language", "fr")[1].strip()
    cli("submission", "edit", sub_id, "national_context", "--text", "Contexte.")
    _, out, err = cli("sync")
    assert "Non effectué\u00a0: Une délégation n’écrit" in out + err, out + err
    assert "A delegation writes" not in out + err
    assert json.loads(cli("sync", "--json")[1])["sync"]["failures"] == []  # told once, then waits in status
