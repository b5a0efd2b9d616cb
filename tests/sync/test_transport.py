"""An unreachable server fails fast and in plain words; a slow server that does answer is waited for."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from idm_desktop.core.errors import ServerUnreachableError
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.sync.client import SyncClient
from idm_desktop.sync.transport import CONNECT_SECONDS, Transport
from tests.server.conftest import Service
from tests.support.faultproxy import FaultProxy


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def blackholed() -> Iterator[int]:
    """A port whose connections never open: it listens but never accepts, and its queue is full,
    so the kernel drops every further SYN (as a firewall that swallows packets does)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = int(listener.getsockname()[1])
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.1)
    try:
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def test_a_refused_address_is_unreachable_at_once_after_one_retry() -> None:
    port = closed_port()
    started = time.monotonic()
    with Transport(f"http://127.0.0.1:{port}") as transport, \
            pytest.raises(ServerUnreachableError) as caught:
        SyncClient(transport).info()
    assert time.monotonic() - started < 3
    assert transport.traffic.requests == 2  # the first try and one retry
    message = str(caught.value)
    assert message.startswith(f"Cannot reach the server at 127.0.0.1:{port}: no network link or the server "
                              "is down. Your work is kept;")
    assert "Error" not in message  # no exception class names
    assert caught.value.exit_code == 5


def test_an_address_that_swallows_packets_is_given_up_after_the_connect_timeout(blackholed: int) -> None:
    started = time.monotonic()
    with Transport(f"http://127.0.0.1:{blackholed}") as transport, \
            pytest.raises(ServerUnreachableError, match="Cannot reach the server"):
        SyncClient(transport).info()
    elapsed = time.monotonic() - started
    assert CONNECT_SECONDS - 0.5 < elapsed < CONNECT_SECONDS + 2
    assert transport.traffic.requests == 1  # the wait was spent already: no second one


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_slow_server_that_connects_is_waited_for_beyond_the_connect_timeout(service: Service) -> None:
    with FaultProxy(service.live.port) as proxy:
        proxy.latency = 0.6
        with Transport(proxy.url, connect_seconds=0.3) as transport:
            assert SyncClient(transport).info().protocol_version >= 1


def test_the_message_is_in_the_users_language() -> None:
    set_ui_language("fr")
    try:
        with Transport(f"http://127.0.0.1:{closed_port()}") as transport, \
                pytest.raises(ServerUnreachableError) as caught:
            SyncClient(transport).info()
    finally:
        set_ui_language("en")
    assert str(caught.value).startswith("Impossible de joindre le serveur")


@pytest.fixture
def silent() -> Iterator[int]:
    """A port that takes connections and never says a word (a hung server or proxy)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()


def test_a_server_that_takes_the_connection_and_never_answers_is_given_up_after_one_stall(
        silent: int) -> None:
    """Not one wait per backoff attempt (with the 60 s stall that was minutes of silence)."""
    started = time.monotonic()
    with Transport(f"http://127.0.0.1:{silent}", stall_seconds=1.0) as transport, \
            pytest.raises(ServerUnreachableError, match="Cannot reach the server"):
        SyncClient(transport).info()
    assert time.monotonic() - started < 3
    assert transport.traffic.requests == 1


@pytest.fixture(params=[404, 200], ids=["not-found", "a-page"])
def some_web_server(request: pytest.FixtureRequest) -> Iterator[int]:
    """A web server that is not an IDM server: every path is a plain HTML page, "Not Found" (404)
    or a captive portal's sign-in page (200)."""
    import http.server
    import threading

    status = int(request.param)

    class NotHere(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = b"<html><body>Not Found</body></html>" if status == 404 else b"<html>Wi-Fi</html>"
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotHere)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def test_an_address_that_is_not_an_idm_server_is_told_as_such(some_web_server: int) -> None:
    from idm_desktop.core.errors import IdmError

    address = f"http://127.0.0.1:{some_web_server}"
    with Transport(address) as transport, pytest.raises(IdmError) as caught:
        SyncClient(transport).info()
    message = str(caught.value)
    assert f"Nothing at {address} answers as an IDM server (" in message
    assert "check the server's address" in message


def test_https_to_a_server_that_speaks_plain_http_is_told_as_such(some_web_server: int) -> None:
    """Not "cannot reach the server": it answered, in plain http, and retrying will not change it."""
    from idm_desktop.core.errors import RefusedError

    started = time.monotonic()
    with Transport(f"https://127.0.0.1:{some_web_server}") as transport, \
            pytest.raises(RefusedError) as caught:
        SyncClient(transport).info()
    assert "answered, but a secure connection with it failed (WRONG_VERSION_NUMBER)" in str(caught.value)
    assert time.monotonic() - started < 3
