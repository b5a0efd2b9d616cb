"""The sync commands as a delegate types them: login, sync, status, submit, resolve; exit codes
4 (conflicts waiting) and 5 (server unreachable, work kept)."""

from __future__ import annotations

import io
import json
import os
import stat
import time
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp
from idm_desktop.cli import main
from idm_desktop.server import accounts
from idm_desktop.server import cli as server_cli
from idm_desktop.server.bundles import export_changes
from idm_desktop.server.models import AppliedOp, Device, Token
from tests.server.conftest import PASSWORD, Service

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, home: Path, *args: str,
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--home", str(home), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


KEYRING = "tests.support.encrypted_keyring.EncryptedFileKeyring"


def test_login_sync_status_submit(service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "MEX")
    home = tmp_path / "a"
    code, out, err = run(capsys, monkeypatch, home, "login", "--server", service.url, "--user", "ana",
                         "--password-stdin", "--json", stdin=PASSWORD + "\n")
    assert code == 0, err
    login = json.loads(out)["login"]
    device = login.pop("device")
    assert login == {"server": service.url, "user": "ana", "role": "drafter",
                     "delegation": "MEX", "token_store": "keyring",
                     "keyring_backend": KEYRING,
                     "fingerprint": service.ctx.keys.current.key_id}
    with service.ctx.db.read() as s:  # the device key this computer made is registered for ana
        assert s.get(Device, device) is not None
    assert PASSWORD not in (home / "library.sqlite3").read_bytes().decode("latin-1")

    code, out, _ = run(capsys, monkeypatch, home, "submission", "new", "--workshop", "idm2006-integration",
                       "--country", "MEX", "--language", "en")
    sub_id = out.strip()
    run(capsys, monkeypatch, home, "submission", "edit", sub_id, "national_context", "--text", "Context.")
    code, out, _ = run(capsys, monkeypatch, home, "status", "--json")
    assert (code, json.loads(out)["status"]["waiting"]) == (0, 1)

    code, out, err = run(capsys, monkeypatch, home, "sync", "--json")
    assert code == 0, err
    report = json.loads(out)["sync"]
    assert (report["pushed"], report["waiting"], report["conflicts"]) == (1, 0, 0)
    assert report["pulled"] >= 12

    code, out, err = run(capsys, monkeypatch, home, "submission", "submit", sub_id, "--force", "--json")
    assert code == 0, err
    assert json.loads(out)["receipt_no"].startswith("IDM-")
    code, out, _ = run(capsys, monkeypatch, home, "submission", "edit", sub_id, "national_context",
                       "--text", "Too late.")
    assert code == 1

    code, out, _ = run(capsys, monkeypatch, home, "logout")
    assert (code, out.strip()) == (0, "Signed out.")
    code, _, err = run(capsys, monkeypatch, home, "sync")
    assert code == 1
    assert "Sign in first" in err


def test_unreachable_server_exits_5_and_keeps_the_work(
        service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "MEX")
    home = tmp_path / "a"
    run(capsys, monkeypatch, home, "login", "--server", service.url, "--user", "ana", "--password-stdin",
        stdin=PASSWORD + "\n")
    _, out, _ = run(capsys, monkeypatch, home, "submission", "new", "--workshop", "idm2006-integration",
                    "--country", "MEX", "--language", "fr")
    run(capsys, monkeypatch, home, "submission", "edit", out.strip(), "national_context", "--text", "Texte.")
    service.live.stop()
    host = service.url.removeprefix("http://")
    started = time.monotonic()
    code, out, err = run(capsys, monkeypatch, home, "sync")
    assert time.monotonic() - started < 5  # not a minute of retries against a closed port
    assert code == 5
    assert err.startswith(f"idm-desktop: Cannot reach the server at {host}: no network link or the server "
                          "is down. Your work is kept; sync again later or carry it on a bundle "
                          "(idm-desktop bundle export). 1 item stays queued for the next sync.\n")
    assert err.count("\n") == 1  # one line: why, and what is kept
    assert out == ""

    code, out, err = run(capsys, monkeypatch, home, "sync", "--json")
    assert code == 5
    error = json.loads(out)["error"]
    assert error == {"code": "server_unreachable", "exit_code": 5, "waiting": 1,
                     "message": err.removeprefix("idm-desktop: ").rstrip("\n")}

    code, _, err = run(capsys, monkeypatch, home, "--lang", "es", "sync")
    assert code == 5
    assert err.startswith(f"idm-desktop: No se puede contactar con el servidor {host}:")

    code, out, _ = run(capsys, monkeypatch, home, "status", "--check")  # says it could not ask
    assert code == 0
    assert out.splitlines()[1] == ("The server could not be asked (no link, or it is down): this is what "
                                   "the library knew.")


