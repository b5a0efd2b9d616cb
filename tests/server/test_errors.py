"""The service's errors: each kind has one HTTP status, chosen in one place; one client address rule."""

from __future__ import annotations

import pytest

from idm_desktop.server.errors import (
    AdminError,
    AdminInputError,
    AdminNotFound,
    BadRequest,
    Forbidden,
    Gone,
    Invalid,
    NotFound,
    ServiceError,
    StateConflict,
    TooManyAttempts,
    Unauthorized,
    http_status,
)
from idm_desktop.server.middleware import client_address


@pytest.mark.parametrize(("err", "status", "code"), [
    (Unauthorized(), 401, "unauthorized"),
    (Forbidden("no"), 403, "forbidden"),
    (NotFound("none"), 404, "not_found"),
    (BadRequest("bad", "bad_cursor"), 400, "bad_cursor"),
    (Invalid("bad", "bad_supersedes"), 422, "bad_supersedes"),
    (StateConflict("stale", "stale_rev"), 409, "stale_rev"),
    (Gone("reset", "resync_required"), 410, "resync_required"),
    (TooManyAttempts("wait"), 429, "too_many_attempts"),
    (AdminError("already published"), 409, "refused"),
    (AdminNotFound("No received submission has receipt number 'x'."), 404, "not_found"),
    (AdminInputError("Not a valid template", "invalid_template"), 400, "invalid_template"),
])
def test_each_kind_of_error_has_its_status_and_a_stable_code(
    err: ServiceError, status: int, code: str,
) -> None:
    assert http_status(err) == status
    assert err.code == code


def test_admin_errors_are_still_admin_errors_for_the_command_line() -> None:
    assert isinstance(AdminNotFound("x"), AdminError)
    assert isinstance(AdminInputError("x"), AdminError)
    assert Unauthorized().headers == {"WWW-Authenticate": "Bearer"}


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy() -> None:
    scope = {"type": "http", "client": ("10.0.0.5", 5000),
             "headers": [(b"x-forwarded-for", b"203.0.113.9, 10.0.0.1")]}
    assert client_address(scope, trust_forwarded_for=True) == "203.0.113.9"
    assert client_address(scope, trust_forwarded_for=False) == "10.0.0.5"
    assert client_address({"type": "http", "headers": []}, trust_forwarded_for=True) == "unknown"
