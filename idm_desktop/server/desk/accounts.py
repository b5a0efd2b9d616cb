"""Accounts from the desk: add users with their role, reset a password (which signs the user out
everywhere), revoke a user's tokens. No password is ever written to the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select

from idm_desktop.core.clearance import Role
from idm_desktop.core.i18n import translator
from idm_desktop.server import accounts, audit
from idm_desktop.server.deps import Ctx
from idm_desktop.server.desk import sessions
from idm_desktop.server.desk.auth import current_user, page_context, require_csrf
from idm_desktop.server.desk.confirm import Question, ask, confirmed
from idm_desktop.server.desk.sessions import DeskUser
from idm_desktop.server.desk.site import NOTHING_REFUSED, DeskNotFound, Refused, refusal, render
from idm_desktop.server.errors import AdminError
from idm_desktop.server.models import Token, User, utcnow

router = APIRouter(include_in_schema=False)
_F = Annotated[str, Form(max_length=1000)]


def _page(request: Request, ctx: Ctx, lang: str, user: DeskUser, *, done: str | None = None,
          refused: Refused = NOTHING_REFUSED, status: int = 200) -> Response:
    now = utcnow()
    with ctx.db.read() as session:
        live = (select(Token.user_id, func.count().label("n"))
                .where(Token.revoked_at.is_(None), Token.expires_at > now).group_by(Token.user_id).subquery())
        rows = session.execute(select(User.username, User.roles, User.delegation, User.disabled, live.c.n,
                                      User.role)
                               .outerjoin(live, live.c.user_id == User.id).order_by(User.username)).all()
    users = [{"name": r[0], "roles": (r[1] or r[5]).split(","), "delegation": r[2], "disabled": r[3],
              "tokens": r[4] or 0}
             for r in rows]
    return render("accounts.html", page_context(request, lang, user, "accounts", users=users, done=done,
                                                refused=refused, roles=[r.value for r in Role]), status)


def _known(ctx: Ctx, lang: str, name: str) -> None:
    with ctx.db.read() as session:
        if session.scalar(select(User.id).where(User.username == name)) is None:
            raise DeskNotFound(lang)


@router.get("/{lang}/desk/accounts")
def accounts_page(request: Request, ctx: Ctx, lang: str, done: str | None = None) -> Response:
    return _page(request, ctx, lang, current_user(request, ctx, lang), done=done)


@router.post("/{lang}/desk/accounts")
def add_account(request: Request, ctx: Ctx, lang: str, csrf: _F = "", name: _F = "", role: _F = "",
                delegation: _F = "", password: _F = "") -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    try:
        with ctx.db.write() as session:
            added = accounts.add_user(session, name, password, role,
                                      None if role == "secretariat" else delegation.strip() or None)
            audit.record(session, user.username, "account.add", added.username, None,
                         {"role": added.role, "delegation": added.delegation})
    except AdminError as err:
        typed = {"name": name, "role": role, "delegation": delegation}
        return _page(request, ctx, lang, user, refused=refusal(err, lang, typed), status=400)
    return RedirectResponse(f"/{lang}/desk/accounts?done=added", status_code=303)


def _password_form(request: Request, lang: str, user: DeskUser, name: str, problem: str = "") -> Response:
    """The question before a reset, which is also where the new password is typed (twice): it is
    asked for only once the reset is confirmed, so no page ever carries it back."""
    _ = translator(lang).gettext
    back = f"/{lang}/desk/accounts"
    response = ask(request, lang, user, "accounts", Question(
        _("Set a new password for {name}?").format(name=name),
        [_("{name} is signed out at once on every computer and on the desk, and signs in again with the "
           "new password. Give it to them by a safe channel.").format(name=name)],
        _("Set the new password"), f"{back}/{name}/password", back, new_password=True, problem=problem))
    if problem:
        response.status_code = 400
    return response


@router.post("/{lang}/desk/accounts/{name}/password")
def reset_password(request: Request, ctx: Ctx, lang: str, name: str, csrf: _F = "", password: _F = "",
                   password_again: _F = "", confirm: _F = "") -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    _known(ctx, lang, name)
    if not confirmed(confirm):
        return _password_form(request, lang, user, name)
    _ = translator(lang).gettext
    if len(password) < accounts.MIN_PASSWORD_CHARS:
        return _password_form(request, lang, user, name, _(accounts.TOO_SHORT).format(
            n=accounts.MIN_PASSWORD_CHARS))
    if password != password_again:
        return _password_form(request, lang, user, name, _(
            "The two passwords differ: type the new password twice, the same."))
    try:
        with ctx.db.write() as session:
            target, revoked = accounts.reset_password(session, name, password)
            if target.id != user.user_id:
                sessions.end_all(session, target.id)
            audit.record(session, user.username, "account.reset_password", name, None,
                         {"tokens_revoked": revoked})
    except AdminError as err:
        return _password_form(request, lang, user, name, refusal(err, lang, {}).error)
    return RedirectResponse(f"/{lang}/desk/accounts?done=password", status_code=303)


@router.post("/{lang}/desk/accounts/{name}/revoke")
def revoke(request: Request, ctx: Ctx, lang: str, name: str, csrf: _F = "", confirm: _F = "") -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    if not confirmed(confirm):
        _ = translator(lang).gettext
        _known(ctx, lang, name)
        back = f"/{lang}/desk/accounts"
        return ask(request, lang, user, "accounts", Question(
            _("Sign {name} out everywhere?").format(name=name),
            [_("Every computer where {name} is signed in must sign in again before it can sync; their work "
               "stays on those computers. Their password does not change.").format(name=name)],
            _("Sign out everywhere"), f"{back}/{name}/revoke", back))
    try:
        with ctx.db.write() as session:
            revoked = accounts.revoke_all(session, name)
            audit.record(session, user.username, "account.revoke_tokens", name, None,
                         {"tokens_revoked": revoked})
    except AdminError as err:
        return _page(request, ctx, lang, user, refused=refusal(err, lang, {}), status=400)
    return RedirectResponse(f"/{lang}/desk/accounts?done=revoked", status_code=303)


