"""The received queue: open what a delegation sent (its text drawn as the public page draws it,
its PDF, its facts), publish, unpublish with a reason, return for correction with a note."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from idm_desktop.core.i18n import N_, translator
from idm_desktop.core.languages import language_name
from idm_desktop.server import board, publishing, received
from idm_desktop.server.deps import Ctx
from idm_desktop.server.desk.auth import current_user, page_context, require_csrf
from idm_desktop.server.desk.confirm import Question, ask, confirmed
from idm_desktop.server.desk.sessions import DeskUser
from idm_desktop.server.desk.site import (
    NOTHING_REFUSED,
    SUBMISSION_STATUSES,
    DeskNotFound,
    Refused,
    refusal,
    render,
    when,
)
from idm_desktop.server.errors import AdminError
from idm_desktop.server.pagekit import country_label
from idm_desktop.server.printable import render_pdf

router = APIRouter(include_in_schema=False)

QUEUES = {"received": ("received",), "returned": ("returned",), "published": ("published",),
          "all": ("received", "returned", "published", "withdrawn")}


@router.get("/{lang}/desk/queue")
def queue_page(request: Request, ctx: Ctx, lang: str, show: str | None = None,
               workshop: str | None = None) -> Response:
    user = current_user(request, ctx, lang)
    which = show if show in QUEUES else "received"
    with ctx.db.read() as session:
        workshops = board.taking_submissions(session, board.workshops(session))
        chosen = workshop if workshop in {w.id for w in workshops} else None
        items = received.queue(session, QUEUES[which], chosen, corrected=which == "all")
    names = {w.id: w for w in workshops}
    return render("queue.html", page_context(request, lang, user, "queue", items=items, show=which,
                                             queues=list(QUEUES), workshops=workshops, chosen=chosen,
                                             events_by_id=names))


def _opened(request: Request, ctx: Ctx, lang: str, user: DeskUser, receipt_no: str, *,
            done: str | None = None, refused: Refused = NOTHING_REFUSED, status: int = 200) -> Response:
    with ctx.db.read() as session:
        found = received.open_one(session, receipt_no)
        workshop = found.printed.workshop if found else None
    if found is None:
        raise DeskNotFound(lang)
    return render("submission.html", page_context(
        request, lang, user, "queue", sub=found, workshop=workshop, done=done, refused=refused), status)


@router.get("/{lang}/desk/submissions/{receipt_no}.pdf")
def submission_pdf(request: Request, ctx: Ctx, lang: str, receipt_no: str) -> Response:
    current_user(request, ctx, lang)
    with ctx.db.read() as session:
        found = received.open_one(session, receipt_no)
    if found is None:
        raise DeskNotFound(lang)
    data = render_pdf(found.printed).data
    name = f"{found.item.receipt_no}-{found.item.country}-{found.item.language}.pdf"
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


@router.get("/{lang}/desk/submissions/{receipt_no}")
def submission_page(request: Request, ctx: Ctx, lang: str, receipt_no: str,
                    done: str | None = None) -> Response:
    user = current_user(request, ctx, lang)
    return _opened(request, ctx, lang, user, receipt_no, done=done)


_NEEDS_TEXT = {
    "unpublish": N_("Write the reason: it is kept with the submission and the delegation sees it."),
    "return": N_("Write what to correct: the note is what the delegation reads."),
}


_ASKED = ("publish", "unpublish", "return")


def _ask(request: Request, ctx: Ctx, lang: str, user: DeskUser, receipt_no: str, action: str,
         text: str) -> Response:
    """The page that asks before publishing or unpublishing: which submission, and what follows."""
    _ = translator(lang).gettext
    with ctx.db.read() as session:
        found = received.open_one(session, receipt_no)
    if found is None:
        raise DeskNotFound(lang)
    item = found.item
    workshop = found.printed.workshop
    if (action in ("publish", "return") and (item.status != "received" or found.superseded_by)) or (
            action == "unpublish" and item.status != "published"):
        return _opened(request, ctx, lang, user, receipt_no, status=400, refused=Refused(_(
            "Nothing to do: this submission is “{status}”.").format(
            status=_(SUBMISSION_STATUSES[item.status]).lower())))
    which = _("{country}: “{title}” ({language}), receipt number {receipt}, for {workshop}.").format(
        country=country_label(item.country, lang), title=item.title or _("Policy overview"),
        language=language_name(item.language, lang), receipt=item.receipt_no,
        workshop=workshop.title_in(lang) if workshop else item.workshop_id)
    back = f"/{lang}/desk/submissions/{receipt_no}"
    if action == "publish":
        earlier = [_("Unpublished on {date}: {reason}").format(
            date=when(item.unpublished_at, lang), reason=item.unpublished_reason or "–")
        ] if item.unpublished_at else []
        question = Question(
            _("Publish this policy overview?"),
            [which, *earlier, _("It will appear on the public site at once, where anyone can read it and "
                                "download its PDF.")],
            _("Publish it now"), f"{back}/publish", back)
    elif action == "return":
        question = Question(
            _("Return this policy overview for correction?"),
            [which, _("The delegation's desktops show your note after their next sync; their correction "
                      "comes into the received queue as a new version. Your note:")],
            _("Return it now"), f"{back}/return", back, {"text": text}, quote=text.strip())
    else:
        question = Question(
            _("Take this policy overview off the public site?"),
            [which, _("It disappears from the public site at once. The delegation reads your reason:")],
            _("Unpublish it now"), f"{back}/unpublish", back, {"text": text}, quote=text.strip())
    return ask(request, lang, user, "queue", question)


@router.post("/{lang}/desk/submissions/{receipt_no}/{action}")
def act(request: Request, ctx: Ctx, lang: str, receipt_no: str, action: str,
        csrf: Annotated[str, Form(max_length=200)] = "",
        text: Annotated[str, Form(max_length=publishing.MAX_NOTE_CHARS + 100)] = "",
        confirm: Annotated[str, Form(max_length=5)] = "") -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    if action in _NEEDS_TEXT and not text.strip():  # said in the page's language, before any change
        missing = translator(lang).gettext(_NEEDS_TEXT[action])
        return _opened(request, ctx, lang, user, receipt_no, status=400,
                       refused=Refused(missing, f"text-{action}", {"text": text}))
    if action in _ASKED and not confirmed(confirm):
        return _ask(request, ctx, lang, user, receipt_no, action, text)
    try:
        if action == "publish":
            publishing.publish_submission(ctx.db, receipt_no, user.username)
        elif action == "unpublish":
            publishing.unpublish_submission(ctx.db, receipt_no, text, user.username)
        elif action == "return":
            publishing.return_submission(ctx.db, receipt_no, text, user.username)
        else:
            raise DeskNotFound(lang)
    except AdminError as err:
        said = refusal(err, lang, {"text": text})
        return _opened(request, ctx, lang, user, receipt_no, status=400,
                       refused=dataclasses.replace(said, field=f"text-{action}" if said.field else ""))
    return RedirectResponse(f"/{lang}/desk/submissions/{receipt_no}?done={action}", status_code=303)
