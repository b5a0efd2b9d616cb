"""The routes of protocol v1 (``/api/v1``): auth, info, changes, blobs, ops, submit, and the
secretariat's publishing routes."""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from idm_desktop import __version__
from idm_desktop.protocol import (
    PROTOCOL_VERSION,
    AuthRequest,
    AuthResponse,
    Change,
    ChangesPage,
    ErrorBody,
    OpBatch,
    OpResults,
    Receipt,
    ServerInfo,
    SubmitRequest,
    Withdrawal,
    WithdrawRequest,
)
from idm_desktop.protocol.schemas import MAX_PAGE, BundleReplay, Sha256, Uuid
from idm_desktop.server import accounts, audit, feed, outbox, publishing, pushes, throttle, withdrawals
from idm_desktop.server.context import ServerContext
from idm_desktop.server.deps import (
    Credentials,
    Ctx,
    CurrentCaller,
    Secretariat,
    bearer_token,
    request_address,
    signed_in,
)
from idm_desktop.server.entities import changes_for, document_data, submission_data
from idm_desktop.server.errors import NotFound, NotReady, TooLarge, Unauthorized
from idm_desktop.server.models import Document, FeedEntry, FeedState, Submission, utcnow


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in codes}


# 422: a request that does not match the schema; 400 (on routes with a JSON body): a body that
# is not JSON at all (say, not UTF-8).
router = APIRouter(prefix="/api/v1", responses=_errors(422))


# -- info and auth --------------------------------------------------------------------------------

@router.get("/info", tags=["info"], response_model=ServerInfo,
            responses={304: {"description": "Nothing but the clock changed since the ETag sent"}})
def info(request: Request, ctx: Ctx,
         if_none_match: Annotated[str | None, Header(max_length=100)] = None) -> Response:
    """Protocol version, the oldest desktop version it accepts, the server's clock, its public
    signing keys (the one in service last) and the key outbox bundles are sealed to; with a valid
    bearer token, the caller's roles and the delegation's clearance policy (DESIGN §13). No token
    is needed: the route is public. Its ETag covers all but the clock: a desktop that asks after
    each sync with ``If-None-Match`` is answered 304, without a body, while nothing changed."""
    account = None
    # Read by hand, not through the bearer dependency: the route stays public in the OpenAPI.
    scheme, _sep, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        with ctx.db.read() as session:
            account = accounts.account_info(session, token.strip())
    body = ServerInfo(protocol_version=PROTOCOL_VERSION, min_client_version=ctx.settings.min_client_version,
                      server_version=__version__, server_time=utcnow(), signing_keys=list(ctx.keys.keys),
                      sealing_key=ctx.keys.sealing_key, account=account)
    tag = '"' + hashlib.sha256(body.model_dump_json(exclude={"server_time"}).encode()).hexdigest()[:32] + '"'
    if if_none_match == tag:
        return Response(status_code=304, headers={"ETag": tag})
    return Response(body.model_dump_json(), media_type="application/json", headers={"ETag": tag})


@router.post("/auth/token", tags=["auth"], responses=_errors(400, 401, 429))
def sign_in(request: Request, ctx: Ctx, body: AuthRequest) -> AuthResponse:
    """Exchange a user name and password for a bearer token (each guess counted first: 429 while a
    budget waits; a device that signed in before has a budget of its own)."""
    address = request_address(request)
    spent = throttle.budgets(ctx.db, ctx.settings, body.username, address, body.device_secret)
    throttle.spend(ctx.db, ctx.settings, spent)
    with ctx.db.write() as session:
        issued = accounts.sign_in(session, ctx.settings, body.username, body.password,
                                  body.device_name, body.device_secret, body.device_key)
        if issued is not None:
            token, row, user = issued
            policy = accounts.clearance_policy(session, user.delegation)
            answer = AuthResponse(token=token, expires_at=row.expires_at, user=user.username,
                                  role=user.role,  # type: ignore[arg-type]
                                  delegation=user.delegation, device_id=row.device_id,
                                  roles=accounts.user_roles(user), clearance=policy.value,
                                  submitters=accounts.submitters(session, user.delegation))
        else:
            audit.failed_sign_in(session, "protocol", body.username, address)
    if issued is None:
        raise Unauthorized("Wrong user name or password.")
    throttle.give_back(ctx.db, spent)
    return answer


@router.post("/auth/logout", tags=["auth"], status_code=204, responses=_errors(401))
def sign_out(ctx: Ctx, caller: CurrentCaller) -> Response:
    """Revoke the token this request was made with."""
    with ctx.db.write() as session:
        accounts.revoke_token(session, caller.token_id)
    return Response(status_code=204)


# -- pull -----------------------------------------------------------------------------------------

