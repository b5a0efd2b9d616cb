"""The clearance chain (drafter → reviewer → submitter) from the command line, as a reviewer at a
mission tried it: what sync says it sent, how a returned draft reads, who is told what."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp
from idm_desktop.server import accounts
from tests.cli.conftest import Result
from tests.server.conftest import PASSWORD, Service

Cli = Callable[..., Result]
TEXT = "We offer language courses in every city of the country."


@pytest.fixture
def ana(cli: Cli, service: Service, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The command line signed in as ana, a drafter of MEX (rita reviews, lucia submits)."""
    with service.ctx.db.write() as session:
        accounts.add_user(session, "ana", PASSWORD, ["drafter"], "MEX")
        accounts.add_user(session, "rita", PASSWORD, ["reviewer"], "MEX")
        accounts.add_user(session, "lucia", PASSWORD, ["submitter"], "MEX")
        accounts.set_delegation(session, "MEX", "required")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli("login", "--server", service.url, "--user", "ana", "--password-stdin").code == 0
    return cli


def _draft(cli: Cli, language: str = "en") -> str:
    sub = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "MEX",
              "--language", language, "--title", "Integración").out.strip()
    assert cli("submission", "edit", sub, "national_context", "--text", TEXT).code == 0
    return sub


def _as(name: str, tmp_path: Path, service: Service) -> DesktopApp:
    app = DesktopApp.open(tmp_path / name)
    app.sync.login(service.url, name, PASSWORD, device_name=name)
    return app


def test_sync_counts_review_actions_as_review_actions(ana: Cli) -> None:
    sub = _draft(ana)
    first = ana("sync", "--json").json["sync"]
    assert (first["pushed"], first["review_actions"]) == (1, 0)
    ana("comment", "add", sub, "national_context", "--quote", "every city", "--text", "All of them?")
    assert ana("submission", "request-review", sub, "--note", "Please read").code == 0
    res = ana("sync")
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    assert lines[0].endswith("sent 0 versions."), lines
    assert "2 review actions sent." in lines
    cid = ana("comment", "list", sub, "--json").json["comments"][0]["id"]
    ana("comment", "resolve", cid)
    assert "1 review action sent." in ana("sync").out.splitlines()


