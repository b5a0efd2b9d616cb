"""The service's errors: each says what went wrong in a stable code and one clear sentence.

The services raise them in their own words (not found, forbidden, conflicts with the current
state...); :func:`http_status` is the one place that turns a kind of error into an HTTP status,
and ``create_app`` (server/app.py) the one place that answers with it. Admin commands raise
:class:`AdminError` (or a kind of it), which ``idm-server admin`` prints and the routes answer like
any other service error.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Mapping
from typing import ClassVar


class ServiceError(Exception):
    """A request the service will not do. ``code`` is stable (clients match on it); ``message``
    is one sentence for a person.

    A message that a page shows in its reader's language is raised as a template marked with
    ``N_`` and its ``params`` (``AdminError(N_("No event “{ident}”."), params={"ident": ...})``):
    ``message`` is then the English sentence, and :func:`said` the sentence in another language.
    ``field`` names the input the sentence is about (a form shows it beside that field)."""

    default_code: ClassVar[str] = "refused"

    def __init__(self, message: str, code: str | None = None,
                 headers: Mapping[str, str] | None = None, *, params: Mapping[str, object] | None = None,
                 field: str | None = None) -> None:
        self.template = message
        self.params = dict(params or {})
        message = message.format(**self.params) if params else message
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.headers = dict(headers or {})
        self.field = field

    def __str__(self) -> str:
        return self.message


class Unauthorized(ServiceError):
    """No valid token: sign in (again)."""

    default_code = "unauthorized"

    def __init__(self, message: str = "Sign in again: the token is missing, expired or revoked.",
                 code: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message, code, {"WWW-Authenticate": "Bearer", **(headers or {})})


class Forbidden(ServiceError):
    """The caller's role may not do this."""

    default_code = "forbidden"


class NotFound(ServiceError):
    """No such thing (or not one the caller may see: the same answer, on purpose)."""

    default_code = "not_found"


class BadRequest(ServiceError):
    """The request cannot be understood (a cursor this server never gave, an invalid file...)."""


class Invalid(ServiceError):
    """The request is understood but its content is not acceptable."""

    default_code = "invalid_request"


class StateConflict(ServiceError):
    """The request clashes with the current state (already submitted, stale rev...)."""


class Gone(ServiceError):
    """What the request refers to no longer exists (the feed was reset)."""


class TooLarge(ServiceError):
    """The request's body is over the limit."""

    default_code = "too_large"


class TooManyAttempts(ServiceError):
    """Too many failures: wait (``Retry-After``) and try again."""

    default_code = "too_many_attempts"


class NotReady(ServiceError):
    """The service is starting: try again in a moment."""

    default_code = "not_ready"


class AdminError(StateConflict):
    """An admin action could not be done; the message is one line that says what to do."""


class AdminNotFound(NotFound, AdminError):
    """An admin action names something that does not exist."""


class AdminInputError(BadRequest, AdminError):
    """An admin action was given something it cannot use (a bad template, an unknown workshop...)."""


_STATUS: dict[type[ServiceError], int] = {
    BadRequest: 400, Unauthorized: 401, Forbidden: 403, NotFound: 404, StateConflict: 409, Gone: 410,
    TooLarge: 413, Invalid: 422, TooManyAttempts: 429, NotReady: 503,
}


def said(err: ServiceError, gettext: Callable[[str], str]) -> str:
    """``err``'s sentence through ``gettext`` (a page's translations): the template translated, then
    filled in; the English message when there is no translation."""
    try:
        return gettext(err.template).format(**err.params) if err.params else gettext(err.template)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: say it in English
        return err.message


def http_status(err: ServiceError) -> int:
    """The HTTP status of a service error: that of its most specific kind."""
    for kind in type(err).__mro__:
        if kind in _STATUS:
            return _STATUS[kind]
    return 400


_FULL_OR_READ_ONLY_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
_SQLITE_ENVIRONMENT = frozenset({8, 10, 13, 14})  # SQLITE_READONLY, _IOERR, _FULL, _CANTOPEN
_POSTGRES_ENVIRONMENT = ("53", "25006")  # insufficient resources (disk full...), read-only transaction


def environment_failure(err: BaseException) -> bool:
    """True when ``err`` is the environment's fault (a full disk, a read-only database or folder),
    not a bug: told by error numbers and codes, never by the message's words."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _FULL_OR_READ_ONLY_ERRNOS:
            return True
        code = getattr(current, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in _SQLITE_ENVIRONMENT:
            return True
        state = getattr(current, "sqlstate", None)
        if isinstance(state, str) and state.startswith(_POSTGRES_ENVIRONMENT):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False
