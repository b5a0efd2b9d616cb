"""Pure ASGI middleware: request body limits and gzip, response gzip, the access log."""

from __future__ import annotations

import json
import logging
import re
import time
import zlib
from collections.abc import Callable
from typing import Any

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("idm_server.access")

# A NUL character in a JSON string: the escape \u0000 after an even run of other backslashes.
# PostgreSQL cannot store NUL in text, so the service refuses it on every database alike.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_NUL_MESSAGE = "The request is not valid: text may not contain NUL characters."


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"code": code, "message": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class RequestBodyGuard:
    """Refuse bodies over a size limit (413) and undo ``Content-Encoding: gzip`` on requests;
    refuse NUL characters in a JSON body or a query string (422).

    A gzip body is inflated with the same limit on its *inflated* size, so a small zip bomb is
    refused as surely as a big body. Paths in ``streamed`` (uploads) are only counted, never
    buffered, with their own limit."""

    def __init__(self, app: ASGIApp, *, limit: Callable[[], int],
                 streamed: dict[str, Callable[[], int]]) -> None:
        self.app = app
        self.limit = limit
        self.streamed = streamed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        encoding = headers.get("content-encoding", "identity").strip().lower()
        path: str = scope["path"]
        streamed_limit = next((f() for prefix, f in self.streamed.items() if path.startswith(prefix)), None)
        limit = streamed_limit if streamed_limit is not None else self.limit()
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_error(send, 413, "too_large", f"The request body is over {limit} bytes.")
            return
        if encoding not in ("identity", "gzip"):
            await _send_error(send, 415, "unsupported_encoding", "Send the body plain or gzip-compressed.")
            return
        if b"%00" in scope.get("query_string", b""):
            await _send_error(send, 422, "invalid_request", _NUL_MESSAGE)
            return
        if streamed_limit is not None and encoding == "identity":
            await self.app(scope, receive, send)  # the route counts what it reads
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await _send_error(send, 413, "too_large", f"The request body is over {limit} bytes.")
                return
            if not message.get("more_body"):
                break
        data = bytes(body)
        if encoding == "gzip":
            inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            try:
                data = inflater.decompress(data, limit + 1)
            except zlib.error:
                await _send_error(send, 400, "bad_gzip",
                                  "The gzip-compressed body is damaged: send it again.")
                return
            if len(data) > limit or inflater.unconsumed_tail:
                await _send_error(send, 413, "too_large", f"The inflated request body is over {limit} bytes.")
                return
            if not inflater.eof:  # cut short: what was inflated is only part of the body
                await _send_error(send, 400, "bad_gzip",
                                  "The gzip-compressed body is damaged: send it again.")
                return
            scope = dict(scope)
            scope["headers"] = [(k, v) for k, v in scope["headers"]
                                if k.lower() not in (b"content-encoding", b"content-length")]
            scope["headers"].append((b"content-length", str(len(data)).encode()))
        if streamed_limit is None and b"\\u0000" in data and _JSON_NUL.search(data):
            await _send_error(send, 422, "invalid_request", _NUL_MESSAGE)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class ResponseGzip:
    """gzip JSON and HTML answers for slow links, but never blobs: a compressed byte range
    would no longer be the range the client asked for."""

    def __init__(self, app: ASGIApp, *, skip_prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=1000)
        self.skip = skip_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self.skip):
            await self.gzip(scope, receive, _vary_once(send))
        else:
            await self.app(scope, receive, send)


def _vary_once(send: Send) -> Send:
    """Every answer that may come gzipped says ``Vary: Accept-Encoding``, once (a shared cache in
    front keeps one copy per encoding; HAProxy's cache refuses a Vary it does not understand, and
    the gzip middleware adds the header again to one a route set)."""

    async def vary_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"vary"]
            names: list[str] = []
            for k, v in message.get("headers", ()):
                if k.lower() == b"vary":
                    names += [n.strip() for n in v.decode("latin-1").split(",") if n.strip()]
            names.append("Accept-Encoding")
            unique = list(dict.fromkeys(n.title() for n in names))
            message = {**message, "headers": [*headers, (b"vary", ", ".join(unique).encode("latin-1"))]}
        await send(message)

    return vary_send


def client_address(scope: Scope, *, trust_forwarded_for: bool) -> str:
    """Who made the request: the first address of ``X-Forwarded-For`` when the service sits behind
    a proxy it trusts (settings.trust_forwarded_for), else the peer of the connection. The one
    rule, for the sign-in rate limit and the access log alike."""
    if trust_forwarded_for:
        for key, value in scope.get("headers", ()):
            if key == b"x-forwarded-for" and value:
                return str(value.decode("latin-1").split(",")[0].strip())
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class AccessLog:
    """One JSON line per request: method, path, status, time, bytes, client, user.

    Never headers or bodies: they carry tokens and passwords."""

    def __init__(self, app: ASGIApp, *, client_address: Callable[[Scope], str]) -> None:
        self.app = app
        self.client_address = client_address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        sent = 0

        async def logged_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, logged_send)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                state: dict[str, Any] = scope.get("state") or {}
                access_log.info(json.dumps({
                    "method": scope["method"], "path": scope["path"], "status": status,
                    "ms": round((time.perf_counter() - start) * 1000, 2), "bytes": sent,
                    "client": self.client_address(scope), "user": state.get("user"),
                }, separators=(",", ":")))


_DEFAULT_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
    # The API answers JSON and files: nothing in them may run or be framed. Pages (the public
    # site, /docs) set a policy of their own, which is kept.
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
)


class SecurityHeaders:
    """Security headers on every answer a route did not set itself; ``Cache-Control: no-store``
    on the API's answers that say nothing of caching (they may carry a token or a draft); and a
    redirect to this same host is made relative, so that the ``Host`` a client sent never comes
    back in a ``Location``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v for k, v in scope["headers"] if k == b"host"), None)
        api = scope["path"].startswith("/api/")

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _v in headers}
                headers += [(k, v) for k, v in _DEFAULT_HEADERS if k not in present]
                if api and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                headers = [(k, _relative(v, host) if k.lower() == b"location" else v) for k, v in headers]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, secured)


def _relative(location: bytes, host: bytes | None) -> bytes:
    """``http://<host>/path?q`` -> ``/path?q`` when <host> is the request's own Host header."""
    for scheme in (b"http://", b"https://"):
        if host and location.lower().startswith(scheme + host.lower()):
            rest = location[len(scheme) + len(host):]
            if rest[:1] in (b"/", b"?", b""):
                return rest if rest.startswith(b"/") else b"/" + rest
    return location