def _home(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Run the next commands on another person's computer."""
    monkeypatch.setenv("IDM_DESKTOP_HOME", str(home))


def _sign_in(cli: Cli, monkeypatch: pytest.MonkeyPatch, service: Service, name: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    res = cli("login", "--server", service.url, "--user", name, "--password-stdin")
    assert res.code == 0, res.err


def test_a_returned_draft_says_so_everywhere(ana: Cli, service: Service, monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    ana_home = Path(os.environ["IDM_DESKTOP_HOME"])
    sub = _draft(ana, "es")
    other = _draft(ana, "es")
    for ident in (sub, other):
        assert ana("submission", "request-review", ident).code == 0
    assert ana("sync").code == 0

    _home(monkeypatch, tmp_path / "rita")
    _sign_in(ana, monkeypatch, service, "rita")
    assert ana("sync").code == 0
    res = ana("submission", "return", sub, "--note", "Cite the decree")
    assert res.code == 0, res.err
    assert res.out.strip() == (
        f"{sub[:8]}: returned to its drafters with your note: “Cite the decree” (sent with the next sync)")
    assert ana("sync").code == 0

    _home(monkeypatch, ana_home)
    assert ana("sync").code == 0
    shown = ana("submission", "show", sub).out.splitlines()
    (line,) = [x for x in shown if x.startswith("Returned by")]
    assert line.startswith("Returned by rita on ")
    assert line.endswith(" with a note: “Cite the decree”")
    assert not any(x.startswith(("Draft again", "Note:")) for x in shown)
    for lang, word in (("en", "returned"), ("fr", "renvoyée"), ("es", "devuelta")):
        listed = ana("--lang", lang, "submission", "list").out.splitlines()
        (returned,) = [x for x in listed if x.startswith(sub[:8])]
        (waiting,) = [x for x in listed if x.startswith(other[:8])]
        assert f"  {word} " in returned, returned
        # The titles start in one column, whatever the length of the state's word ("en revisión").
        assert returned.index("Integración") == waiting.index("Integración"), (returned, waiting)
    # The drafter compares with the text as it was returned, and is told so.
    assert ana("submission", "edit", sub, "national_context", "--text", TEXT + " Decree 12/2005.").code == 0
    compared = ana("submission", "compare", sub, "--since-review").out.splitlines()
    assert compared[0].startswith("Since rita returned it to its drafters ("), compared
    assert any("{+ Decree 12/2005.+}" in line for line in compared), compared
    before = ana("submission", "compare", other, "--since-review").out.splitlines()
    assert before[0].startswith("Since it was sent for review ("), before


def test_a_drafter_s_refused_submit_is_worded_by_state_and_by_count(
        ana: Cli, service: Service, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    sub = _draft(ana)
    assert ana("sync").code == 0
    before = ana("submission", "submit", sub, "--force")
    assert (before.code, before.err) == (1, "idm-desktop: Only a submitter of your delegation can send it: "
                                            "lucia. Ask lucia to submit it once a reviewer has cleared it.\n")
    assert ana("submission", "request-review", sub).code == 0
    assert ana("sync").code == 0
    rita = _as("rita", tmp_path, service)
    try:
        rita.sync.run()
        rita.clearance.clear(sub, "Good")
        rita.sync.run()
    finally:
        rita.close()
    assert ana("sync").code == 0
    cleared = ana("submission", "submit", sub, "--force")
    # Cleared already: not told to wait for a clearance it has.
    assert (cleared.code, cleared.err) == (
        1, "idm-desktop: Only a submitter of your delegation can send it: lucia. Ask lucia to submit it.\n")


def test_a_comment_on_a_received_text_says_comments_are_closed_and_how_to_change_it(
        cli: Cli, service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    with service.ctx.db.write() as session:
        accounts.add_user(session, "beto", PASSWORD, ["drafter", "submitter"], "MEX")
    _sign_in(cli, monkeypatch, service, "beto")
    sub = _draft(cli)
    assert cli("submission", "submit", sub, "--force").code == 0
    assert cli("sync").code == 0
    assert cli("submission", "show", sub, "--json").json["submission"]["status"] == "received"
    res = cli("comment", "add", sub, "national_context", "--quote", "every city", "--text", "All?")
    assert res.code == 1
    assert res.err == (
        "idm-desktop: Comments are closed once a text is sent: this submission has been received. "
        f"To change it, prepare a correction: “idm-desktop submission correct {sub[:8]}”, or "
        "“Prepare a correction” in the window.\n")
    edit = cli("--lang", "es", "submission", "edit", sub, "national_context", "--text", "Otro.")
    assert edit.code == 1
    assert "Esta contribución ha sido recibida y ya no se puede modificar." in edit.err, edit.err
    assert f"submission correct {sub[:8]}" in edit.err


def test_reply_says_what_it_did_and_show_names_the_language(cli: Cli) -> None:
    sub = _draft(cli, "es")
    cid = cli("comment", "add", sub, "national_context", "--quote", "every city", "--text", "?").out.strip()
    res = cli("comment", "reply", cid[:8], "--text", "Yes")
    assert res.code == 0, res.err
    reply = cli("comment", "list", sub, "--json").json["comments"][0]["replies"][0]["id"]
    assert res.out.strip() == f"Replied to comment {cid[:8]} (reply {reply[:8]})."
    assert " — Spanish — " in cli("submission", "show", sub).out.splitlines()[1]
    assert " — español — " in cli("--lang", "es", "submission", "show", sub).out.splitlines()[1]
    assert " — espagnol — " in cli("--lang", "fr", "submission", "show", sub).out.splitlines()[1]


def test_workshops_of_2006_read_as_held_in_2026(cli: Cli) -> None:
    lines = cli("workshops").out.splitlines()
    (bangkok,) = [line for line in lines if "idm2006-environment" in line]
    assert " held " in bangkok, bangkok
    assert not any(word in line for line in lines for word in (" planned ", " tentative "))
    (es,) = [line for line in cli("--lang", "es", "workshops").out.splitlines()
             if "idm2006-environment" in line]
    assert " celebrado " in es, es


def test_every_history_says_the_text_was_submitted(ana: Cli, service: Service, tmp_path: Path) -> None:
    sub = _draft(ana)
    assert ana("submission", "request-review", sub).code == 0
    assert ana("sync").code == 0
    rita, lucia = _as("rita", tmp_path, service), _as("lucia", tmp_path, service)
    try:
        rita.sync.run()
        rita.clearance.clear(sub, "Good")
        rita.sync.run()
        lucia.sync.run()
        lucia.sync.submit(sub, force=True)
        lucia.sync.run()
        receipt = lucia.submission(sub)
        assert receipt.receipt_no is not None
        assert [e.reason.value for e in lucia.history(sub)].count("submit") == 1  # not twice
        rita.sync.run()
        (sent,) = [e for e in rita.history(sub) if e.reason.value == "submit"]
        assert (sent.author, sent.at) == ("lucia", receipt.received_at)
    finally:
        rita.close()
        lucia.close()
    assert ana("sync").code == 0
    history = ana("submission", "history", sub, "--json").json["history"]
    (sent_here,) = [e for e in history if e["reason"] == "submit"]
    assert sent_here["author"] == "lucia"
    assert any(" submitted " in line and "lucia" in line
               for line in ana("submission", "history", sub).out.splitlines())


def test_an_accepted_suggestion_names_who_suggested_and_who_accepted(
        ana: Cli, service: Service, tmp_path: Path) -> None:
    sub = _draft(ana)
    assert ana("submission", "request-review", sub).code == 0
    assert ana("sync").code == 0
    rita = _as("rita", tmp_path, service)
    try:
        rita.sync.run()
        rita.clearance.add_comment(sub, "national_context", "language courses", "Free?",
                                   suggestion="free language courses")
        rita.sync.run()
    finally:
        rita.close()
    assert ana("sync").code == 0
    cid = ana("comment", "list", sub, "--json").json["comments"][0]["id"]
    assert ana("comment", "accept", cid).code == 0
    last = ana("submission", "history", sub, "--json").json["history"][-1]
    assert (last["reason"], last["author"], last["suggested_by"]) == ("suggestion", "ana", "rita")
    lines = ana("submission", "history", sub).out.splitlines()
    assert any("suggestion by rita accepted by ana" in line for line in lines), lines
