"""``idm-server admin``: what the secretariat types on the server's machine, and what it sees."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from idm_desktop.core.resources import resource
from idm_desktop.server import cli

PASSWORD = "a long enough password"
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class Admin:
    """Runs ``idm-server [--home H] [--database-url U] ...`` in this process."""

    def __init__(self, home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                 database_url: str | None = None) -> None:
        self.base = ["--home", str(home)] + (["--database-url", database_url] if database_url else [])
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
        self.capsys.readouterr()
        if stdin is not None:
            self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = cli.main([*self.base, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str, stdin: str | None = None) -> Any:
        code, out, err = self("--json", *args, stdin=stdin)
        assert code == 0, err
        return json.loads(out)

    def add_user(self, name: str, *how: str, password: str = PASSWORD) -> tuple[int, str, str]:
        return self("admin", "add-user", name, *how, "--password-stdin", stdin=password + "\n")


@pytest.fixture(autouse=True)
def _no_server_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("IDM_SERVER_"):
            monkeypatch.delenv(name)


@pytest.fixture
def admin(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Admin:
    return Admin(tmp_path / "server", capsys, monkeypatch)


def _one_error_line(err: str) -> str:
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert err.startswith("idm-server: ")
    assert "Traceback" not in err
    return err


# -- users -----------------------------------------------------------------------------------------

def test_add_user_and_list_users(admin: Admin) -> None:
    code, out, err = admin.add_user("ana", "--delegation", "mex", "--role", "drafter")
    assert (code, err) == (0, "")
    assert out == "Added ana (drafter, MEX).\n"
    assert admin.add_user("sec", "--secretariat", "--role", "secretariat")[0] == 0
    added = admin.json("admin", "add-user", "rita", "--delegation", "COL", "--role", "reviewer",
                       "--password-stdin", stdin=PASSWORD + "\n")
    assert added == {"user": "rita", "role": "reviewer", "roles": ["reviewer"], "delegation": "COL"}
    code, out, _ = admin("admin", "list-users")
    assert code == 0
    assert [line.split() for line in out.splitlines()] == [
        ["ana", "drafter", "MEX"], ["rita", "reviewer", "COL"], ["sec", "secretariat", "-"]]
    assert admin.json("admin", "list-users") == {"users": [
        {"user": "ana", "role": "drafter", "roles": ["drafter"], "delegation": "MEX", "disabled": False},
        {"user": "rita", "role": "reviewer", "roles": ["reviewer"], "delegation": "COL", "disabled": False},
        {"user": "sec", "role": "secretariat", "roles": ["secretariat"], "delegation": None,
         "disabled": False},
    ]}
    assert PASSWORD not in out


def test_several_roles_and_set_roles(admin: Admin) -> None:
    code, out, err = admin.add_user("mia", "--delegation", "MEX", "--role", "reviewer", "--role", "submitter")
    assert (code, err) == (0, "")
    assert out == "Added mia (reviewer, submitter, MEX).\n"
    changed = admin.json("admin", "set-roles", "mia", "drafter,submitter")
    assert changed == {"user": "mia", "roles": ["drafter", "submitter"], "delegation": "MEX"}
    code, _, err = admin("admin", "set-roles", "mia", "drafter,boss")
    assert code == 1
    assert err == "idm-server: Unknown role “boss”: use drafter, reviewer, submitter or secretariat.\n"
    code, _, err = admin("admin", "set-roles", "mia", "secretariat")
    assert code == 1
    assert "no delegation" in err
    code, _, err = admin("admin", "set-roles", "nobody", "drafter")
    assert (code, err) == (1, "idm-server: No user 'nobody': see `idm-server admin list-users`.\n")
    assert admin.json("admin", "list-users")["users"][0]["roles"] == ["drafter", "submitter"]


def test_set_delegation_clearance(admin: Admin) -> None:
    assert admin.json("admin", "set-delegation", "mex", "--clearance", "required") == {
        "iso3": "MEX", "clearance": "required"}
    code, out, _ = admin("admin", "set-delegation", "MEX", "--clearance", "optional")
    assert (code, out) == (0, "Delegation MEX: clearance optional.\n")
    code, _, err = admin("admin", "set-delegation", "XYZ", "--clearance", "required")
    assert code == 1
    assert "XYZ" in err


def test_list_users_when_there_are_none(admin: Admin) -> None:
    code, out, _ = admin("admin", "list-users")
    assert code == 0
    assert "No users yet" in out
    assert admin.json("admin", "list-users") == {"users": []}


@pytest.mark.parametrize(("how", "password", "says"), [
    (("--delegation", "XYZ", "--role", "drafter"), PASSWORD, "XYZ"),
    (("--delegation", "MEX", "--role", "drafter"), "short", "too short"),
    (("--delegation", "MEX", "--role", "drafter"), "", "too short"),
    (("--delegation", "MEX", "--role", "secretariat"), PASSWORD, "no delegation"),
    (("--secretariat", "--role", "drafter"), PASSWORD, "--secretariat"),
], ids=["bad-country", "short-password", "no-password", "secretariat-with-delegation", "secretariat-role"])
def test_add_user_refusals_are_one_line_and_change_nothing(admin: Admin, how: tuple[str, ...],
                                                           password: str, says: str) -> None:
    code, out, err = admin.add_user("ana", *how, password=password)
    assert code == 1
    assert out == ""
    assert says in _one_error_line(err)
    assert admin.json("admin", "list-users") == {"users": []}


def test_a_duplicate_user_is_refused(admin: Admin) -> None:
    assert admin.add_user("ana", "--delegation", "MEX", "--role", "drafter")[0] == 0
    code, out, err = admin.add_user("ana", "--delegation", "COL", "--role", "reviewer")
    assert (code, out) == (1, "")
    assert "already exists" in _one_error_line(err)
    assert admin.json("admin", "list-users")["users"] == [
        {"user": "ana", "role": "drafter", "roles": ["drafter"], "delegation": "MEX", "disabled": False}]


def test_without_a_terminal_the_password_must_be_piped(admin: Admin) -> None:
    code, _, err = admin("admin", "add-user", "ana", "--delegation", "MEX", "--role", "drafter", stdin="")
    assert code == 1
    assert "--password-stdin" in _one_error_line(err)


def test_revoke_tokens_of_an_unknown_user(admin: Admin) -> None:
    code, _, err = admin("admin", "revoke-tokens", "nobody")
    assert code == 1
    assert "nobody" in _one_error_line(err)


@pytest.mark.parametrize("args", [
    (),
    ("admin",),
    ("admin", "add-user", "ana"),
    ("admin", "add-user", "ana", "--delegation", "MEX", "--secretariat", "--role", "drafter"),
    ("admin", "add-user", "ana", "--delegation", "MEX", "--role", "boss"),
    ("admin", "no-such-command"),
    ("admin", "publish-document", "x.txt", "--workshop", "w", "--symbol", "s", "--language", "de"),
    ("admin", "publish-document", "x.txt", "--workshop", "w", "--symbol", "s", "--language", "en",
     "--date", "26 June 2006"),
    ("--no-such-flag", "admin", "list-users"),
], ids=["nothing", "admin", "missing-role", "both", "bad-role", "unknown-command", "bad-language",
        "bad-date", "unknown-flag"])
def test_usage_errors_exit_2(admin: Admin, args: tuple[str, ...]) -> None:
    code, out, err = admin(*args)
    assert code == 2
    assert out == ""
    assert "--help" in _one_error_line(err)


# -- documents and templates ---------------------------------------------------------------------

def test_publish_document(admin: Admin, tmp_path: Path) -> None:
    file = tmp_path / "IC-2006-1.txt"
    file.write_text("Informal consultations\n\nThe note for the consultations of 28 February.\n",
                    encoding="utf-8")
    code, out, err = admin("admin", "publish-document", str(file), "--workshop",
                           "idm2006-informal-consultations-feb", "--symbol", "IC/2006/1", "--language", "en")
    assert (code, err) == (0, "")
    assert re.fullmatch(rf"Published IC/2006/1 “.+” \(\d+ pages?\) as {UUID_RE}\.\n", out), out
    assert "(1 pages)" not in out
    first = re.search(UUID_RE, out)
    assert first is not None
    # A second file under a symbol already published in that language is refused, naming it…
    code, out, err = admin("admin", "publish-document", str(file), "--workshop", "idm2006-integration",
                           "--symbol", "ic/2006/1", "--language", "en")
    assert (code, out) == (1, "")
    assert first.group(0) in _one_error_line(err)
    assert "--replace" in err
    # … another language is another document…
    other = admin.json("admin", "publish-document", str(file), "--workshop", "idm2006-integration",
                       "--symbol", "IC/2006/1", "--language", "fr")
    # … and --replace puts the new file in the old one's place.
    doc = admin.json("admin", "publish-document", str(file), "--workshop", "idm2006-integration",
                     "--symbol", "IC/2006/1", "--language", "en", "--title", "The note", "--replace")
    code, _, err = admin("admin", "withdraw-document", first.group(0))
    assert code == 1  # already withdrawn by the replacement
    assert admin("admin", "withdraw-document", other["id"])[0] == 0
    assert set(doc) == {"id", "symbol", "title", "sha256", "size", "page_count"}
    assert re.fullmatch(UUID_RE, doc["id"])
    assert (doc["symbol"], doc["title"], doc["size"]) == ("IC/2006/1", "The note", file.stat().st_size)
    assert doc["sha256"] == hashlib.sha256(file.read_bytes()).hexdigest()
    assert doc["page_count"] >= 1
    code, out, _ = admin("admin", "withdraw-document", doc["id"])
    assert (code, out) == (0, f"Withdrew document {doc['id']}.\n")
    code, _, err = admin("admin", "withdraw-document", doc["id"])
    assert code == 1
    _one_error_line(err)


@pytest.mark.parametrize(("name", "content", "workshop", "says"), [
    ("note.txt", b"Text.", "idm1999-nowhere", "Unknown workshop"),
    ("note.exe", b"MZ", "idm2006-integration", ""),
    ("note.pdf", b"not a pdf at all", "idm2006-integration", ""),
    ("missing.txt", None, "idm2006-integration", ""),
], ids=["unknown-workshop", "unsupported-type", "fake-pdf", "missing-file"])
def test_publish_document_refusals(admin: Admin, tmp_path: Path, name: str, content: bytes | None,
                                   workshop: str, says: str) -> None:
    file = tmp_path / name
    if content is not None:
        file.write_bytes(content)
    code, out, err = admin("admin", "publish-document", str(file), "--workshop", workshop,
                           "--symbol", "IC/2006/9", "--language", "en")
    assert (code, out) == (1, "")
    assert says in _one_error_line(err)


def _template(tmp_path: Path, **changes: Any) -> Path:
    data = json.loads((resource("templates") / "submission-v1.json").read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "template.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_publish_template_version_2_once(admin: Admin, tmp_path: Path) -> None:
    path = _template(tmp_path, version=2)
    code, out, err = admin("admin", "publish-template", str(path))
    assert (code, err) == (0, "")
    assert out == "Published template idm-policy-overview@2.\n"
    code, out, err = admin("admin", "publish-template", str(path))
    assert (code, out) == (1, "")
    assert "already published" in _one_error_line(err)
    # The bundled version 1 is there from the start.
    code, _, err = admin("admin", "publish-template", str(_template(tmp_path)))
    assert code == 1
    assert "version 1" in _one_error_line(err)
    assert admin.json("admin", "publish-template", str(_template(tmp_path, version=3))) == {
        "id": "idm-policy-overview@3"}


@pytest.mark.parametrize("content", [
    "{not json",
    "[]",
    json.dumps({"id": "t", "version": 1}),
    "",
], ids=["syntax", "not-object", "no-sections", "empty"])
def test_an_invalid_template_is_refused_with_one_line(admin: Admin, tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = admin("admin", "publish-template", str(path))
    assert (code, out) == (1, "")
    assert "Not a valid template" in _one_error_line(err)


@pytest.mark.parametrize(("changes", "says"), [
    ({"version": 2, "min_pages": 5, "max_pages": 3}, "min_pages"),
    ({"version": 0}, "'version'"),
    ({"version": 2**40}, "'version'"),
    ({"version": 2, "id": "x" * 101}, "'id'"),
    ({"version": 2, "id": "Policy Overview/../x"}, "'id'"),
], ids=["pages", "version-0", "version-huge", "id-too-long", "id-not-a-slug"])
def test_an_invalid_template_change_is_refused(admin: Admin, tmp_path: Path, changes: dict[str, Any],
                                               says: str) -> None:
    """Refused before the database sees it (PostgreSQL would refuse a long id or a huge version
    with its own message, SQLite would keep it)."""
    code, out, err = admin("admin", "publish-template", str(_template(tmp_path, **changes)))
    assert (code, out) == (1, "")
    assert says in _one_error_line(err)
    assert "Not a valid template" in err


def test_publish_submission_with_an_unknown_receipt(admin: Admin) -> None:
    for command in (("publish-submission", "IDM-2006-00001"),
                    ("unpublish-submission", "IDM-2006-00001", "--reason", "Wrong country.")):
        code, out, err = admin("admin", *command)
        assert (code, out) == (1, "")
        assert "IDM-2006-00001" in _one_error_line(err)
        assert "list-submissions" in err  # says what to do
    assert admin.json("admin", "list-submissions") == {"submissions": []}
    code, out, _ = admin("admin", "list-submissions")
    assert (code, out) == (0, "Nothing has been received yet.\n")


def test_revoke_tokens_says_how_many_in_words(admin: Admin) -> None:
    admin.add_user("ana", "--delegation", "MEX", "--role", "drafter")
    code, out, _ = admin("admin", "revoke-tokens", "ana")
    assert (code, out) == (0, "ana was signed in nowhere: no token to revoke.\n")


def test_unpublish_needs_a_reason(admin: Admin) -> None:
    code, _, err = admin("admin", "unpublish-submission", "IDM-2006-00001", "--reason", "  ")
    assert code == 1
    assert "--reason" in _one_error_line(err)


# -- the environment -----------------------------------------------------------------------------

def test_an_unreachable_database_is_one_line(admin: Admin, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    down = Admin(tmp_path / "s", capsys, monkeypatch,
                 database_url="postgresql+psycopg://idm@127.0.0.1:9/nothing?connect_timeout=2")
    code, out, err = down("admin", "list-users")
    assert (code, out) == (1, "")
    assert "cannot use the database" in _one_error_line(err)


def test_with_postgresql(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                         fresh_postgres_db: str) -> None:
    pg = Admin(tmp_path / "server", capsys, monkeypatch, database_url=fresh_postgres_db)
    assert pg.add_user("ana", "--delegation", "MEX", "--role", "drafter")[0] == 0
    code, _, err = pg.add_user("ana", "--delegation", "MEX", "--role", "drafter")
    assert code == 1
    _one_error_line(err)
    assert pg.json("admin", "list-users") == {"users": [
        {"user": "ana", "role": "drafter", "roles": ["drafter"], "delegation": "MEX", "disabled": False}]}
    assert not (tmp_path / "server" / "server.sqlite3").exists()
    # What PostgreSQL's column sizes would refuse is refused first, with a clear line.
    file = tmp_path / "note.txt"
    file.write_text("A note.\n", encoding="utf-8")
    publish = ("admin", "publish-document", str(file), "--workshop", "idm2006-integration",
               "--language", "en")
    code, _, err = pg(*publish, "--symbol", "IC/2006/" + "9" * 250)
    assert code == 1
    assert "over 200 characters" in _one_error_line(err)
    code, _, err = pg(*publish, "--symbol", "IC/2006/1", "--languages", "en,fr,es,en,fr,es,en,fr")
    assert (code, err) == (0, "")


def test_the_installed_command(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "idm-server"
    env = {k: v for k, v in os.environ.items() if not k.startswith("IDM_SERVER_")}
    home = str(tmp_path / "server")

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(exe), "--home", home, *args], input=stdin, capture_output=True,
                              text=True, env=env, timeout=120, check=False)

    added = run("admin", "add-user", "ana", "--delegation", "MEX", "--role", "drafter", "--password-stdin",
                stdin=PASSWORD + "\n")
    assert (added.returncode, added.stdout, added.stderr) == (0, "Added ana (drafter, MEX).\n", "")
    listed = run("--json", "admin", "list-users")
    assert listed.returncode == 0
    assert json.loads(listed.stdout)["users"][0]["user"] == "ana"
    again = run("admin", "add-user", "ana", "--delegation", "MEX", "--role", "drafter", "--password-stdin",
                stdin=PASSWORD + "\n")
    assert again.returncode == 1
    _one_error_line(again.stderr)
    usage = run("admin")
    assert usage.returncode == 2
    _one_error_line(usage.stderr)


def test_the_command_says_so_where_the_service_s_libraries_are_missing(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The desktop's environment has an idm-server command but not the service: one line, exit 1."""
    import importlib.util

    from idm_desktop.server import cli as server_cli

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("fastapi", "boto3") else real(name, *a))
    assert server_cli.main(["--home", str(tmp_path), "admin", "list-users"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "missing: fastapi, boto3" in err
    assert "scripts/bootstrap --dev" in err
