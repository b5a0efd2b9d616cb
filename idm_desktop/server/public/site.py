"""The public site's shared pieces: the Jinja environment, per-request translations, the page
cache. :mod:`.mount` adds the pages, the JSON API and the stylesheet to the application."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from idm_desktop.core.i18n import UI_LANGUAGES
from idm_desktop.server.public.service import OverviewCache

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


class PageNotFound(Exception):
    """Raised by a page route: answered with the friendly 404 page in ``lang``."""

    def __init__(self, lang: str = "en") -> None:
        super().__init__(lang)
        self.lang = lang if lang in UI_LANGUAGES else "en"


class Lru(Generic[K, V]):
    """The ``size`` entries used last, shared by the server's threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


PageKey = tuple[int, str, str]
"""(the feed's last sequence number, path, query string): a page is the same as long as nothing
has changed in the database, since every publish and unpublish moves the feed."""


@dataclass
class Site:
    """What the public routes share: templates, the stylesheet's version, the pages and PDFs
    made last, and the counts the home page and the search filters show."""

    env: Environment
    css_version: str
    pdfs: Lru[tuple[str, int], bytes] = field(default_factory=lambda: Lru(32))  # by (submission, rev)
    pages: Lru[PageKey, str] = field(default_factory=lambda: Lru(512))
    overview: OverviewCache = field(default_factory=OverviewCache)

    @classmethod
    def create(cls) -> Site:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
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
        html = self.env.get_template(name).render(context)
        if key is not None and status == 200:
            self.pages.put(key, html)
        return self.html(html, status)

    def html(self, html: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(html, status, headers=SECURITY_HEADERS)

    def cached(self, request: Request, seq: int) -> tuple[PageKey, HTMLResponse | None]:
        """The key of this address as of change ``seq``, and its page when it was made already."""
        key = (seq, request.url.path, request.url.query)
        html = self.pages.get(key)
        return key, None if html is None else self.html(html)


def site_of(request: Request) -> Site:
    site: Site = request.app.state.public_site
    return site
