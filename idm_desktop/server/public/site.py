"""The public site's shared pieces: the Jinja environment, per-request translations, the page
cache. :mod:`.mount` adds the pages, the JSON API and the stylesheet to the application."""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, StrictUndefined, select_autoescape
from markupsafe import Markup

from idm_desktop import __version__
from idm_desktop.core.i18n import UI_LANGUAGES
from idm_desktop.server.context import ServerContext
from idm_desktop.server.pagekit import loader
from idm_desktop.server.public.service import FEED_HEAD, Overview, OverviewCache

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"

# No script runs on these pages, ever; nothing of them may be framed by another site.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

MAKERS = 4
"""Pages are made on at most this many threads at once: the work holds Python's lock most of the
time, so more threads would only queue for it, each holding its rows, its page and a database
connection's cache meanwhile (measured by tests/bench/bench_public.py)."""


class PageNotFound(Exception):
    """Raised by a page route: answered with the friendly 404 page in ``lang``."""

    def __init__(self, lang: str = "en") -> None:
        super().__init__(lang)
        self.lang = lang if lang in UI_LANGUAGES else "en"


class Lru(Generic[K, V]):
    """The ``size`` entries used last, together at most ``max_bytes`` long (as ``len`` counts),
    shared by the server's threads."""

    def __init__(self, size: int, max_bytes: int = 32 * 1024**2) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._items: OrderedDict[K, V] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        weight = len(value)  # type: ignore[arg-type]
        if weight > self.max_bytes:
            return  # would push out everything else
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old)  # type: ignore[arg-type]
            self._items[key] = value
            self._bytes += weight
            while len(self._items) > self.size or self._bytes > self.max_bytes:
                _key, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)  # type: ignore[arg-type]

    @property
    def bytes(self) -> int:
        return self._bytes


ASKED_ONCE = 10_000
"""How many pages made once are remembered (by a hash of their key), waiting for a second reader."""

PageKey = tuple[int, str, str, str]
"""(the feed's last sequence number, path, canonical query, ETag): a page is the same as long as
nothing has changed in the database, since every publish and unpublish moves the feed. The query
is the one the page is made from (cleaned filters), never the one asked: ``?v=1``, ``?v=2``… are
one page. The ETag names that state of the database (feed epoch and sequence number) and of the
program (version, stylesheet), so it is the same on every replica.

Nothing here needs sharing between replicas: each request is answered after a read of the feed's
position that started once it came in (:class:`FeedHeads`), so a replica never answers from a page
older than the database it reads."""

CACHE_CONTROL = "public, max-age=1, must-revalidate"
"""Any cache — the browser, the proxy, a CDN — may answer a page for one second without asking,
then asks again with the ETag (304 while nothing changed): a publish or an unpublish shows
everywhere within a second, and a busy page costs the replicas about one request a second per
cache. (Not ``max-age=0, s-maxage=1``: HAProxy's cache stores nothing that says max-age=0.)"""


NOT_KEPT = "idm.not_kept"
"""Set in a request's scope once the page it asks was found not kept (front.KeptPages): the
route makes it without asking again (the making checks the pages kept as of its own read)."""


class FeedHeads:
    """The feed's head (last sequence number and epoch) for the requests that ask at about the same
    time, read once for them all: each request is answered with a read that started after it came
    in, so never with a state older than the database's when it asked, as if it had read alone.

    Under load, one read is under way at a time and the requests that come meanwhile share the
    next one, instead of each sending its own to a pool thread and the database."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next: asyncio.Future[tuple[Any, ...] | None] | None = None  # not started yet: joinable
        self._running: asyncio.Future[tuple[Any, ...] | None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def read(self, ctx: ServerContext) -> tuple[Any, ...] | None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests start several): nothing to share
            self._loop, self._next, self._running = loop, None, None
        joined = self._next
        if joined is None:
            joined = self._next = loop.create_future()
            joined.add_done_callback(_retrieved)
            task = loop.create_task(self._start(joined, ctx))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        # Shielded: a reader who leaves (its connection closed) does not cancel the others' read.
        return await asyncio.shield(joined)

    async def _start(self, read: asyncio.Future[tuple[Any, ...] | None], ctx: ServerContext) -> None:
        running = self._running
        if running is not None:
            await asyncio.wait([running])
        if self._next is read:
            self._next = None  # from now on, newcomers wait for the read after this one
        self._running = read
        try:
            row = await asyncio.get_running_loop().run_in_executor(
                ctx.poll_threads, ctx.db.fetch_one, FEED_HEAD, {})
        except Exception as err:  # noqa: BLE001 - the readers' to answer (KeptPages hands it to the routes)
            read.set_exception(err)
        else:
            read.set_result(row)
        finally:
            if self._running is read:
                self._running = None


def _retrieved(future: asyncio.Future[Any]) -> None:
    """Marks a shared read's failure as seen even when every reader of it has left."""
    if not future.cancelled():
        future.exception()


