"""The fault proxy does what the sync tests will rely on, against a real HTTP server."""

from __future__ import annotations

import http.server
import os
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.faultproxy import FaultProxy

PAYLOAD = os.urandom(1_000_000)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = PAYLOAD if self.path == "/big" else b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client cut off by the proxy is what these tests are about


@pytest.fixture(scope="module")
def upstream() -> Iterator[int]:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def proxy(upstream: int) -> Iterator[FaultProxy]:
    with FaultProxy(upstream) as p:
        yield p


def test_passes_bytes_through_unchanged(proxy: FaultProxy) -> None:
    response = httpx.get(proxy.url + "/big", timeout=5)
    assert response.content == PAYLOAD
    assert proxy.bytes_to_client > len(PAYLOAD)  # the body and the headers
    assert proxy.bytes_to_upstream > 0
    assert proxy.connections == 1
    assert proxy.url == f"http://127.0.0.1:{proxy.port}"


def test_cut_after_bytes_breaks_the_download(proxy: FaultProxy) -> None:
    proxy.cut_after_bytes = 100_000
    for attempt in (1, 2):  # every new connection gets a fresh budget
        with pytest.raises(httpx.TransportError):
            httpx.get(proxy.url + "/big", timeout=5)
        assert proxy.bytes_to_client == attempt * 100_000
    proxy.cut_after_bytes = None
    assert httpx.get(proxy.url + "/big", timeout=5).content == PAYLOAD


def test_refuse_makes_connects_fail_until_turned_off(proxy: FaultProxy) -> None:
    proxy.refuse = True
    with pytest.raises(httpx.ConnectError):
        httpx.get(proxy.url + "/", timeout=2)
    proxy.refuse = False
    assert httpx.get(proxy.url + "/", timeout=2).content == b"ok"


def _hang_in_background(proxy: FaultProxy, failures: list[Exception]) -> threading.Thread:
    """A GET through a blackholed proxy, on a thread, once the proxy has accepted it."""

    def get() -> None:
        try:
            httpx.get(proxy.url + "/", timeout=5)
        except httpx.TransportError as exc:
            failures.append(exc)

    proxy.blackhole = True
    thread = threading.Thread(target=get)
    thread.start()
    deadline = time.monotonic() + 2
    while proxy.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    return thread


def test_refuse_drops_open_connections(proxy: FaultProxy) -> None:
    failures: list[Exception] = []
    thread = _hang_in_background(proxy, failures)
    proxy.refuse = True
    thread.join(2)
    assert not thread.is_alive()
    assert failures, "the hanging request should fail when the proxy goes down"


def test_blackhole_hangs_until_the_read_times_out(proxy: FaultProxy) -> None:
    proxy.blackhole = True
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(proxy.url + "/", timeout=httpx.Timeout(0.3))
    assert time.monotonic() - started >= 0.3
    assert proxy.connections == 1
    assert proxy.bytes_to_upstream == 0
    assert proxy.bytes_to_client == 0


def test_latency_adds_delay(proxy: FaultProxy) -> None:
    with httpx.Client(base_url=proxy.url, timeout=5) as client:
        client.get("/")  # open the connection first, so only the added delay is measured
        proxy.latency = 0.15
        started = time.monotonic()
        assert client.get("/").content == b"ok"
        # at least one chunk each way, each held back by the latency
        assert time.monotonic() - started >= 0.3


def test_close_is_prompt_and_leaves_no_thread(upstream: int) -> None:
    proxy = FaultProxy(upstream).start()
    failures: list[Exception] = []
    thread = _hang_in_background(proxy, failures)
    started = time.monotonic()
    proxy.close()
    assert time.monotonic() - started < 1
    thread.join(2)
    assert not thread.is_alive()
    assert failures
    proxy.close()  # twice is harmless
    assert not any(t.name == "faultproxy" for t in threading.enumerate())
