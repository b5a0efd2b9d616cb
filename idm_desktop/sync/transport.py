"""HTTP to idm-server for links that drop: retries with backoff and jitter, a timeout only when
no byte moves, and errors sorted into what the user can act on."""

from __future__ import annotations

import functools
import gzip
import logging
import random
import ssl
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from idm_desktop.core.errors import (
    CancelledError,
    RefusedError,
    ServerUnreachableError,
    SignInEndedError,
)
from idm_desktop.core.i18n import _
from idm_desktop.core.refusals import refusal_text, sign_in_ended_text
from idm_desktop.protocol import canonical_json

log = logging.getLogger(__name__)

STALL_SECONDS = 60.0
"""Give up on a connection only when no byte has moved for this long (DESIGN §5)."""

CONNECT_SECONDS = 4.0
"""How long a connection may take to open. A slow link still connects within it (only the
answer is slow: STALL_SECONDS covers that); an address that does not answer at all (no link, a
network that swallows packets) is told as unreachable after it, not after a minute of retries."""

CONNECT_RETRIES = 1
"""Retries of a connection the address refused or whose name did not resolve, before the server
has answered anything: the one retry covers a blip, more only keep a field office waiting."""

CONNECT_RETRY_PAUSE = 0.5
"""Seconds between a refused connection and its one retry."""


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
        stall_seconds: float = STALL_SECONDS, connect_seconds: float = CONNECT_SECONDS,
        cancelled: Callable[[], bool] = lambda: False, sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None, transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.backoff = backoff
        self.cancelled = cancelled
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.traffic = Traffic()
        self.stall_seconds = stall_seconds
        self.answered = False  # the server has answered a request of this transport
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
        """One request, retried until it gets an answer retrying cannot improve.

        Until the server has answered once, an address that refuses, does not resolve or does not
        answer is unreachable at once (CONNECT_RETRIES); once it has, a dropped link gets the
        whole backoff (DESIGN §5: a sync survives drops)."""
        attempt = connect_failures = 0
        while True:
            self._check_cancelled()
            try:
                response = self.client.request(method, path, **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout) as err:
                tls = _tls_failure(err)
                if tls is not None:  # something answered, but no secure link: retrying will not mend it
                    raise RefusedError(_(
                        "The server at {host} answered, but a secure connection with it failed "
                        "({reason}): check the server's address with the secretariat (https://, or "
                        "http:// for a server on this computer).").format(host=self.host, reason=tls)
                    ) from err
                if not self.answered:
                    connect_failures += 1
                    if isinstance(err, httpx.ConnectTimeout) or connect_failures > CONNECT_RETRIES:
                        log.info("%s %s: no connection (%r); giving up for now", method, path, err)
                        raise self.unreachable() from err
                    log.info("%s %s: no connection (%r); trying once more", method, path, err)
                    self._pause(CONNECT_RETRY_PAUSE)
                    continue
                failure = self.failure(err)
                retry_after = None
            except httpx.TransportError as err:
                if not self.answered and isinstance(err, httpx.ReadTimeout):
                    # It took the connection and said nothing for a whole stall: not a blip a
                    # retry mends (a proxy or a server that hangs), so said at once, not after
                    # every backoff attempt has waited as long again.
                    log.info("%s %s: no answer in %.0f s; giving up for now", method, path,
                             self.stall_seconds)
                    raise self.unreachable() from err
                failure = self.failure(err)
                retry_after = None
            else:
                self.answered = True
                if response.status_code < 400:
                    return response
                if response.status_code not in (429, 500, 502, 503, 504):
                    raise self._refusal(response)
                failure = _("the server answered HTTP {status}").format(status=response.status_code)
                retry_after = _retry_after(response)
            attempt += 1
            if attempt >= self.backoff.attempts:
                log.info("%s %s failed %d times (%s); giving up for now", method, path, attempt, failure)
                raise self.unreachable(failure)
            delay = retry_after if retry_after is not None else self.backoff.delay(attempt, self.rng)
            log.info("%s %s: %s; trying again in %.1f s", method, path, failure, delay)
            self._pause(delay)

    @property
    def host(self) -> str:
        """The server as a person names it: its host (and port), without the scheme."""
        return urllib.parse.urlsplit(self.base_url).netloc or self.base_url

    def failure(self, err: httpx.TransportError) -> str:
        """What went wrong on the link, in plain words (never a class name)."""
        if isinstance(err, httpx.TimeoutException):
            return _("no answer came in time")
        return _("the connection dropped")

    def unreachable(self, failure: str | None = None) -> ServerUnreachableError:
        """The error that ends a sync the link did not let through (the work is kept):
        ``failure`` names what failed after the server had answered; None: it never answered."""
        if failure is None or not self.answered:
            return ServerUnreachableError(
                _("Cannot reach the server at {host}: no network link or the server is down. Your work is "
                  "kept; sync again later or carry it on a bundle (idm-desktop bundle export).").format(
                      host=self.host), host=self.host)
        return ServerUnreachableError(
            _("The link to the server at {host} failed ({reason}). Your work is kept; sync again later "
              "or carry it on a bundle (idm-desktop bundle export).").format(host=self.host, reason=failure),
            host=self.host)

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
            reason = code or "unauthorized"
            return SignInEndedError(sign_in_ended_text(reason, self.base_url), reason=reason)
        if response.status_code == 410:
            return ResyncRequired(message)
        # Every refusal of an IDM server carries a code, and every IDM server has /api/v1/info.
        if response.status_code == 404 and (code is None or response.request.url.path.endswith(_INFO_PATH)):
            return RefusedError(_(
                "Nothing at {address} answers as an IDM server ({answer}): check the server's "
                "address with the secretariat.").format(address=self.base_url, answer=message))
        return RefusedError(_("The server refused the request: {reason}").format(
            reason=refusal_text(code, message)))


_INFO_PATH = "/api/v1/info"


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's verifying context, made once: loading the CA bundle costs 30-100 ms, which every
    sync (one Transport each) paid again before its first byte. Verification stays on (§12)."""
    return httpx.create_ssl_context()


def _tls_failure(err: BaseException) -> str | None:
    """The TLS error under a failed connection ("WRONG_VERSION_NUMBER": a server that speaks plain
    http; "CERTIFICATE_VERIFY_FAILED"), or None when the connection failed otherwise."""
    todo: list[BaseException] = [err]
    visited: set[int] = set()
    while todo:
        found = todo.pop()
        if id(found) in visited:
            continue
        visited.add(id(found))
        if isinstance(found, ssl.SSLError):
            return str(found.reason or found)
        todo += [a for a in found.args if isinstance(a, BaseException)]
        todo += [c for c in (found.__cause__, found.__context__) if c is not None]
    return None


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