@router.get("/changes", tags=["sync"], response_model=ChangesPage, responses=_errors(400, 401, 410))
async def changes(
    request: Request, ctx: Ctx, credentials: Credentials,
    cursor: Annotated[str | None, Query(max_length=200, description="next_cursor of the last page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
) -> Response:
    """What changed since ``cursor`` that the caller may see, oldest first."""
    # Every client polls this, and most polls find nothing new (DESIGN §11): those asked again
    # within a second are answered from memory (polls.py); the others make one trip to a worker
    # thread, one query for the caller and the feed's head together, and read rows only when
    # there is something to send.
    token = bearer_token(credentials)
    quiet = ctx.polls.answer(token, cursor)
    if quiet is not None:
        body, user = quiet
        request.scope.setdefault("state", {})["user"] = user
        return Response(body, media_type="application/json")
    page = await asyncio.get_running_loop().run_in_executor(
        ctx.poll_threads, _changes, request, ctx, token, cursor, limit)
    return Response(page.model_dump_json(), media_type="application/json")


_POLL = (accounts.CALLER_QUERY.add_columns(FeedState.last_seq, FeedState.epoch)
         .outerjoin(FeedState, FeedState.id == 1))


def _changes(request: Request, ctx: ServerContext, token: str, cursor: str | None, limit: int) -> ChangesPage:
    row = ctx.db.fetch_one(_POLL, accounts.caller_params(token))
    caller, stale = accounts.caller_from_row(row)
    assert row is not None
    head, epoch = row[-2:]
    if head is None:
        raise NotReady("The server is starting: try again in a moment.")
    after = feed.decode_cursor(cursor, FeedState(id=1, last_seq=head, epoch=epoch))
    entries: list[FeedEntry] = []
    result: list[Change] = []
    if after < head:
        # A later snapshot than the head's is fine: every change up to the head was committed
        # before it was read (feed.next_seq), and later ones only move the next cursor on.
        with ctx.db.read() as session:
            entries = feed.page(session, after, limit, caller.delegation, everything=caller.is_secretariat)
            result = changes_for(session, entries)
    signed_in(request, ctx, caller, stale)
    ctx.polls.remember(token, caller.username, head, epoch)
    has_more = len(entries) == limit
    last = entries[-1].seq if entries else after
    next_seq = last if has_more else max(last, head)
    return ChangesPage(changes=result, next_cursor=feed.Cursor(epoch, next_seq).encode(), has_more=has_more)


@router.get("/blobs/{sha256}", tags=["sync"], response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}},
                       206: {"content": {"application/octet-stream": {}}},
                       **_errors(401, 404)})
def blob(ctx: Ctx, caller: CurrentCaller, sha256: Sha256) -> Response:
    """A published file's bytes; ``Range`` and ``If-Range`` (with the ETag) resume a download."""
    with ctx.db.read() as session:
        # Only the type: the whole row holds the document's text, as long as the file itself.
        mime = session.scalar(select(Document.mime).where(Document.sha256 == sha256,
                                                          Document.deleted.is_(False)).limit(1))
    if mime is None:
        raise NotFound("No published file has this sha256.")
    try:
        return ctx.blobs.response(
            sha256, mime or "application/octet-stream",
            {"ETag": f'"{sha256}"', "Cache-Control": "private, max-age=31536000, immutable"})
    except FileNotFoundError:
        raise NotFound("No published file has this sha256.") from None


# -- push -----------------------------------------------------------------------------------------

@router.post("/ops", tags=["sync"], responses=_errors(400, 401, 413))
def push_ops(ctx: Ctx, caller: CurrentCaller, batch: OpBatch) -> OpResults:
    """Apply a batch of ops (gzip welcome), each on its own, in order: one result per op."""
    return OpResults(results=pushes.apply_ops(ctx.db, caller, list(batch.ops)))


@router.post("/bundles", tags=["sync"], responses=_errors(400, 401, 413),
             openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {
                 "schema": {"type": "string", "format": "binary"}}}}})
