"""HTTP to idm-server for links that drop: retries with backoff and jitter, a timeout only when
no byte moves, and errors sorted into what the user can act on."""

from __future__ import annotations

import functools
import gzip
import logging
import random
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from idm_desktop.core.errors import (
    CancelledError,
    RefusedError,
    ServerUnreachableError,
    SignInRequiredError,
)
from idm_desktop.core.i18n import _
from idm_desktop.core.refusals import refusal_text
from idm_desktop.protocol import canonical_json

log = logging.getLogger(__name__)

STALL_SECONDS = 60.0
"""Give up on a connection only when no byte has moved for this long (DESIGN §5)."""


class ResyncRequired(Exception):
    """410 from the changes feed: pull everything again from an empty cursor."""


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with full jitter (AWS architecture blog's "full jitter")."""

    base: float = 0.5
    cap: float = 30.0
    attempts: int = 6

    def delay(self, attempt: int, rng: random.Random) -> float:
        return rng.uniform(0, min(self.cap, self.base * 2**attempt))


@dataclass
class Traffic:
    """Requests made (bytes on the wire are measured outside, at the socket)."""

    requests: int = 0


class Transport:
    """One server, one token; every call retried on transport errors, 5xx and 429."""

    def __init__(
        self, base_url: str, token: str | None = None, *, backoff: Backoff = Backoff(),
        stall_seconds: float = STALL_SECONDS, connect_seconds: float = 15.0,
        cancelled: Callable[[], bool] = lambda: False, sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None, transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.backoff = backoff
        self.cancelled = cancelled
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.traffic = Traffic()
        headers = {"User-Agent": "idm-desktop", "Accept-Encoding": "gzip"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(
            base_url=self.base_url, headers=headers, transport=transport, verify=_tls_context(),
            timeout=httpx.Timeout(stall_seconds, connect=connect_seconds),
            event_hooks={"request": [self._count_request]},
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _count_request(self, _request: httpx.Request) -> None:
        self.traffic.requests += 1

    # -- calls ----------------------------------------------------------------------------------

    def post_json(self, path: str, body: Any, *, compress: bool = False,
                  headers: Mapping[str, str] | None = None) -> httpx.Response:
        data = canonical_json(body)
        extra = {"Content-Type": "application/json", **(headers or {})}
        if compress:
            data = gzip.compress(data, mtime=0)
            extra["Content-Encoding"] = "gzip"
        return self.call("POST", path, content=data, headers=extra)

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request, retried until it gets an answer retrying cannot improve."""
        attempt = 0
        while True:
            self._check_cancelled()
            try:
                response = self.client.request(method, path, **kwargs)
            except httpx.TransportError as err:
                failure: str = type(err).__name__
                retry_after = None
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in (429, 500, 502, 503, 504):
                    raise self._refusal(response)
                failure = f"HTTP {response.status_code}"
                retry_after = _retry_after(response)
            attempt += 1
            if attempt >= self.backoff.attempts:
                log.info("%s %s failed %d times (%s); giving up for now", method, path, attempt, failure)
                raise ServerUnreachableError(
                    _("The server {server} cannot be reached ({reason}); your work stays queued "
                      "and is sent at the next sync.").format(server=self.base_url, reason=failure))
            delay = retry_after if retry_after is not None else self.backoff.delay(attempt, self.rng)
            log.info("%s %s: %s; trying again in %.1f s", method, path, failure, delay)
            self._pause(delay)

    def pause(self, seconds: float) -> None:
        """Sleep ``seconds``, waking to honour a cancel."""
        self._pause(seconds)

    def _pause(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self._check_cancelled()
            self.sleep(min(left, 0.2))

    def _check_cancelled(self) -> None:
        if self.cancelled():
            raise CancelledError

    def _refusal(self, response: httpx.Response) -> Exception:
        code, message = _server_answer(response)
        if response.status_code == 401:
            return SignInRequiredError(
                _("Your sign-in to {server} has ended (expired or revoked): sign in again.").format(
                    server=self.base_url))
        if response.status_code == 410:
            return ResyncRequired(message)
        return RefusedError(_("The server refused the request: {reason}").format(
            reason=refusal_text(code, message)))


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's verifying context, made once: loading the CA bundle costs 30-100 ms, which every
    sync (one Transport each) paid again before its first byte. Verification stays on (§12)."""
    return httpx.create_ssl_context()


def _server_answer(response: httpx.Response) -> tuple[str | None, str]:
    """The refusal's code (None when the answer has none) and the server's own message."""
    try:
        body = response.json()
    except ValueError:
        return None, f"HTTP {response.status_code} {response.reason_phrase}"
    if not isinstance(body, dict):
        return None, f"HTTP {response.status_code} {response.reason_phrase}"
    code = body.get("code")
    return (str(code) if code else None,
            str(body.get("message") or code or response.reason_phrase))


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return min(float(value), 300.0) if value.isdigit() else None
