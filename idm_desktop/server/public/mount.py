"""Puts the public site on the application: the pages, the public JSON API and the stylesheet.

Apart from :mod:`.site` (the shared pieces the pages and the API import), so that nothing the
routes import imports them back.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.staticfiles import StaticFiles

from idm_desktop.server.public import api, pages
from idm_desktop.server.public.front import KeptPages
from idm_desktop.server.public.site import STATIC_DIR, PageNotFound, Site


def install(app: FastAPI) -> None:
    """Add the public pages, the public JSON API and the stylesheet to ``app``."""
    app.state.public_site = Site.create()
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Added before the service's own middleware, so inside them all: a kept page is logged, gets
    # the security headers and is gzipped like any other answer.
    app.add_middleware(KeptPages)

    @app.exception_handler(PageNotFound)
    async def _page_not_found(request: Request, err: PageNotFound) -> Response:
        return pages.not_found_page(request, err.lang)
