"""Errors the service answers with: a status, a stable code and one clear sentence."""

from __future__ import annotations

from collections.abc import Mapping


class ApiError(Exception):
    """Raised anywhere in a request; turned into ``{code, message}`` with ``status``."""

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def unauthorized(message: str = "Sign in again: the token is missing, expired or revoked.") -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


class AdminError(Exception):
    """An admin command could not be done; the message is one line that says what to do."""