@dataclass
class Site:
    """What the public routes share: templates, the stylesheet's version, the pages and PDFs
    made last, and the counts the home page and the search filters show."""

    env: Environment
    css_version: str
    pdfs: Lru[tuple[str, int], bytes] = field(default_factory=lambda: Lru(32, 64 * 1024**2))  # (id, rev)
    # The pages kept, gzipped (a quarter of their size, and sent as they are to the readers whose
    # browsers take gzip: all of them), and the few served last to the others, as they are.
    pages: Lru[PageKey, bytes] = field(default_factory=lambda: Lru(512, 32 * 1024**2))  # gzip
    plain_pages: Lru[PageKey, bytes] = field(default_factory=lambda: Lru(16, 2 * 1024**2))  # UTF-8
    _rendering: dict[tuple[str, int], threading.Lock] = field(default_factory=dict)
    _rendering_lock: threading.Lock = field(default_factory=threading.Lock)
    overview: OverviewCache = field(default_factory=OverviewCache)
    makers: CapacityLimiter = field(default_factory=lambda: CapacityLimiter(MAKERS))
    _asked: set[int] = field(default_factory=set)  # hashes of the keys of pages made once
    _asked_lock: threading.Lock = field(default_factory=threading.Lock)
    feed_heads: FeedHeads = field(default_factory=FeedHeads)

    @classmethod
    def create(cls) -> Site:
        env = Environment(
            loader=loader(TEMPLATES_DIR),
            auto_reload=False,  # the templates ship with the program: no stat of the file per page
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        css = (STATIC_DIR / "public.css").read_bytes()
        return cls(env=env, css_version=hashlib.sha256(css).hexdigest()[:12])

    def render(self, name: str, context: dict[str, Any], status: int = 200,
               key: PageKey | None = None) -> HTMLResponse:
        """The page ``name``; kept under ``key`` for the next reader of the same address."""
        html = self.env.get_template(name).render(context).encode()
        if key is not None and status == 200:
            if self._asked_before(key):
                self.pages.put(key, _gzip(html))
                self.plain_pages.put(key, html)
            return self.html(html, status, etag=key[3])
        return self.html(html, status)

    def _asked_before(self, key: PageKey) -> bool:
        """Whether this page was made once already: a page is kept from its second reader on, so
        that searches nobody repeats (most new ones) never push out the pages readers come back
        to, nor fill the memory (some 30 KB a page)."""
        h = hash(key)
        with self._asked_lock:
            if h in self._asked:
                return True
            if len(self._asked) >= ASKED_ONCE:
                self._asked.clear()
            self._asked.add(h)
            return False

    def fragment(self, name: str, context: dict[str, Any]) -> Markup:
        """The template ``name`` as a piece of a page (not escaped again where it is put)."""
        return Markup(self.env.get_template(name).render(context))

    def html(self, html: bytes, status: int = 200, etag: str | None = None,
             gzipped: bool = False) -> HTMLResponse:
        """A page; with ``etag``, one that caches may keep (else they must not); ``gzipped``: the
        page's bytes are gzip's (the response middleware sends such an answer as it is)."""
        headers = {**SECURITY_HEADERS, **(_cacheable(etag) if etag else {"Cache-Control": "no-cache"})}
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        return HTMLResponse(html, status, headers=headers)

    def etag(self, overview: Overview) -> str:
        """The ETag of every page made as of the database's state in ``overview``."""
        return _etag(overview.epoch, overview.seq, self.css_version)

    def cached(self, request: Request, overview: Overview,
               query: str = "") -> tuple[PageKey, Response | None]:
        """The key of this address as of the database's state in ``overview``, and the answer when
        there is one already: 304 when the reader (or a cache) has this very page, else the page if
        it was made already; ``query``: the canonical query the page is made from."""
        etag = self.etag(overview)
        key = (overview.seq, request.url.path, query, etag)
        return key, self._answer(request, key)

    async def kept(self, request: Request, ctx: ServerContext, query: str = "") -> Response | None:
        """The answer :meth:`cached` would give, from the feed's head alone: one row read on a
        pooled connection (shared with the requests that came meanwhile: :class:`FeedHeads`), no
        unit of work, nothing counted or listed (None: make the page)."""
        if request.scope.get(NOT_KEPT):
            return None
        row = await self.feed_heads.read(ctx)
        seq, epoch = (int(row[0]), str(row[1])) if row else (0, "")
        etag = _etag(epoch, seq, self.css_version)
        return self._answer(request, (seq, request.url.path, query, etag))

    def _answer(self, request: Request, key: PageKey) -> Response | None:
        etag = key[3]
        if etag in _etags(request.headers.get("if-none-match")):
            return Response(status_code=304, headers=_cacheable(etag))
        if "gzip" in request.headers.get("accept-encoding", ""):  # as the gzip middleware decides
            gzipped = self.pages.get(key)
            return None if gzipped is None else self.html(gzipped, etag=etag, gzipped=True)
        html = self.plain_pages.get(key)
        if html is None:
            gzipped = self.pages.get(key)
            if gzipped is None:
                return None
            html = zlib.decompress(gzipped, wbits=_GZIP)
            self.plain_pages.put(key, html)
        return self.html(html, etag=etag)

    async def make(self, page: Callable[[], T]) -> T:
        """``page()`` on a worker thread, at most :data:`MAKERS` at once."""
        return await anyio.to_thread.run_sync(page, limiter=self.makers)

    def pdf(self, key: tuple[str, int], folder: Path, render: Callable[[], bytes]) -> bytes:
        """A published submission's PDF, rendered once: kept in ``folder`` (by id and rev) and in
        memory; readers asking while it is rendered wait for that one rendering."""
        data = self.pdfs.get(key)
        if data is not None:
            return data
        with self._rendering_lock:
            lock = self._rendering.setdefault(key, threading.Lock())
        with lock:
            data = self.pdfs.get(key)
            if data is None:
                file = folder / f"{key[0]}-{key[1]}.pdf"
                try:
                    data = file.read_bytes()
                except FileNotFoundError:
                    data = render()
                    folder.mkdir(parents=True, exist_ok=True)
                    tmp = file.with_name(file.name + f".{os.getpid()}-{threading.get_ident()}.tmp")
                    tmp.write_bytes(data)
                    tmp.replace(file)
                self.pdfs.put(key, data)
        with self._rendering_lock:
            self._rendering.pop(key, None)
        return data


_GZIP = 16 + zlib.MAX_WBITS  # zlib's window bits for the gzip format
_GZIP_LEVEL = 9  # as the response middleware compresses (starlette's GZipMiddleware)


def _gzip(data: bytes) -> bytes:
    """``data`` in the gzip format (no file name, no time: the same bytes every time)."""
    compressor = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, _GZIP)
    return compressor.compress(data) + compressor.flush()


def _etag(epoch: str, seq: int, css_version: str) -> str:
    return f'"{epoch}-{seq}-{css_version}-{__version__}"'


def _cacheable(etag: str) -> dict[str, str]:
    # Vary: Accept-Encoding comes with every answer that may be gzipped (middleware.ResponseGzip).
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL}


def _etags(header: str | None) -> set[str]:
    """The tags of an If-None-Match header (weak ones compared as strong: these pages have no other)."""
    if not header:
        return set()
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


def site_of(request: Request) -> Site:
    site: Site = request.app.state.public_site
    return site
