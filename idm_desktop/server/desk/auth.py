"""Who may use the desk: sign-in (a secretariat account, the protocol's password check and its
sign-in budgets), the session cookie, the CSRF token every form carries, sign-out."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from idm_desktop.core.clearance import Role
from idm_desktop.core.i18n import UI_LANGUAGES, translator
from idm_desktop.server import accounts, audit, throttle
from idm_desktop.server.context import ServerContext
from idm_desktop.server.deps import Ctx, request_address
from idm_desktop.server.desk import sessions
from idm_desktop.server.desk.sessions import DeskUser
from idm_desktop.server.desk.site import (
    NOTHING_REFUSED,
    FormRefused,
    Refused,
    SignInNeeded,
    check_lang,
    context,
    render,
)
from idm_desktop.server.errors import TooManyAttempts

router = APIRouter(include_in_schema=False)


def is_https(request: Request, ctx: ServerContext) -> bool:
    """Behind https (directly, or through a trusted proxy that says so)."""
    if request.url.scheme == "https":
        return True
    forwarded = request.headers.get("x-forwarded-proto", "").lower()
    return ctx.settings.trust_forwarded_for and forwarded == "https"


def _set_cookie(response: Response, request: Request, ctx: ServerContext, name: str, value: str,
                max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=is_https(request, ctx))


def current_user(request: Request, ctx: ServerContext, lang: str) -> DeskUser:
    """The signed-in secretariat user, or :class:`SignInNeeded` (also for an ended session)."""
    check_lang(lang)
    raw = request.cookies.get(sessions.COOKIE)
    query = f"?{request.url.query}" if request.url.query else ""
    then = f"{request.url.path}{query}" if request.method == "GET" else f"/{lang}/desk/"
    try:
        with ctx.db.read() as session:
            user, stale = sessions.find(session, raw, ctx.settings.desk_idle)
    except sessions.Expired:
        with ctx.db.write() as session:
            sessions.end(session, raw)
        raise SignInNeeded(lang, then, expired=True) from None
    if user is None:
        raise SignInNeeded(lang, then)
    if stale:
        with ctx.db.write() as session:
            sessions.touch(session, user.session_hash)
    request.scope.setdefault("state", {})["user"] = user.username
    return user


def require_csrf(lang: str, user: DeskUser, token: str | None) -> None:
    if not sessions.same_token(user.csrf, token):
        raise FormRefused(lang)


def _safe_then(lang: str, then: str | None) -> str:
    """Where to go after signing in: a desk page of this site, nothing else."""
    if then and any(then.startswith(f"/{code}/desk/") for code in UI_LANGUAGES) and "//" not in then \
            and "\\" not in then and len(then) < 500:
        return then
    return f"/{lang}/desk/"


def _sign_in_page(request: Request, ctx: ServerContext, lang: str, *, then: str, message: str = "",
                  username: str = "", status: int = 200, expired: bool = False) -> Response:
    token = secrets.token_urlsafe(24)
    response = render("sign_in.html", context(request, lang, sign_in_token=token, then=_safe_then(lang, then),
                                              message=message, username=username, expired=expired,
                                              active="sign-in"), status)
    _set_cookie(response, request, ctx, sessions.PRE_COOKIE, token, max_age=3600)
    return response


@router.get("/{lang}/desk/sign-in")
def sign_in_page(request: Request, ctx: Ctx, lang: str, then: str | None = None, expired: str | None = None
                 ) -> Response:
    check_lang(lang)
    return _sign_in_page(request, ctx, lang, then=then or "", expired=expired == "1")


@router.post("/{lang}/desk/sign-in")
def sign_in(
    request: Request, ctx: Ctx, lang: str,
    username: Annotated[str, Form(max_length=200)] = "", password: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "", then: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    check_lang(lang)
    _ = translator(lang).gettext
    expected = request.cookies.get(sessions.PRE_COOKIE)
    if not expected or not sessions.same_token(expected, csrf):
        return _sign_in_page(request, ctx, lang, then=then, username=username, status=403,
                             message=_("The form had expired: sign in again."))
    username = username.strip()
    if not username or not password:
        return _sign_in_page(request, ctx, lang, then=then, username=username, status=400,
                             message=_("Enter your user name and password."))
    spent = throttle.budgets(ctx.db, ctx.settings, username, request_address(request), None)
    try:
        throttle.spend(ctx.db, ctx.settings, spent)
    except TooManyAttempts as err:
        wait = (err.headers or {}).get("Retry-After", "60")
        return _sign_in_page(request, ctx, lang, then=then, username=username, status=429,
                             message=_("Too many failed sign-ins: wait {seconds} seconds and try again.")
                             .format(seconds=wait))
    with ctx.db.write() as session:
        user = accounts.check_password(session, username, password)
        if user is None or user.role != Role.SECRETARIAT.value:
            user_id = None
            audit.failed_sign_in(session, "desk", username, request_address(request))
        else:
            user_id = user.id
            sessions.end_idle(session, ctx.settings.desk_idle)
            raw, _csrf = sessions.start(session, user.id)
            audit.record(session, user.username, "desk.sign_in", user.username)
    if user_id is None:
        # A delegate's right password opens nothing here, and says so no differently.
        return _sign_in_page(request, ctx, lang, then=then, username=username, status=401,
                             message=_("Wrong user name or password, or not a secretariat account."))
    throttle.give_back(ctx.db, spent)
    response = RedirectResponse(_safe_then(lang, then), status_code=303)
    _set_cookie(response, request, ctx, sessions.COOKIE, raw)
    response.delete_cookie(sessions.PRE_COOKIE, path="/")
    return response


@router.post("/{lang}/desk/sign-out")
def sign_out(request: Request, ctx: Ctx, lang: str,
             csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    with ctx.db.write() as session:
        sessions.end(session, request.cookies.get(sessions.COOKIE))
        audit.record(session, user.username, "desk.sign_out", user.username)
    response = RedirectResponse(f"/{lang}/desk/sign-in", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/")
    return response


def page_context(request: Request, lang: str, user: DeskUser, active: str, refused: Refused = NOTHING_REFUSED,
                 **extra: object) -> dict[str, object]:
    """A signed-in page's context; after a refused form, its sentence, field and what was typed."""
    return context(request, lang, user, active=active, **refused.context(), **extra)