async def replay_bundle(request: Request, ctx: Ctx, caller: CurrentCaller) -> BundleReplay:
    """Check a desktop's outbox bundle (the request body is the ``.idmbundle`` file: signed by a
    registered device of the caller's delegation, sealed to this server or readable) and apply its
    ops as that device's; 400 with one sentence, nothing changed, when any of it does not hold."""
    limit = ctx.settings.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="idm-bundle-") as tmp:
        path = Path(tmp) / "upload.idmbundle"
        size = 0
        with path.open("wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"The bundle is over {limit} bytes.")
                out.write(chunk)
        return await run_in_threadpool(outbox.replay_bundle, ctx.db, ctx.keys, caller, path)


@router.get("/submissions/{submission_id}", tags=["sync"], responses=_errors(401, 404))
def get_submission(ctx: Ctx, caller: CurrentCaller, submission_id: Uuid) -> dict[str, Any]:
    """One submission of the caller's delegation, as the changes feed carries it, plus its rev."""
    with ctx.db.read() as session:
        sub = session.get(Submission, submission_id)
        if sub is None or (sub.delegation != caller.delegation and not caller.is_secretariat):
            raise NotFound("No such submission for your delegation.")
        return {"id": sub.id, "rev": sub.rev, **submission_data(sub)}


@router.post("/submissions/{submission_id}/submit", tags=["sync"], status_code=201,
             responses={200: {"model": Receipt, "description": "Submitted before: the same receipt"},
                        **_errors(400, 401, 403, 404, 409)})
def submit(
    ctx: Ctx, caller: CurrentCaller, submission_id: Uuid, body: SubmitRequest, response: Response,
    idempotency_key: Annotated[str, Header(min_length=1, max_length=200)],
) -> Receipt:
    """Submit the submission at ``rev`` with hash ``sha256``; answers with the receipt."""
    outcome = pushes.submit(ctx.db, ctx.keys, caller, submission_id, body, idempotency_key)
    if not outcome.created:
        response.status_code = 200
    return outcome.receipt


@router.post("/submissions/{submission_id}/withdraw", tags=["sync"],
             responses=_errors(400, 401, 403, 404, 409))
def withdraw(ctx: Ctx, caller: CurrentCaller, submission_id: Uuid, body: WithdrawRequest) -> Withdrawal:
    """Take back a submission the secretariat received, saying why; asking again answers the same."""
    return withdrawals.withdraw(ctx.db, caller, submission_id, body)


# -- the secretariat's routes ---------------------------------------------------------------------

class Published(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    rev: int


class UnpublishRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class DocumentOut(BaseModel):
    id: str
    rev: int
    data: dict[str, Any]


_Lang = Annotated[str, Query(pattern="^(en|fr|es)$")]
_Text = Annotated[str, StringConstraints(min_length=1, max_length=300)]


@router.post("/admin/documents", tags=["secretariat"], status_code=201,
             openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {
                 "schema": {"type": "string", "format": "binary"}}}}},
             responses=_errors(400, 401, 403, 413))
async def upload_document(
    request: Request, ctx: Ctx, caller: Secretariat,
    workshop: Annotated[str, Query(min_length=1, max_length=100)],
    symbol: Annotated[str, Query(min_length=1, max_length=200)],
    language: _Lang,
    filename: Annotated[str, Query(pattern=r"^[^/\\]{1,200}\.(pdf|docx|txt|md)$")],
    title: Annotated[str | None, Query(max_length=300)] = None,
) -> DocumentOut:
    """Publish a document: the request body is the file (PDF, DOCX, TXT or Markdown)."""
    limit = ctx.settings.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="idm-upload-") as tmp:
        path = Path(tmp) / Path(filename).name
        size = 0
        with path.open("wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"The file is over {limit} bytes.")
                out.write(chunk)
        doc = await run_in_threadpool(
            publishing.publish_document, ctx.db, ctx.blobs, path,
            workshop=workshop, symbol=symbol, language=language, title=title, max_bytes=limit)
    with ctx.db.read() as session:
        row = session.get(Document, doc.id)
        assert row is not None
        return DocumentOut(id=row.id, rev=row.rev, data=document_data(row))


@router.delete("/admin/documents/{document_id}", tags=["secretariat"], status_code=204,
               responses=_errors(401, 403, 404))
def withdraw_document(ctx: Ctx, caller: Secretariat, document_id: Uuid) -> Response:
    """Withdraw a document: clients receive a tombstone."""
    publishing.withdraw_document(ctx.db, document_id)
    return Response(status_code=204)


@router.post("/admin/templates", tags=["secretariat"], status_code=201,
             responses=_errors(400, 401, 403, 409))
def upload_template(
    ctx: Ctx, caller: Secretariat, template: Annotated[dict[str, Any], Body()],
) -> Published:
    """Publish a new template version (the JSON format of the bundled templates)."""
    key = publishing.publish_template(ctx.db, publishing.template_from_json(template))
    return Published(id=key, rev=1)


# IDM-2026-MEX-00001; before each delegation had a sequence of its own, IDM-2026-00001.
_Receipt = Annotated[str, StringConstraints(pattern=r"^IDM-\d{4}-([A-Z]{3}-)?\d{5,}$")]


@router.post("/admin/submissions/{receipt_no}/publish", tags=["secretariat"],
             responses=_errors(401, 403, 404, 409))
def publish_submission(ctx: Ctx, caller: Secretariat, receipt_no: _Receipt) -> Published:
    """Put a received submission in the public policy database."""
    sub = publishing.publish_submission(ctx.db, receipt_no)
    return Published(id=sub.id, rev=sub.rev)


@router.post("/admin/submissions/{receipt_no}/unpublish", tags=["secretariat"],
             responses=_errors(400, 401, 403, 404, 409))
def unpublish_submission(
    ctx: Ctx, caller: Secretariat, receipt_no: _Receipt, body: UnpublishRequest,
) -> Published:
    """Take a submission out of the public policy database, with the reason."""
    sub = publishing.unpublish_submission(ctx.db, receipt_no, body.reason)
    return Published(id=sub.id, rev=sub.rev)


