"""A real TCP proxy that misbehaves on demand, for testing the sync client over bad links.

It listens on 127.0.0.1 (a port the OS chooses) and forwards every connection to an upstream
``host:port``. An asyncio loop runs it on one background thread; the test thread changes the
faults while it runs:

- ``latency``: seconds added before each chunk is forwarded, in each direction;
- ``cut_after_bytes``: once that many bytes went upstream → client on a connection, both sides
  of that connection are closed (each new connection gets a fresh budget);
- ``blackhole``: connections are accepted but nothing is forwarded or answered -- they hang;
  chunks arriving on already open connections are dropped while it is on;
- ``refuse``: the proxy stops listening and drops open connections, so connects fail;
  turning it off listens again on the same port.

Counters: ``bytes_to_client``, ``bytes_to_upstream``, ``connections`` (accepted).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from types import TracebackType

_CHUNK = 64 * 1024
_TIMEOUT = 5.0  # seconds the test thread waits for the loop to act on a request


class FaultProxy:
    """``with FaultProxy(upstream_port) as proxy: httpx.get(proxy.url + "/path")``."""

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self._lock = threading.Lock()
        self._latency = 0.0
        self._cut_after_bytes: int | None = None
        self._blackhole = False
        self._refuse = False
        self._bytes_to_client = 0
        self._bytes_to_upstream = 0
        self._connections = 0
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._accepting = False  # False from refuse/close() on, even for a connection accepted just before
        self._stop: asyncio.Event | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        """Listen and return once the port is known."""
        if self._thread is not None:
            raise RuntimeError("FaultProxy already started")
        self._thread = threading.Thread(target=self._run, name="faultproxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(_TIMEOUT):
            raise RuntimeError("FaultProxy did not start in time")
        if self._startup_error is not None:
            self._thread.join(_TIMEOUT)
            raise RuntimeError("FaultProxy could not start") from self._startup_error
        return self

    def close(self) -> None:
        """Stop listening, drop every connection and end the thread. Safe to call twice."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None or loop is None or stop is None or not thread.is_alive():
            return
        with contextlib.suppress(RuntimeError):  # the loop already ended
            loop.call_soon_threadsafe(stop.set)
        thread.join(_TIMEOUT)
        if thread.is_alive():
            raise RuntimeError("FaultProxy thread did not stop")

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- controls (any thread) ------------------------------------------------------------------

    @property
    def latency(self) -> float:
        with self._lock:
            return self._latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        with self._lock:
            self._latency = max(0.0, float(seconds))

    @property
    def cut_after_bytes(self) -> int | None:
        with self._lock:
            return self._cut_after_bytes

    @cut_after_bytes.setter
    def cut_after_bytes(self, limit: int | None) -> None:
        with self._lock:
            self._cut_after_bytes = limit

    @property
    def blackhole(self) -> bool:
        with self._lock:
            return self._blackhole

    @blackhole.setter
    def blackhole(self, on: bool) -> None:
        with self._lock:
            self._blackhole = on

    @property
    def refuse(self) -> bool:
        with self._lock:
            return self._refuse

    @refuse.setter
    def refuse(self, on: bool) -> None:
        """Takes effect before it returns: the port is closed (or listening again) by then."""
        with self._lock:
            self._refuse = on
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._apply_refuse(on), self._loop).result(_TIMEOUT)

    @property
    def bytes_to_client(self) -> int:
        with self._lock:
            return self._bytes_to_client

    @property
    def bytes_to_upstream(self) -> int:
        with self._lock:
            return self._bytes_to_upstream

    @property
    def connections(self) -> int:
        with self._lock:
            return self._connections

    # -- the loop thread ------------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            if not self.refuse:
                await self._listen()
            else:  # still choose a port, so that url is known
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", 0))
                    self.port = probe.getsockname()[1]
        except OSError as exc:
            self._startup_error = exc
            return
        finally:
            self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await self._stop_listening()
            await self._drop_connections()

    async def _listen(self) -> None:
        self._accepting = True
        self._server = await asyncio.start_server(
            self._on_connection, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop_listening(self) -> None:
        self._accepting = False
        server, self._server = self._server, None
        if server is not None:
            server.close()

    async def _drop_connections(self) -> None:
        handlers = list(self._handlers)
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)

    async def _apply_refuse(self, on: bool) -> None:
        if on:
            await self._stop_listening()
            await self._drop_connections()
        elif self._server is None:
            await self._listen()

    async def _on_connection(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        if not self._accepting:
            await _close(client_w, abort=True)
            return
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        with self._lock:
            self._connections += 1
        upstream_w: asyncio.StreamWriter | None = None
        dropped = False
        try:
            if self.blackhole:
                while await client_r.read(_CHUNK):
                    pass  # swallowed: nothing is forwarded, nothing answered
                return
            upstream_r, upstream_w = await asyncio.open_connection(*self.upstream)
            link = _Link(self)
            to_upstream = asyncio.create_task(link.pump(client_r, upstream_w, downstream=False))
            to_client = asyncio.create_task(link.pump(upstream_r, client_w, downstream=True))
            try:
                await link.done.wait()
            finally:
                for pump in (to_upstream, to_client):
                    pump.cancel()
                await asyncio.gather(to_upstream, to_client, return_exceptions=True)
        except OSError:
            pass  # upstream down or a side reset: the connection just ends
        except asyncio.CancelledError:
            # Only refuse and close() cancel a connection: it is reset at once rather than flushed to
            # a slow reader, and the task ends normally (Python 3.11's start_server logs an error
            # for a handler task that ends cancelled).
            dropped = True
        finally:
            self._handlers.discard(task)
            for writer in (client_w, upstream_w):
                if writer is not None:
                    await _close(writer, abort=dropped)

    def _count(self, n: int, *, downstream: bool) -> None:
        with self._lock:
            if downstream:
                self._bytes_to_client += n
            else:
                self._bytes_to_upstream += n


class _Link:
    """One proxied connection: two pumps, a downstream byte budget, and an end."""

    def __init__(self, proxy: FaultProxy) -> None:
        self.proxy = proxy
        self.sent_to_client = 0
        self.done = asyncio.Event()
        self._eofs = 0

    async def pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, *, downstream: bool) -> None:
        end_link = True
        try:
            while chunk := await src.read(_CHUNK):
                if latency := self.proxy.latency:
                    await asyncio.sleep(latency)
                if self.proxy.blackhole:
                    continue
                limit = self.proxy.cut_after_bytes if downstream else None
                if limit is not None and self.sent_to_client + len(chunk) >= limit:
                    chunk = chunk[: max(0, limit - self.sent_to_client)]
                    await self._send(dst, chunk, downstream=downstream)
                    return  # the budget is spent: done ends both sides
                await self._send(dst, chunk, downstream=downstream)
            # A clean end of one direction is passed on; the link ends when both directions did.
            if dst.can_write_eof():
                dst.write_eof()
            self._eofs += 1
            end_link = self._eofs == 2
        except OSError:
            pass
        finally:
            if end_link:
                self.done.set()

    async def _send(self, dst: asyncio.StreamWriter, chunk: bytes, *, downstream: bool) -> None:
        if not chunk:
            return
        dst.write(chunk)
        await dst.drain()
        if downstream:
            self.sent_to_client += len(chunk)
        self.proxy._count(len(chunk), downstream=downstream)


async def _close(writer: asyncio.StreamWriter, *, abort: bool) -> None:
    if abort:
        writer.transport.abort()
    else:
        writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
