"""``create_app``: the FastAPI application of idm-server, built around one ServerContext."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from idm_desktop import __version__
from idm_desktop.core.i18n import UI_LANGUAGES
from idm_desktop.protocol import PROTOCOL_VERSION
from idm_desktop.server.api import router
from idm_desktop.server.context import ServerContext
from idm_desktop.server.desk.mount import install as install_desk
from idm_desktop.server.docs_pages import install_docs
from idm_desktop.server.errors import ServiceError, environment_failure, http_status
from idm_desktop.server.health import router as health_router
from idm_desktop.server.middleware import (
    AccessLog,
    RequestBodyGuard,
    ResponseGzip,
    SecurityHeaders,
    client_address,
)
from idm_desktop.server.notify import FeedListener
from idm_desktop.server.public.mount import install as install_public_site

log = logging.getLogger(__name__)

_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 406: "not_acceptable", 413: "too_large",
                 415: "unsupported_media_type"}


def create_app(ctx: ServerContext) -> FastAPI:
    """The service over ``ctx``; the caller owns ``ctx`` and closes it after the server stops."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Our access log (middleware.AccessLog) replaces uvicorn's, which would write query
        # strings (where a careless client may put a token) whenever its logger finds a handler.
        logging.getLogger("uvicorn.access").disabled = True
        log.info("idm-server %s (protocol v%d) serving, database %s, blobs %s", __version__, PROTOCOL_VERSION,
                 ctx.db.url.render_as_string(hide_password=True), ctx.blobs.describe())
        listener = None
        if not ctx.db.is_sqlite:
            # Other replicas' writes clear this one's quiet polls at once (notify.py).
            listener = app.state.feed_listener = FeedListener(ctx.db.url, ctx.polls.forget).start()
        try:
            yield
        finally:
            if listener is not None:
                listener.stop()
            log.info("idm-server stopping")

    app = FastAPI(
        title="idm-server",
        version=__version__,
        summary="The secretariat's service of the International Dialogue on Migration: "
                "sync protocol v1 for IDM Delegate Desktop, and the public migration policy database.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.ctx = ctx
    app.include_router(router)
    app.include_router(health_router)
    install_docs(app)
    install_desk(app)  # before the public site, whose pages take every other /{lang}/ address
    install_public_site(app)

    @app.exception_handler(ServiceError)
    async def _service_error(_request: Request, err: ServiceError) -> JSONResponse:
        # The one place a service's error becomes an HTTP answer.
        return JSONResponse({"code": err.code, "message": err.message}, http_status(err), headers=err.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return JSONResponse({"code": "invalid_request",
                             "message": f"The request is not valid ({where}: {first.get('msg')})."}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, err: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(err.status_code, "error")
        return JSONResponse({"code": code, "message": str(err.detail)}, err.status_code,
                            headers=getattr(err, "headers", None))

    async def _environment(_request: Request, err: Exception) -> JSONResponse:
        # A full disk or a read-only database is the environment's fault: 503, try again later,
        # in the same {code, message} JSON as every answer. Anything else is a bug: on to the 500.
        if not environment_failure(err):
            raise err
        log.error("cannot write the service's data: %s", err)
        return JSONResponse({"code": "storage_unavailable",
                             "message": "The server cannot store data right now (its disk is full or "
                                        "read-only): try again later."},
                            503, headers={"Retry-After": "60"})

    app.add_exception_handler(SQLAlchemyError, _environment)
    app.add_exception_handler(OSError, _environment)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, err: Exception) -> JSONResponse:
        log.error("unexpected error", exc_info=err)
        return JSONResponse({"code": "internal_error",
                             "message": "The server met an unexpected error; it was logged."}, 500)

    settings = ctx.settings

    def address(scope: Scope) -> str:
        return client_address(scope, trust_forwarded_for=settings.trust_forwarded_for)

    app.add_middleware(ResponseGzip, skip_prefixes=("/api/v1/blobs/",))
    # Uploads: the document route and the desk's upload form count what they read themselves.
    def form_upload() -> int:
        return settings.max_upload_bytes + 64 * 1024

    upload = {"/api/v1/admin/documents": lambda: settings.max_upload_bytes,
              "/api/v1/bundles": lambda: settings.max_upload_bytes,
              **{f"/{lang}/desk/documents": form_upload for lang in UI_LANGUAGES}}
    app.add_middleware(RequestBodyGuard, limit=lambda: settings.max_body_bytes, streamed=upload)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog, client_address=address)
    return app