def test_conflicts_exit_4_and_resolve(service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("luis", "drafter", "MEX")
    a, b = tmp_path / "a", tmp_path / "b"
    for home, user in ((a, "ana"), (b, "luis")):
        run(capsys, monkeypatch, home, "login", "--server", service.url, "--user", user, "--password-stdin",
            stdin=PASSWORD + "\n")
    _, out, _ = run(capsys, monkeypatch, a, "submission", "new", "--workshop", "idm2006-integration",
                    "--country", "MEX", "--language", "en")
    sub_id = out.strip()
    run(capsys, monkeypatch, a, "sync")
    run(capsys, monkeypatch, b, "sync")
    run(capsys, monkeypatch, a, "submission", "edit", sub_id, "practices", "--text", "From A.")
    run(capsys, monkeypatch, b, "submission", "edit", sub_id, "practices", "--text", "From B.")
    run(capsys, monkeypatch, a, "sync")
    code, _, err = run(capsys, monkeypatch, b, "sync")
    assert code == 4
    assert "conflicting edits" in err
    code, out, _ = run(capsys, monkeypatch, b, "status", "--json")
    assert code == 4
    sections = json.loads(out)["status"]["conflicting_sections"]
    assert sections == [{"submission_id": sub_id, "section": "practices"}]
    # Before choosing, the command line shows both texts (and the one they started from).
    code, out, _ = run(capsys, monkeypatch, b, "submission", "show", sub_id)
    assert code == 0
    practices = out[out.index("[practices]"):]
    assert "From B." in practices
    assert "From A." in practices
    assert f"submission resolve {sub_id[:8]} practices" in practices
    code, out, _ = run(capsys, monkeypatch, b, "submission", "show", sub_id, "--json")
    shown = json.loads(out)["submission"]["conflicts"]
    assert [(c["section"], c["mine"], c["theirs"], c["base"]) for c in shown] == [
        ("practices", "From B.", "From A.", "")]
    code, out, _ = run(capsys, monkeypatch, b, "submission", "resolve", sub_id, "practices", "--theirs")
    assert (code, out.strip()) == (0, "Resolved; 0 conflicts left.")
    assert run(capsys, monkeypatch, b, "sync")[0] == 0


@pytest.mark.parametrize("backend", ["keyring.backends.fail.Keyring", "keyrings.alt.file.PlaintextKeyring"])
def test_no_keyring_needs_the_explicit_file_store(
        service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    """No keyring at all, or one that writes secrets in clear: the same, the file is opted in."""
    import keyring.core

    service.add_user("ana", "drafter", "MEX")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", backend)
    keyring.core._keyring_backend = None
    home = tmp_path / "a"
    code, _, err = run(capsys, monkeypatch, home, "login", "--server", service.url, "--user", "ana",
                       "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1
    assert "--token-file" in err
    assert err.count("\n") == 1
    # Refused before the server heard of this computer: no device key, no token there.
    with service.ctx.db.read() as s:
        assert s.query(Device).count() == 0
        assert s.query(Token).count() == 0
    assert not (home / "credentials.json").exists()
    # A wrong address is told before the keyring: the user mends the address first.
    code, _, err = run(capsys, monkeypatch, home, "login", "--server", service.url + "/nothing-here",
                       "--user", "ana", "--password-stdin", stdin=PASSWORD + "\n")
    assert code != 0
    assert "answers as an IDM server" in err
    assert "--token-file" not in err
    code, out, err = run(capsys, monkeypatch, home, "login", "--server", service.url, "--user", "ana",
                         "--password-stdin", "--token-file", "--json", stdin=PASSWORD + "\n")
    assert code == 0, err
    assert json.loads(out)["login"]["token_store"] == "file"
    assert json.loads(out)["login"]["keyring_backend"] is None
    mode = stat.S_IMODE(os.stat(home / "credentials.json").st_mode)
    assert mode == 0o600
    with service.ctx.db.read() as s:
        assert s.query(Device).count() == 1
    assert run(capsys, monkeypatch, home, "sync")[0] == 0
    run(capsys, monkeypatch, home, "logout")
    assert "idm_" not in (home / "credentials.json").read_text()


def test_wrong_password_is_one_line(service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "MEX")
    code, _, err = run(capsys, monkeypatch, tmp_path / "a", "login", "--server", service.url, "--user", "ana",
                       "--password-stdin", stdin="wrong password\n")
    assert code == 1
    assert "Wrong user name or password" in err
    assert err.count("\n") == 1


def test_login_to_an_unreachable_server_says_so_in_one_line(
        service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = service.url
    service.live.stop()  # nothing listens on its port any more
    home = tmp_path / "a"
    started = time.monotonic()
    code, out, err = run(capsys, monkeypatch, home, "login", "--server", url, "--user", "ana",
                         "--password-stdin", stdin=PASSWORD + "\n")
    assert time.monotonic() - started < 5
    assert (code, out) == (5, "")
    assert err == (f"idm-desktop: Cannot sign in: the server at {url.removeprefix('http://')} cannot be "
                   "reached (no network link, the server is down, or the address is wrong). Check the "
                   "address and the link, then try again.\n")
    code, out, _ = run(capsys, monkeypatch, home, "status", "--json")
    assert (json.loads(out)["status"]["server"], json.loads(out)["status"]["signed_in"]) == (None, False)
    code, _, err = run(capsys, monkeypatch, home, "--lang", "fr", "login", "--server", url, "--user", "ana",
                       "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 5
    assert err.startswith("idm-desktop: Impossible de se connecter\u00a0: le serveur")


def test_bundle_export_sealed_and_readable(service: Service, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("luis", "drafter", "MEX")
    field, capital = tmp_path / "field", tmp_path / "capital"
    for home, user in ((field, "ana"), (capital, "luis")):
        code, _out, err = run(capsys, monkeypatch, home, "login", "--server", service.url, "--user", user,
                              "--password-stdin", stdin=PASSWORD + "\n")
        assert code == 0, err
    code, out, _ = run(capsys, monkeypatch, field, "submission", "new", "--workshop", "idm2006-integration",
                       "--country", "MEX", "--language", "en")
    run(capsys, monkeypatch, field, "submission", "edit", out.strip(), "national_context",
        "--text", "Words from the field office.")
    sealed, readable = tmp_path / "sealed.idmbundle", tmp_path / "readable.idmbundle"
    code, out, _ = run(capsys, monkeypatch, field, "bundle", "export", "--out", str(sealed), "--json")
    assert (code, json.loads(out)["bundle"]["sealed"]) == (0, True)
    assert b"field office" not in sealed.read_bytes()
    code, out, _ = run(capsys, monkeypatch, field, "bundle", "export", "--out", str(readable), "--readable")
    assert code == 0
    assert "not sealed" in out
    code, out, err = run(capsys, monkeypatch, capital, "bundle", "import", str(sealed), "--json")
    assert code == 0, err
    answer = json.loads(out)["bundle"]
    assert (answer["applied"], answer["user"], answer["sealed"]) == (1, "ana", True)
    # the readable copy carries the same op: recognised, not applied twice
    code, out, err = run(capsys, monkeypatch, capital, "bundle", "import", str(readable))
    assert code == 0, err
    assert "signed by ana's device" in out
    # a computer that never signed in has no device key: one line, exit 1, no file
    stranger = tmp_path / "stranger"
    run(capsys, monkeypatch, stranger, "submission", "new", "--workshop", "idm2006-integration",
        "--country", "MEX", "--language", "en")
    code, _out, err = run(capsys, monkeypatch, stranger, "bundle", "export",
                          "--out", str(tmp_path / "x.idmbundle"))
    assert (code, len(err.strip().splitlines())) == (1, 1)
    assert "sign in once" in err
    assert not (tmp_path / "x.idmbundle").exists()
    # the secretariat revokes the field computer (a lost laptop): its bundle is refused in one line
    with service.ctx.db.write() as s:
        accounts.revoke_device(s, answer["device"])
    before = _applied(service)
    code, _out, err = run(capsys, monkeypatch, capital, "bundle", "import", str(sealed))
    assert (code, len(err.strip().splitlines())) == (1, 1)
    assert "revoked" in err
    assert _applied(service) == before


def test_bundle_import_says_what_was_new_what_was_here_and_what_was_refused(
        service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("luis", "drafter", "MEX")
    field, capital = tmp_path / "field", tmp_path / "capital"
    for home, user in ((field, "ana"), (capital, "luis")):
        assert run(capsys, monkeypatch, home, "login", "--server", service.url, "--user", user,
                   "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
    _, out, _ = run(capsys, monkeypatch, field, "submission", "new", "--workshop", "idm2006-integration",
                    "--country", "MEX", "--language", "en")
    sub_id = out.strip()
    run(capsys, monkeypatch, field, "submission", "edit", sub_id, "national_context", "--text", "Final.")
    app = DesktopApp.open(field)
    try:
        app.sync.submit(sub_id, force=True)  # submitted with no link: queued, not sent
    finally:
        app.close()
    bundle = tmp_path / "field.idmbundle"
    assert run(capsys, monkeypatch, field, "bundle", "export", "--out", str(bundle))[0] == 0

    code, out, err = run(capsys, monkeypatch, capital, "bundle", "import", str(bundle), "--json")
    assert code == 0, err
    first = json.loads(out)["bundle"]
    assert (first["new"], first["already_here"], first["refused"]) == (2, 0, 0)  # the text and the submit
    receipt = first["receipts"][0]["receipt_no"]
    code, out, err = run(capsys, monkeypatch, capital, "bundle", "import", str(bundle))
    assert code == 0, err
    assert out.splitlines()[1:] == [
        "Sent: 0 items new to the server, 2 items it already had, 0 items refused.",
        f"Receipt {receipt} for {sub_id[:8]}."]

    # The secretariat packs the changes for the field office; applied once, then found already here.
    changes = tmp_path / "mex.idmbundle"
    total, _files = export_changes(service.ctx.db, service.ctx.blobs, service.ctx.keys, changes,
                                   delegation="MEX", since=None, server_url=service.url)
    office = tmp_path / "office"  # never online
    fingerprint = service.ctx.keys.current.key_id
    code, out, err = run(capsys, monkeypatch, office, "bundle", "import", str(changes), "--fingerprint",
                         fingerprint, "--json")
    assert code == 0, err
    first = json.loads(out)["bundle"]
    # (a new library holds the built-in templates already)
    assert (first["new"] + first["already_here"], first["refused"], first["changes"]) == (total, 0, total)
    assert first["new"] >= total - 2
    code, out, err = run(capsys, monkeypatch, office, "bundle", "import", str(changes))
    assert code == 0, err
    assert out.splitlines() == [
        f"Applied: 0 changes new here, {total} changes already here, 0 changes refused.",
        "0 new documents in the library."]
    code, out, err = run(capsys, monkeypatch, office, "--lang", "fr", "bundle", "import", str(changes))
    assert out.splitlines()[0] == (f"Appliqué\u00a0: 0 modification nouvelle ici, {total} modifications "
                                   "déjà présentes, 0 modification refusée.")


def _admin(service: Service, *args: str) -> int:
    """``idm-server admin ARGS`` on the test service's database, as the secretariat types it."""
    settings = service.ctx.settings
    return server_cli.main(["--home", str(settings.home), "--database-url",
                            settings.effective_database_url, "admin", *args])


@pytest.mark.parametrize("noticed_by", ["sync", "status"])
def test_a_revoked_computer_is_told_so_and_writes_no_bundle(
        service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, noticed_by: str) -> None:
    service.add_user("ana", "drafter", "MEX")
    home = tmp_path / "field"
    code, out, err = run(capsys, monkeypatch, home, "login", "--server", service.url, "--user", "ana",
                         "--password-stdin", "--json", stdin=PASSWORD + "\n")
    assert code == 0, err
    device = json.loads(out)["login"]["device"]
    _, out, _ = run(capsys, monkeypatch, home, "submission", "new", "--workshop", "idm2006-integration",
                    "--country", "MEX", "--language", "en")
    sub_id = out.strip()
    run(capsys, monkeypatch, home, "submission", "edit", sub_id, "national_context", "--text", "Kept.")
    assert _admin(service, "revoke-device", device) == 0
    capsys.readouterr()

    revoked = ("The secretariat revoked this computer’s access to "
               f"{service.url}: sign in again with “idm-desktop login --server {service.url} --user ana”. "
               "Your work is kept.")
    if noticed_by == "sync":
        code, _, err = run(capsys, monkeypatch, home, "sync")
        assert (code, err) == (1, f"idm-desktop: {revoked}\n")
    if noticed_by == "status":  # the library's record alone does not know yet
        code, out, _ = run(capsys, monkeypatch, home, "status", "--json")
        assert json.loads(out)["status"]["sign_in_ended"] is None
    code, out, _ = run(capsys, monkeypatch, home, "status", "--check", "--json")
    status = json.loads(out)["status"]
    assert (status["signed_in"], status["sign_in_ended"], status["waiting"]) == (False, "device_revoked", 1)
    assert status["checked"] == ("asked" if noticed_by == "status" else None)  # a sync had told it

    service.live.stop()  # from now on offline: the library remembers
    code, out, _ = run(capsys, monkeypatch, home, "status")
    assert code == 0
    assert out.splitlines()[0] == revoked
    assert "Signed in" not in out
    bundle = tmp_path / "out.idmbundle"
    code, out, err = run(capsys, monkeypatch, home, "bundle", "export", "--out", str(bundle))
    assert (code, out) == (1, "")
    assert err == ("idm-desktop: The secretariat revoked this computer: the server would refuse a bundle it "
                   f"signs. Sign in again first (“idm-desktop login --server {service.url} --user ana”); "
                   "nothing was written.\n")
    assert not bundle.exists()
    assert not list(tmp_path.glob("*.idmbundle*"))
    code, _, err = run(capsys, monkeypatch, home, "sync")
    assert (code, err) == (1, f"idm-desktop: {revoked}\n")  # told at once, no request made
    code, out, _ = run(capsys, monkeypatch, home, "submission", "show", sub_id, "--json")
    assert json.loads(out)["submission"]["sections"][0]["text"] == "Kept."


def test_a_server_that_ends_a_sign_in_is_told_apart_from_a_revoked_computer(
        service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``revoke-tokens`` signs the user out; the computer's key still signs bundles the server takes."""
    service.add_user("ana", "drafter", "MEX")
    home = tmp_path / "field"
    run(capsys, monkeypatch, home, "login", "--server", service.url, "--user", "ana", "--password-stdin",
        stdin=PASSWORD + "\n")
    _, out, _ = run(capsys, monkeypatch, home, "submission", "new", "--workshop", "idm2006-integration",
                    "--country", "MEX", "--language", "en")
    assert _admin(service, "revoke-tokens", "ana") == 0
    capsys.readouterr()
    code, out, _ = run(capsys, monkeypatch, home, "status", "--check")
    assert out.startswith(f"The secretariat ended your sign-in to {service.url}: sign in again")
    code, out, err = run(capsys, monkeypatch, home, "bundle", "export",
                         "--out", str(tmp_path / "b.idmbundle"))
    assert code == 0, err
    # Signing in again clears it.
    code, _, err = run(capsys, monkeypatch, home, "login", "--server", service.url, "--user", "ana",
                       "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, err
    code, out, _ = run(capsys, monkeypatch, home, "status", "--json")
    status = json.loads(out)["status"]
    assert (status["signed_in"], status["sign_in_ended"], status["checked"]) == (True, None, None)
    code, out, _ = run(capsys, monkeypatch, home, "status", "--check")
    assert out.splitlines()[1] == "The server still accepts this computer."
    assert run(capsys, monkeypatch, home, "sync")[0] == 0


def _applied(service: Service) -> int:
    with service.ctx.db.read() as s:
        return s.query(AppliedOp).count()

