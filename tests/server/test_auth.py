"""Signing in, tokens and the rate limit, as a client and an administrator see them."""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from idm_desktop.server import cli
from idm_desktop.server.config import Settings
from idm_desktop.server.models import Base, Token, User
from idm_desktop.server.security import token_hash
from tests.server.conftest import PASSWORD, Service

TOKEN_URL = "/api/v1/auth/token"


def _name() -> str:
    return f"u{uuid.uuid4().hex[:10]}"


def _sign_in(svc: Service, username: str, password: str = PASSWORD) -> tuple[int, dict[str, object]]:
    r = svc.client().post(TOKEN_URL, json={"username": username, "password": password, "device_name": "t"})
    return r.status_code, r.json()


def _works(svc: Service, token: str) -> int:
    return svc.client().get("/api/v1/changes", params={"limit": 1},
                            headers={"Authorization": f"Bearer {token}"}).status_code


# -- signing in ------------------------------------------------------------------------------------

def test_sign_in_gives_a_token_that_works(svc: Service) -> None:
    name = _name()
    svc.add_user(name, "reviewer", "MEX")
    status, body = _sign_in(svc, name)
    assert status == 200, body
    assert set(body) == {"token", "expires_at", "user", "role", "delegation", "device_id", "roles",
                         "clearance", "submitters"}
    assert (body["user"], body["role"], body["delegation"]) == (name, "reviewer", "MEX")
    assert (body["roles"], body["clearance"]) == (["reviewer"], "optional")
    assert name not in body["submitters"]  # the delegation's submitters: a reviewer is not one
    expires = dt.datetime.fromisoformat(str(body["expires_at"]))
    assert dt.timedelta(days=29) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)
    assert _works(svc, str(body["token"])) == 200
    # Each sign-in is its own token (one per device).
    _, again = _sign_in(svc, name)
    assert again["token"] != body["token"]
    assert _works(svc, str(again["token"])) == 200


def test_secretariat_signs_in_without_a_delegation(svc: Service) -> None:
    name = _name()
    svc.add_user(name, "secretariat", None)
    status, body = _sign_in(svc, name)
    assert status == 200
    assert (body["role"], body["delegation"]) == ("secretariat", None)


def test_wrong_password_and_unknown_user_get_the_same_401(svc: Service) -> None:
    name = _name()
    svc.add_user(name, "drafter", "MEX")
    c = svc.client()
    wrong = c.post(TOKEN_URL, json={"username": name, "password": "not the password", "device_name": "t"})
    unknown = c.post(TOKEN_URL, json={"username": _name(), "password": PASSWORD, "device_name": "t"})
    for r in (wrong, unknown):
        assert r.status_code == 401
        assert set(r.json()) == {"code", "message"}
        assert r.json()["code"] == "unauthorized"
        assert r.headers["www-authenticate"] == "Bearer"
    # Nothing tells an attacker which user names exist.
    assert wrong.json() == unknown.json()


def test_sign_in_request_is_validated(svc: Service) -> None:
    c = svc.client()
    r = c.post(TOKEN_URL, json={"username": "x", "password": "y"})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_request"
    r = c.post(TOKEN_URL, json={"username": "", "password": "y", "device_name": "t"})
    assert r.status_code == 422


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer idm_not-a-real-token"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": "Bearer"},
], ids=["none", "unknown", "basic", "empty"])
def test_requests_without_a_valid_token_get_401(svc: Service, headers: dict[str, str]) -> None:
    r = svc.client().get("/api/v1/changes", headers=headers)
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"
    assert set(r.json()) == {"code", "message"}


def test_info_needs_no_token(svc: Service) -> None:
    r = svc.client().get("/api/v1/info")
    assert r.status_code == 200
    assert r.json()["protocol_version"] == 1


# -- tokens that stop working ----------------------------------------------------------------------

