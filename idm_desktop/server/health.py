"""Health endpoints for operators and load balancers.

``GET /healthz``: the process is up and answering (no dependency is touched: a liveness probe
must not restart a replica because the database is slow). ``GET /readyz``: this replica can
serve now — its database answers a query and its blob store takes and gives back a file;
503 with the failing part named otherwise (a load balancer takes the replica out until it
answers 200 again). Neither needs a token, and neither tells more than ok / not ok per part.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from idm_desktop.server.context import ServerContext

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=True, tags=["operations"])
_NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz", summary="The process is up")
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers=_NO_STORE)


@router.get("/readyz", summary="The database and the blob store can be used", responses={503: {}})
async def readyz(request: Request) -> JSONResponse:
    ctx: ServerContext = request.app.state.ctx
    checks: dict[str, str] = {}

    def probe() -> None:
        try:
            ctx.db.check_connection()
            checks["database"] = "ok"
        except Exception:  # a readiness probe reports any failure of a part: a boundary
            log.warning("readiness: the database does not answer", exc_info=True)
            checks["database"] = "unavailable"
        try:
            ctx.blobs.check()
            checks["blobs"] = "ok"
        except Exception:  # as above
            log.warning("readiness: the blob store cannot be used", exc_info=True)
            checks["blobs"] = "unavailable"

    await run_in_threadpool(probe)
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ok" if ready else "unavailable", "checks": checks},
                        status_code=200 if ready else 503, headers=_NO_STORE)
