"""Kept public pages answered before routing.

A page kept for the database's current state (site.py) costs one row read; routing the request
and solving the route's parameters cost more than that and than sending the page. This middleware
answers those requests itself, inside the access log, the security headers and gzip, and hands
every other request (and any it cannot answer) to the application unchanged: the routes make the
pages, and say what went wrong when something does.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from idm_desktop.core.i18n import UI_LANGUAGES
from idm_desktop.server.context import ServerContext
from idm_desktop.server.public.pages import canonical_search_query
from idm_desktop.server.public.site import NOT_KEPT, Site

# The home page, the search page and a submission's page (not its PDF), as pages.py routes them.
_PAGE = re.compile(r"^/(?:" + "|".join(UI_LANGUAGES) + r")/(?:(search)|submissions/([^/]+))?$")


class KeptPages:
    """ASGI middleware: GET of a public page kept for the database's state, answered from the
    pages kept (or 304), without routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _PAGE.match(scope["path"]) if scope["type"] == "http" and scope["method"] == "GET" else None
        if found is None or (found.group(2) or "").endswith(".pdf"):
            await self.app(scope, receive, send)
            return
        site: Site = scope["app"].state.public_site
        ctx: ServerContext = scope["app"].state.ctx
        request = Request(scope)
        query = canonical_search_query(request.query_params) if found.group(1) else ""
        try:
            answer = await site.kept(request, ctx, query)
        except ctx.db.read_errors:
            answer = None  # the route meets the same trouble and answers it as it should
        else:
            if answer is None:  # not kept as of a read made for this request: the route need not ask
                scope[NOT_KEPT] = True
        if answer is None:
            await self.app(scope, receive, send)
            return
        await answer(scope, receive, send)
