"""The library's record of its account on the server: where it signed in, as whom, the token in
the keyring, and whether the server has since refused it (a revoked computer, an ended sign-in).

:class:`~idm_desktop.app.sync.SyncUseCases` reads and writes it through one :class:`AccountRecord`.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from idm_desktop.app.library import ACCOUNT_USER_KEY
from idm_desktop.core.errors import LibraryBusyError, SignInEndedError, SignInRequiredError, UsageError
from idm_desktop.core.i18n import _
from idm_desktop.core.refusals import sign_in_ended_text
from idm_desktop.storage import quickread

if TYPE_CHECKING:
    from idm_desktop.app.library import Library

log = logging.getLogger(__name__)

SERVER_KEY, ROLE_KEY, DELEGATION_KEY = "sync.server", "sync.role", "sync.delegation"
USER_KEY = ACCOUNT_USER_KEY  # the account the library is signed in as (app.library names it too)
SIGN_IN_ENDED_KEY = "sync.sign_in_ended"
"""The server's code when it last refused this library's token (core/refusals.py); "" once signed in."""
DEVICE_SECRET_KEY = "sync.device_secret"


def server_recorded(library: Library) -> bool:
    """Whether this library has signed in to a server (its sync, and its status, may then need
    the protocol's types at once). Read from the file as it is; when it cannot be at once
    (another program holds it), True. Asked on the window's thread as it starts: without waiting,
    and without loading the sync's use cases."""
    with contextlib.suppress(LibraryBusyError), library.quick_read(timeout=0) as con:
        if con is not None:
            with contextlib.suppress(sqlite3.Error):
                return bool(quickread.meta_values(con, (SERVER_KEY,)).get(SERVER_KEY))
    return True


@dataclass(frozen=True, slots=True)
class Account:
    server: str
    user: str
    role: str
    delegation: str | None
    token_store: str  # keyring | file
    fingerprint: str = ""  # of the server's signing key in service, pinned at this sign-in
    keyring_backend: str | None = None  # the keyring that keeps the token (module.Class), if any
    device: str = ""  # the fingerprint of this computer's device key, registered at this sign-in


class AccountRecord:
    """What one library keeps about its account (in its meta table and the keyring)."""

    def __init__(self, library: Library) -> None:
        self._library = library

    def account(self) -> tuple[str | None, str | None]:
        """(server, user) of the last sign-in; user None once signed out."""
        from idm_desktop.storage import meta

        with self._library.db.session() as s:
            return meta.get_meta(s, SERVER_KEY) or None, meta.get_meta(s, USER_KEY) or None

    def token(self) -> tuple[str, str]:
        """(server, token) to make requests with, or why there is none (sign in first, or the
        server has refused it already: then no request would get further)."""
        from idm_desktop.sync.credentials import TokenStore

        server, user = self.account()
        token = TokenStore(self._library.paths.token_file).load(server, user) if server and user else None
        if not server or not user or not token:
            raise SignInRequiredError(_("Sign in first: idm-desktop login --server URL --user NAME."))
        ended = self.sign_in_ended()
        if ended:  # the server said so already: no request would get further
            raise SignInEndedError(sign_in_ended_text(ended, server, user), reason=ended)
        return server, token

    def sign_in_ended(self) -> str | None:
        """The server's reason when it refused the token since the last sign-in, else None."""
        from idm_desktop.storage import meta

        with self._library.db.session() as s:
            return meta.get_meta(s, SIGN_IN_ENDED_KEY) or None

    @contextlib.contextmanager
    def noting_sign_in_ended(self) -> Iterator[None]:
        """Keep in the library that the server refused the token (status and bundle export tell it
        from then on, offline too); the error says how to sign in again."""
        from idm_desktop.storage import meta

        try:
            yield
        except SignInEndedError as err:
            server, user = self.account()
            with self._library.db.session() as s:
                meta.set_meta(s, SIGN_IN_ENDED_KEY, err.reason)
            log.info("the server refused the token (%s)", err.reason)
            raise SignInEndedError(sign_in_ended_text(err.reason, server or "", user),
                                   reason=err.reason) from None

    def delegation(self) -> str | None:
        """The library's delegation ("" for the secretariat, None before any sign-in)."""
        from idm_desktop.storage import meta

        with self._library.db.session() as s:
            return meta.get_meta(s, DELEGATION_KEY)

    def device_secret(self) -> str:
        """This library's secret for the server: once it signed in, guesses of the password from
        elsewhere never use up its sign-in budget (server/throttle.py)."""
        import secrets

        from idm_desktop.storage import meta

        with self._library.db.session() as s:
            secret = meta.get_meta(s, DEVICE_SECRET_KEY)
            if not secret:
                secret = secrets.token_urlsafe(32)
                meta.set_meta(s, DEVICE_SECRET_KEY, secret)
            return secret


def normalise_server(url: str, *, insecure_http: bool = False) -> str:
    """A server address as it is kept: https://, or http:// to this computer (or with
    ``insecure_http``, for a lab), where the password and token would otherwise travel in clear."""
    import ipaddress
    import urllib.parse

    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise UsageError(_("The server address must start with https:// (as in "
                           "https://idm.example.org): check it with the secretariat."))
    if url.startswith("http://") and not insecure_http:
        host = urllib.parse.urlsplit(url).hostname or ""
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise UsageError(_("The server address must start with https:// (your password would travel "
                               "in clear over http://). For a test server on a lab network, add "
                               "“--insecure-http”."))
    return url
