"""The API's documentation page, ``/docs`` (Swagger UI), served entirely by the service: its
script and style come from the fastapi-offline package (no CDN, so it works on a closed network),
under a strict Content-Security-Policy that allows only our own files and the page's one inline
script (by its hash). ReDoc is left out: it fetches its maker's logo from the Internet."""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC_URL = "/api-docs-static"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def _assets() -> Path:
    return Path(str(importlib.resources.files("fastapi_offline") / "static"))


def _with_csp(page: HTMLResponse) -> HTMLResponse:
    body = bytes(page.body).decode("utf-8")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(body))
    policy = ("default-src 'none'; "
              f"script-src 'self' {hashes}; "
              # Swagger UI and ReDoc set style attributes from their scripts.
              "style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; "
              "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return HTMLResponse(body, headers={"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff",
                                       "Referrer-Policy": "no-referrer"})


def install_docs(app: FastAPI) -> None:
    """Add ``/docs`` to ``app`` (created with ``docs_url=None, redoc_url=None``)."""
    app.mount(STATIC_URL, StaticFiles(directory=_assets()), name="api-docs-static")
    openapi_url = app.openapi_url or "/openapi.json"
    title = app.title

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return _with_csp(get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{title} — API",
            swagger_js_url=f"{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{STATIC_URL}/favicon.png"))
