"""`submission show` reads a current library file with sqlite3 alone (no SQLAlchemy), and prints
exactly what the full way prints, text and --json, in English, French and Spanish: a draft never
sent, drafts with review actions waiting in the outbox, a draft in review, a cleared one, a
returned one, a sent one, one withdrawn offline (waiting in the outbox) and one withdrawn."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp, Library
from idm_desktop.cli import main
from tests.server.conftest import PASSWORD, Service

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_submission_show_reads_the_same_the_quick_way(service: Service, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("rita", "reviewer", "MEX")

    def cli(home: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--home", str(tmp_path / home), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    def draft(language: str, text: str = "Our context and priorities.") -> str:
        sub = cli("a", "submission", "new", "--workshop", "idm2006-integration", "--country", "MEX",
                  "--language", language)[1].strip()
        assert cli("a", "submission", "edit", sub, "national_context", "--text", text)[0] == 0
        return sub

    for home, user in (("a", "ana"), ("r", "rita")):
        assert cli(home, "login", "--server", service.url, "--user", user, "--password-stdin",
                   stdin=PASSWORD + "\n")[0] == 0
    subs = {name: draft(lang) for name, lang in (
        ("cleared", "en"), ("returned", "fr"), ("in review", "es"), ("sent", "en"), ("withdrawn", "fr"),
        ("withdrawn offline", "es"))}
    for name in ("cleared", "returned", "in review"):
        assert cli("a", "submission", "request-review", subs[name], "--note", "Please read")[0] == 0
    assert cli("a", "sync")[0] == 0
    assert cli("r", "sync")[0] == 0
    assert cli("r", "submission", "clear", subs["cleared"], "--note", "Fine")[0] == 0
    assert cli("r", "submission", "return", subs["returned"], "--note", "Say more about 2005")[0] == 0
    assert cli("r", "comment", "add", subs["in review"], "national_context", "--quote", "context",
               "--text", "Which one?")[0] == 0
    assert cli("r", "sync")[0] == 0
    assert cli("a", "sync")[0] == 0
    for name in ("sent", "withdrawn", "withdrawn offline"):
        code, _out, err = cli("a", "submission", "submit", subs[name], "--force")
        assert code == 0, err
    reason = "The ministry revises it."
    assert cli("a", "submission", "withdraw", subs["withdrawn"], "--reason", reason)[0] == 0
    app = DesktopApp.open(tmp_path / "a")
    try:  # withdrawn offline: waits in the outbox
        assert app.sync.withdraw(subs["withdrawn offline"], "Enviada por error.") is True
    finally:
        app.close()
    # Waiting in the outbox, never sent: a new draft, a request for review and an edit.
    subs["never sent"] = draft("en", "Only here.")
    subs["asked offline"] = draft("fr", "Notre contexte.")
    assert cli("a", "submission", "request-review", subs["asked offline"])[0] == 0
    assert cli("a", "submission", "edit", subs["returned"], "policy_framework", "--text", "More.")[0] == 0

    statuses = {}
    for name, sub in subs.items():
        for lang in ("en", "fr", "es"):
            for extra in ((), ("--json",)):
                argv = ("--lang", lang, "submission", "show", sub[:8], *extra)
                quick = cli("a", *argv)
                with monkeypatch.context() as m:  # the full way: SQLAlchemy, as before
                    m.setattr(Library, "quick_read", lambda self: contextlib.nullcontext(None))
                    full = cli("a", *argv)
                assert quick == full, (name, lang, extra)
                assert quick[0] == 0, quick[2]
                if extra and lang == "en":
                    statuses[name] = json.loads(quick[1])["submission"]["status"]
    assert statuses == {"cleared": "cleared", "returned": "draft", "in review": "in_review",
                        "sent": "received", "withdrawn": "withdrawn", "withdrawn offline": "received",
                        "never sent": "draft", "asked offline": "in_review"}
    # A prefix that matches nothing, or too short a one, is told the same way.
    for ident in ("ffffffff", "ab"):
        quick = cli("a", "submission", "show", ident)
        with monkeypatch.context() as m:
            m.setattr(Library, "quick_read", lambda self: contextlib.nullcontext(None))
            assert cli("a", "submission", "show", ident) == quick
        assert quick[0] == 1

    app = DesktopApp.open(tmp_path / "a", lazy=True)
    try:  # and the quick way was the one taken: the library was never opened the full way
        for sub in subs.values():
            app.clearance.clearance(sub)
            app.newer_template(app.submission(sub))
            app.template_of(app.submission(sub))
            app.sync.conflicts(sub)
        assert app.library._db is None
    finally:
        app.close()
