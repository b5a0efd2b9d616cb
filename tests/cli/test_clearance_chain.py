"""The clearance chain (drafter → reviewer → submitter) from the command line, as a reviewer at a
mission tried it: what sync says it sent, how a returned draft reads, who is told what."""

from __future__ import annotations

import io
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
              "--language", language).out.strip()
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