def test_expired_token_gets_401(svc: Service) -> None:
    acct = svc.account(_name())
    assert _works(svc, acct.token) == 200
    with svc.ctx.db.write() as session:
        session.execute(update(Token).where(Token.token_hash == token_hash(acct.token))
                        .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    r = svc.client(headers=acct.headers).get("/api/v1/changes")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"
    # Signing in again gives a fresh token.
    status, body = _sign_in(svc, acct.username)
    assert status == 200
    assert _works(svc, str(body["token"])) == 200


def test_logout_revokes_only_that_token(svc: Service) -> None:
    acct = svc.account(_name())
    _, other = _sign_in(svc, acct.username)
    c = svc.client(headers=acct.headers)
    r = c.post("/api/v1/auth/logout")
    assert r.status_code == 204
    assert r.content == b""
    assert c.get("/api/v1/changes").status_code == 401
    assert c.post("/api/v1/auth/logout").status_code == 401
    assert _works(svc, str(other["token"])) == 200  # the user's other device stays signed in


def test_admin_revoke_tokens_signs_the_user_out_everywhere(
    svc: Service, capsys: pytest.CaptureFixture[str],
) -> None:
    acct = svc.account(_name())
    _, second = _sign_in(svc, acct.username)
    bystander = svc.account(_name())
    settings = svc.ctx.settings
    code = cli.main(["--home", str(settings.home), "--database-url", settings.effective_database_url,
                     "--json", "admin", "revoke-tokens", acct.username])
    assert code == 0
    assert '"revoked": 2' in capsys.readouterr().out
    assert _works(svc, acct.token) == 401
    assert _works(svc, str(second["token"])) == 401
    assert _works(svc, bystander.token) == 200
    status, fresh = _sign_in(svc, acct.username)  # the password still works
    assert status == 200
    assert _works(svc, str(fresh["token"])) == 200


def test_a_refused_token_says_whether_the_device_or_the_sign_in_was_revoked(svc: Service) -> None:
    """The desktop tells its user why (and writes no bundle for a revoked computer)."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    name = _name()
    svc.add_user(name, "drafter", "MEX")
    tokens = {}
    for which in ("lost", "kept"):
        raw = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        r = svc.client().post(TOKEN_URL, json={"username": name, "password": PASSWORD, "device_name": which,
                                               "device_key": base64.b64encode(raw).decode("ascii")})
        assert r.status_code == 200, r.text
        tokens[which] = (str(r.json()["token"]), str(r.json()["device_id"]))
    settings = svc.ctx.settings
    admin = ["--home", str(settings.home), "--database-url", settings.effective_database_url, "admin"]

    def refusal(token: str) -> tuple[int, str]:
        r = svc.client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/changes")
        return r.status_code, r.json()["code"]

    assert cli.main([*admin, "revoke-device", tokens["lost"][1]]) == 0
    assert refusal(tokens["lost"][0]) == (401, "device_revoked")
    assert _works(svc, tokens["kept"][0]) == 200
    assert cli.main([*admin, "revoke-tokens", name]) == 0
    assert refusal(tokens["kept"][0]) == (401, "token_revoked")
    assert refusal(tokens["lost"][0]) == (401, "device_revoked")


def test_disabled_user_cannot_use_a_token_or_sign_in(svc: Service) -> None:
    acct = svc.account(_name())
    with svc.ctx.db.write() as session:
        session.execute(update(User).where(User.username == acct.username).values(disabled=True))
    assert _works(svc, acct.token) == 401
    status, body = _sign_in(svc, acct.username)
    assert status == 401
    assert body["code"] == "unauthorized"


# -- what is kept and what is logged --------------------------------------------------------------

def test_tokens_and_passwords_are_stored_hashed(svc: Service) -> None:
    acct = svc.account(_name())
    with svc.ctx.db.read() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == acct.username))
        assert stored is not None
        assert stored.startswith("scrypt$")
        assert PASSWORD not in stored
        assert session.scalar(select(Token.token_hash).where(Token.token_hash == token_hash(acct.token)))
        for table in Base.metadata.sorted_tables:
            for row in session.execute(text(f"SELECT * FROM {table.name}")):
                dump = repr(tuple(row))
                assert acct.token not in dump, table.name
                assert acct.token.removeprefix("idm_") not in dump, table.name
                assert PASSWORD not in dump, table.name


def test_access_log_never_holds_tokens_or_passwords(svc: Service, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="idm_server.access")
    name = _name()
    svc.add_user(name, "drafter", "MEX")
    _, body = _sign_in(svc, name)
    token = str(body["token"])
    _sign_in(svc, name, "a wrong password 1234")
    c = svc.client(headers={"Authorization": f"Bearer {token}"})
    c.get("/api/v1/changes", params={"limit": 1})
    c.get("/api/v1/changes", params={"access_token": token})  # a careless client
    c.post("/api/v1/auth/logout")
    lines = _access_lines(caplog, 5)
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("POST", TOKEN_URL, 200), ("POST", TOKEN_URL, 401), ("GET", "/api/v1/changes", 200),
        ("GET", "/api/v1/changes", 200), ("POST", "/api/v1/auth/logout", 204)]
    assert lines[2]["user"] == name
    assert all(set(line) >= {"ms", "bytes", "client"} for line in lines)
    # The test's own client (httpx, in this process) logs the careless URL it sent, when something
    # earlier in the run turned its logger on; what matters is what the server wrote.
    for record in caplog.records:
        if record.name.split(".")[0] in ("httpx", "httpcore"):
            continue
        message = record.getMessage()
        for secret in (token, token.removeprefix("idm_"), PASSWORD, "a wrong password 1234"):
            assert secret not in message


def _access_lines(caplog: pytest.LogCaptureFixture, count: int) -> list[dict[str, object]]:
    """The access log lines so far (written just after each response, so wait for them)."""
    import json

    deadline = time.monotonic() + 5
    while True:
        lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "idm_server.access"]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.01)


# -- the rate limit (its own service, with small limits) -----------------------------------------

@pytest.fixture
def server_settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(home=tmp_path / "server", database_url=db_url,
                    max_failures_per_user=3, max_failures_per_address=6,
                    login_backoff=dt.timedelta(minutes=1))


DEVICE = "a-device-secret-that-is-long-enough-0001"


def _guess(svc: Service, username: str, password: str = PASSWORD, device: str | None = None,
           ) -> tuple[int, dict[str, object], dict[str, str]]:
    body = {"username": username, "password": password, "device_name": "t"}
    if device:
        body["device_secret"] = device
    r = svc.client().post(TOKEN_URL, json=body)
    return r.status_code, r.json(), dict(r.headers)


def _unblock(service: Service) -> None:
    """Let every back-off wait run out (the clock is not moved: the waits are)."""
    from idm_desktop.server.models import LoginBudget

    with service.ctx.db.write() as session:
        session.execute(update(LoginBudget).values(blocked_until=None))


def test_guesses_from_anywhere_never_lock_a_known_device_out(service: Service) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("ben", "drafter", "MEX")
    assert _guess(service, "ana", device=DEVICE)[0] == 200  # ana's computer is now a known device
    # An attacker guesses ana's password: the free guesses, then 429 with a wait that doubles.
    for _ in range(3):
        assert _guess(service, "ana", "wrong password")[0] == 401
    assert _guess(service, "ana", "wrong password")[0] == 401  # the one over the budget starts a wait
    status, body, headers = _guess(service, "ana", "wrong password")
    assert status == 429
    assert body["code"] == "too_many_attempts"
    assert set(body) == {"code", "message"}
    assert 55 <= int(headers["retry-after"]) <= 60
    _unblock(service)
    assert _guess(service, "ana", "wrong password")[0] == 401
    assert 115 <= int(_guess(service, "ana", "wrong password")[2]["retry-after"]) <= 120  # doubled
    # The right password from an unknown computer waits too...
    assert _guess(service, "ana")[0] == 429
    # ...but ana's own computer signs in, whatever the attacker did.
    assert _guess(service, "ana", device=DEVICE)[0] == 200
    # Another user from the same address is not locked out.
    assert _guess(service, "ben")[0] == 200


def test_a_device_secret_of_another_user_gives_no_budget(service: Service) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("ben", "drafter", "MEX")
    assert _guess(service, "ben", device=DEVICE)[0] == 200
    for _ in range(4):
        assert _guess(service, "ana", "wrong password", device=DEVICE)[0] == 401
    assert _guess(service, "ana", "wrong password", device=DEVICE)[0] == 429


def test_unknown_user_names_are_limited_the_same_way(service: Service) -> None:
    for _ in range(4):
        assert _guess(service, "nobody", "x")[0] == 401
    assert _guess(service, "nobody", "x")[0] == 429


def test_too_many_failures_from_one_address_slow_it_down_but_not_known_devices(service: Service) -> None:
    service.add_user("ana", "drafter", "MEX")
    assert _guess(service, "ana", device=DEVICE)[0] == 200
    for i in range(7):
        assert _guess(service, f"guess{i}", "x")[0] == 401
    status, body, _headers = _guess(service, "someone-new", "x")
    assert status == 429
    assert body["code"] == "too_many_attempts"
    assert _guess(service, "ana", device=DEVICE)[0] == 200


def test_the_budgets_keep_no_user_name_in_clear(service: Service) -> None:
    from idm_desktop.server.models import LoginBudget

    for _ in range(2):
        _guess(service, "secret-name", "x")
    with service.ctx.db.read() as session:
        keys = list(session.scalars(select(LoginBudget.key)))
    assert keys
    assert not any("secret-name" in k or "127.0.0.1" in k for k in keys)


def test_failures_long_past_are_forgotten(service: Service) -> None:
    from idm_desktop.server.models import LoginBudget

    service.add_user("ana", "drafter", "MEX")
    for _ in range(5):
        _guess(service, "ana", "wrong password")
    assert _guess(service, "ana")[0] == 429
    with service.ctx.db.write() as session:
        session.execute(update(LoginBudget).values(last_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2),
                                                   blocked_until=None))
    assert _guess(service, "ana")[0] == 200


def test_concurrent_guesses_get_no_more_password_checks_than_the_budget(
        service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    """200 wrong passwords for one user at once: the count and the check are one transaction."""
    from concurrent.futures import ThreadPoolExecutor

    from idm_desktop.server import accounts

    service.add_user("ana", "drafter", "MEX")
    checks = []
    real = accounts.verify_password

    def counted(password: str, stored: str) -> bool:
        checks.append(1)
        return real(password, stored)

    monkeypatch.setattr(accounts, "verify_password", counted)
    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(lambda _i: _guess(service, "ana", "wrong password")[0], range(200)))
    assert set(statuses) <= {401, 429}
    # 3 free guesses for the user from anywhere, and the one that starts the wait
    assert len(checks) <= 4
    assert statuses.count(401) == len(checks)
