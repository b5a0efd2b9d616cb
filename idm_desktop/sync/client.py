"""The typed client of sync protocol v1 (DESIGN §5): every route once, pydantic models in and out.

Nothing else on the desktop builds a URL of the protocol or reads its answers: the engine, the
offline bundles, the file downloads and the sign-in all go through :class:`SyncClient`. The
:class:`~idm_desktop.sync.transport.Transport` beneath it retries transport errors, 5xx and 429
with backoff, and turns the other refusals into errors (401: sign in again, 410: resync).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import httpx
from pydantic import ValidationError

from idm_desktop.core.errors import RefusedError
from idm_desktop.core.i18n import _
from idm_desktop.protocol import (
    AuthRequest,
    AuthResponse,
    BundleReplay,
    ChangesPage,
    OpBatch,
    OpResult,
    OpResults,
    Receipt,
    ServerInfo,
    SubmitRequest,
    Withdrawal,
    WithdrawRequest,
)
from idm_desktop.protocol.schemas import MAX_PAGE
from idm_desktop.sync.transport import Transport

# The routes of protocol v1, written once.
_AUTH_TOKEN = "/api/v1/auth/token"
_AUTH_LOGOUT = "/api/v1/auth/logout"
_INFO = "/api/v1/info"
_CHANGES = "/api/v1/changes"
_BLOB = "/api/v1/blobs/{sha256}"
_OPS = "/api/v1/ops"
_SUBMIT = "/api/v1/submissions/{id}/submit"
_WITHDRAW = "/api/v1/submissions/{id}/withdraw"
_BUNDLES = "/api/v1/bundles"


class SyncClient:
    """One server, through one :class:`Transport` (which holds the token and the retries)."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    # -- info and auth ----------------------------------------------------------------------------

    def info(self) -> ServerInfo:
        """The server's protocol version, the oldest client it accepts, and its clock."""
        return self._server_info(self.transport.call("GET", _INFO))

    def _server_info(self, response: httpx.Response) -> ServerInfo:
        """The answer read as the server's information; a page that is not one (a captive portal,
        another web site at that address) is said to be so, in one line."""
        try:
            return ServerInfo.model_validate_json(response.content)
        except ValidationError:
            raise RefusedError(_(
                "Nothing at {address} answers as an IDM server ({answer}): check the server's "
                "address with the secretariat.").format(
                    address=self.transport.base_url,
                    answer=_("its answer is not an IDM server's"))) from None

    def info_since(self, etag: str | None) -> tuple[ServerInfo | None, str | None]:
        """:meth:`info`, or None when nothing but the clock changed since the answer whose ETag is
        ``etag`` (304, no body); with the ETag to send next time."""
        response = self.transport.call("GET", _INFO, headers={"If-None-Match": etag} if etag else None)
        if response.status_code == 304:
            return None, etag
        return self._server_info(response), response.headers.get("ETag")

    def sign_in(self, request: AuthRequest) -> AuthResponse:
        """A token for this device (raises SignInRequiredError on a wrong name or password)."""
        response = self.transport.post_json(_AUTH_TOKEN, request.model_dump(mode="json"))
        return AuthResponse.model_validate_json(response.content)

    def sign_out(self) -> None:
        """Revoke the transport's token on the server."""
        self.transport.call("POST", _AUTH_LOGOUT)

    # -- pull ------------------------------------------------------------------------------------

    def changes(self, cursor: str | None, limit: int = MAX_PAGE) -> ChangesPage:
        """One page of the changes feed after ``cursor`` (None: from the beginning).

        Raises ResyncRequired (410) when the feed was reset, and RefusedError when the page is in a
        form this version does not understand (a newer server: the user is told to update)."""
        params: dict[str, str | int] = {"limit": limit}
        if cursor is not None:
            params = {"cursor": cursor, "limit": limit}
        response = self.transport.call("GET", _CHANGES, params=params)
        try:
            return ChangesPage.model_validate_json(response.content)
        except ValidationError as err:
            raise RefusedError(_("The server answered in a form this version does not understand: "
                                 "update IDM Delegate Desktop.")) from err

    def check_sign_in(self, cursor: str | None) -> None:
        """Whether the server still accepts the token, at the cost of a quiet poll (a page of at
        most one change, not applied): raises SignInEndedError when it does not."""
        params: dict[str, str | int] = {"limit": 1}
        if cursor is not None:
            params["cursor"] = cursor
        self.transport.call("GET", _CHANGES, params=params)

    @contextlib.contextmanager
    def blob(self, sha256: str, headers: Mapping[str, str]) -> Iterator[httpx.Response]:
        """The file ``sha256`` as a streamed answer (``Range``/``If-Range`` in ``headers``).

        Not retried here: the caller resumes from what it already has (sync/blobs.py)."""
        self.transport.traffic.requests += 1
        with self.transport.client.stream("GET", _BLOB.format(sha256=sha256), headers=headers) as response:
            yield response

    # -- push and submit -------------------------------------------------------------------------

    def push(self, batch: OpBatch) -> list[OpResult]:
        """Send one batch of ops (gzipped); one result per op, in the same order."""
        response = self.transport.post_json(_OPS, batch.model_dump(mode="json"), compress=True)
        return OpResults.model_validate_json(response.content).results

    def submit(self, submission_id: str, request: SubmitRequest, *, idempotency_key: str) -> Receipt:
        """Submit a frozen text; the same key again gives the same receipt."""
        response = self.transport.post_json(_SUBMIT.format(id=submission_id),
                                            request.model_dump(mode="json", exclude_none=True),
                                            headers={"Idempotency-Key": idempotency_key})
        return Receipt.model_validate_json(response.content)

    def withdraw(self, submission_id: str, request: WithdrawRequest) -> Withdrawal:
        """Take back a sent submission; asking again gives the same answer."""
        response = self.transport.post_json(_WITHDRAW.format(id=submission_id),
                                            request.model_dump(mode="json"))
        return Withdrawal.model_validate_json(response.content)

    def replay_bundle(self, data: bytes) -> BundleReplay:
        """Hand a desktop's outbox bundle (the file's bytes) to the server, which checks its device
        signature and seal and applies its ops; sending it again applies nothing twice."""
        response = self.transport.call("POST", _BUNDLES, content=data,
                                       headers={"Content-Type": "application/octet-stream"})
        return BundleReplay.model_validate_json(response.content)
