"""FastAPI dependencies: the shared context, the signed-in caller, role checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from idm_desktop.server import accounts
from idm_desktop.server.accounts import Caller
from idm_desktop.server.context import ServerContext
from idm_desktop.server.errors import Forbidden, Unauthorized
from idm_desktop.server.middleware import client_address

_bearer = HTTPBearer(auto_error=False, description="The token from POST /api/v1/auth/token")


async def get_context(request: Request) -> ServerContext:
    # async: a plain def dependency would cost every request a trip to a worker thread.
    ctx: ServerContext = request.app.state.ctx
    return ctx


Ctx = Annotated[ServerContext, Depends(get_context)]


def request_address(request: Request) -> str:
    """Who made the request (server/middleware.py's :func:`client_address` rule)."""
    ctx: ServerContext = request.app.state.ctx
    return client_address(request.scope, trust_forwarded_for=ctx.settings.trust_forwarded_for)


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def bearer_token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Sign in first: send the token as 'Authorization: Bearer <token>'.")
    return credentials.credentials


def signed_in(request: Request, ctx: ServerContext, caller: Caller, stale: bool) -> Caller:
    """Finish what ``accounts.authenticate`` began, after its read unit of work: note the
    token's use when that is due, and name the user in the access log."""
    if stale:
        with ctx.db.write() as session:
            accounts.touch(session, caller.token_id)
    request.scope.setdefault("state", {})["user"] = caller.username
    return caller


def get_caller(request: Request, ctx: Ctx, credentials: Credentials) -> Caller:
    token = bearer_token(credentials)
    with ctx.db.read() as session:
        caller, stale = accounts.authenticate(session, token)
    return signed_in(request, ctx, caller, stale)


CurrentCaller = Annotated[Caller, Depends(get_caller)]


async def get_secretariat(caller: CurrentCaller) -> Caller:
    if not caller.is_secretariat:
        raise Forbidden("Only the secretariat may do this.")
    return caller


Secretariat = Annotated[Caller, Depends(get_secretariat)]
