"""The desk's home (every workshop's counts), one workshop's status board and its CSV, the member
delegations, and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from idm_desktop.core.i18n import N_, translator
from idm_desktop.core.workshops import Workshop as CoreWorkshop
from idm_desktop.server import audit, board, delegations, events
from idm_desktop.server.board import Standing
from idm_desktop.server.deps import Ctx
from idm_desktop.server.desk import audit_view
from idm_desktop.server.desk.auth import current_user, page_context, require_csrf
from idm_desktop.server.desk.confirm import Question, ask, confirmed
from idm_desktop.server.desk.site import (
    NOTHING_REFUSED,
    DeskNotFound,
    Refused,
    check_lang,
    refusal,
    render,
)
from idm_desktop.server.errors import AdminError
from idm_desktop.server.models import Notice
from idm_desktop.server.pagekit import country_label

router = APIRouter(include_in_schema=False)

STANDING_LABELS = {
    Standing.NONE: N_("No submission"),
    Standing.ON_TIME: N_("Received on time"),
    Standing.LATE: N_("Received late"),
    Standing.RETURNED: N_("Returned for correction"),
    Standing.PUBLISHED: N_("Published"),
    Standing.WITHDRAWN: N_("Withdrawn"),
}
AUDIT_PAGE = 50


def _workshop(workshops: list[CoreWorkshop], workshop_id: str, lang: str) -> CoreWorkshop:
    for w in workshops:
        if w.id == workshop_id:
            return w
    raise DeskNotFound(lang)


@router.get("/{lang}/desk")
def desk_root(lang: str) -> RedirectResponse:
    check_lang(lang)
    return RedirectResponse(f"/{lang}/desk/", status_code=301)


@router.get("/{lang}/desk/")
def home(request: Request, ctx: Ctx, lang: str) -> Response:
    user = current_user(request, ctx, lang)
    with ctx.db.read() as session:
        found = board.boards(session, board.taking_submissions(session, board.workshops(session)))
    return render("home.html", page_context(request, lang, user, "board", boards=found,
                                            standings=list(Standing), labels=STANDING_LABELS))


@router.get("/{lang}/desk/board/{workshop_id}.csv")
def workshop_csv(request: Request, ctx: Ctx, lang: str, workshop_id: str) -> Response:
    user = current_user(request, ctx, lang)
    _ = translator(lang).gettext
    with ctx.db.read() as session:
        w = _workshop(board.workshops(session), workshop_id, lang)
        (found,) = board.boards(session, [w])
    names = {row.iso3: country_label(row.iso3, lang) for row in found.rows}
    labels = {s: _(label) for s, label in STANDING_LABELS.items()}
    text = board.csv_text(found, names, labels, [
        "iso3", _("Delegation"), "status_code", _("Status"), _("Receipt number"),
        _("Received (Geneva time)")])
    del user
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="board-{w.id}.csv"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


@router.get("/{lang}/desk/board/{workshop_id}")
def workshop_board(request: Request, ctx: Ctx, lang: str, workshop_id: str) -> Response:
    user = current_user(request, ctx, lang)
    with ctx.db.read() as session:
        w = _workshop(board.workshops(session), workshop_id, lang)
        (found,) = board.boards(session, [w])
    return render("board.html", page_context(request, lang, user, "board", board=found,
                                             standings=list(Standing), labels=STANDING_LABELS))


@router.get("/{lang}/desk/delegations")
def delegations_page(request: Request, ctx: Ctx, lang: str, done: str | None = None) -> Response:
    user = current_user(request, ctx, lang)
    return _delegations(request, ctx, lang, user, done=done)


def _delegations(request: Request, ctx: Ctx, lang: str, user: object, *, done: str | None = None,
                 refused: Refused = NOTHING_REFUSED, status: int = 200) -> Response:
    with ctx.db.read() as session:
        members = delegations.members(session)
    return render("delegations.html", page_context(request, lang, user, "delegations",  # type: ignore[arg-type]
                                                   members=members, done=done, refused=refused), status)


@router.post("/{lang}/desk/delegations")
def add_delegation(request: Request, ctx: Ctx, lang: str, csrf: Annotated[str, Form(max_length=200)] = "",
                   iso3: Annotated[str, Form(max_length=60)] = "") -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    try:
        with ctx.db.write() as session:
            code = delegations.add(session, iso3, user.username)
    except AdminError as err:
        return _delegations(request, ctx, lang, user, refused=refusal(err, lang, {"iso3": iso3}), status=400)
    return RedirectResponse(f"/{lang}/desk/delegations?done={code}", status_code=303)


@router.post("/{lang}/desk/delegations/{iso3}")
def set_delegation(request: Request, ctx: Ctx, lang: str, iso3: str,
                   csrf: Annotated[str, Form(max_length=200)] = "",
                   active: Annotated[str, Form(max_length=5)] = "",
                   confirm: Annotated[str, Form(max_length=5)] = "") -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    if active != "1" and not confirmed(confirm):
        _ = translator(lang).gettext
        name = country_label(iso3, lang)
        back = f"/{lang}/desk/delegations"
        return ask(request, lang, user, "delegations", Question(
            _("Take {country} off the status board?").format(country=name),
            [_("{country} ({code}) will no longer have a row on any workshop's status board or in its CSV. "
               "What it sent is kept, and you can put it back on the board at any time.")
             .format(country=name, code=iso3)],
            _("Take it off the board"), f"{back}/{iso3}", back, {"active": "0"}))
    try:
        with ctx.db.write() as session:
            delegations.set_active(session, iso3, active == "1", user.username)
    except AdminError as err:
        return _delegations(request, ctx, lang, user, refused=refusal(err, lang, {}), status=400)
    return RedirectResponse(f"/{lang}/desk/delegations", status_code=303)


@router.get("/{lang}/desk/audit")
def audit_page(request: Request, ctx: Ctx, lang: str, page: str | None = None) -> Response:
    user = current_user(request, ctx, lang)
    number = int(page) if page and page.isdigit() and len(page) < 6 else 1
    with ctx.db.read() as session:
        entries, total = audit.recent(session, limit=AUDIT_PAGE, offset=(number - 1) * AUDIT_PAGE)
        notice_ids = {e.target for e in entries if e.action.startswith("notice.")}
        names = audit_view.Names(
            {w.id: w for w in board.workshops(session)},
            {n.id: n.text for n in session.scalars(select(Notice).where(Notice.id.in_(notice_ids)))}
            if notice_ids else {},
            {key: title for key, _tid, _version, title in events.templates(session)})
    pages = max(1, -(-total // AUDIT_PAGE))
    return render("audit.html", page_context(request, lang, user, "audit", total=total, page=number,
                                             pages=pages, entries=audit_view.lines(entries, lang, names)))


not_found_router = APIRouter(include_in_schema=False)


@not_found_router.api_route("/{lang}/desk/{rest:path}", methods=["GET", "POST"])
def desk_not_found(request: Request, ctx: Ctx, lang: str, rest: str) -> Response:
    """Any other address of the desk: the sign-in page without a session, else the desk's 404."""
    current_user(request, ctx, lang)
    raise DeskNotFound(lang)
