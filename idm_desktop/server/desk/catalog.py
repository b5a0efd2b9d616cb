"""What the secretariat publishes to every desktop: documents (upload, withdraw), events (dates,
venue, status, deadline, guiding questions) and templates (upload a version, make it current for
an event). Each change goes through the shared services, into the changes feed and the audit log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from idm_desktop.core.documents import DocumentKind
from idm_desktop.core.i18n import N_, translator
from idm_desktop.core.languages import language_name
from idm_desktop.core.workshops import EventKind, EventStatus
from idm_desktop.server import board, events, notices, publishing
from idm_desktop.server.deps import Ctx
from idm_desktop.server.desk.auth import current_user, page_context, require_csrf
from idm_desktop.server.desk.confirm import Question, ask, confirmed
from idm_desktop.server.desk.sessions import DeskUser
from idm_desktop.server.desk.site import NOTHING_REFUSED, DeskNotFound, Refused, refusal, render
from idm_desktop.server.errors import AdminError
from idm_desktop.server.models import Document, Notice

router = APIRouter(include_in_schema=False)
_F = Annotated[str, Form(max_length=4000)]
_SUFFIXES = (".pdf", ".docx", ".txt", ".md")


def _documents_page(request: Request, ctx: Ctx, lang: str, user: DeskUser, *, done: str | None = None,
                    refused: Refused = NOTHING_REFUSED, status: int = 200) -> Response:
    with ctx.db.read() as session:
        docs = session.scalars(select(Document).where(Document.deleted.is_(False))
                               .order_by(Document.published_at.desc()).limit(500)).all()
        listed = [{"id": d.id, "symbol": d.symbol, "title": d.title, "workshop_id": d.workshop_id,
                   "language": d.language, "languages": d.languages.split(","), "date": d.date,
                   "pages": d.page_count, "kind": d.kind} for d in docs]
        workshops = board.workshops(session)
    return render("documents.html", page_context(
        request, lang, user, "documents", documents=listed, workshops=workshops,
        kinds=[k.value for k in DocumentKind], done=done, refused=refused), status)


@router.get("/{lang}/desk/documents")
def documents_page(request: Request, ctx: Ctx, lang: str, done: str | None = None) -> Response:
    user = current_user(request, ctx, lang)
    return _documents_page(request, ctx, lang, user, done=done)


@router.post("/{lang}/desk/documents")
async def upload_document(
    request: Request, ctx: Ctx, lang: str, file: Annotated[UploadFile | None, File()] = None,
    csrf: _F = "", symbol: _F = "", workshop: _F = "", kind: _F = "", language: _F = "",
    languages: Annotated[list[str] | None, Form()] = None, date: _F = "", title: _F = "", replace: _F = "",
) -> Response:
    user = await run_in_threadpool(current_user, request, ctx, lang)
    require_csrf(lang, user, csrf)
    limit = ctx.settings.max_upload_bytes
    try:
        day = _day(date)
        with tempfile.TemporaryDirectory(prefix="idm-desk-upload-") as tmp:
            path = await _saved(file, Path(tmp), limit)
            await run_in_threadpool(
                publishing.publish_document, ctx.db, ctx.blobs, path, workshop=workshop, symbol=symbol,
                language=language, title=title.strip() or None, languages=",".join(languages or [language]),
                kind=kind or None, date=day, max_bytes=limit, replace=bool(replace), actor=user.username)
    except AdminError as err:
        if err.code == "document_exists":
            err = _already_published(err, lang)
        typed = {"symbol": symbol, "workshop": workshop, "kind": kind, "language": language, "date": date,
                 "title": title, "languages": languages or []}
        return await run_in_threadpool(_documents_page, request, ctx, lang, user,
                                       refused=refusal(err, lang, typed),
                                       status=400)
    return RedirectResponse(f"/{lang}/desk/documents?done=published", status_code=303)


def _already_published(err: AdminError, lang: str) -> AdminError:
    """The service's refusal of a symbol already published, in the desk's words: the language named,
    no internal id, and the form's own way to replace it rather than the command line's."""
    return AdminError(N_("{symbol} in {language} is already published (“{title}”): tick “Replace the "
                         "document published under this symbol” to put this file in its place (the "
                         "published one is withdrawn), or give this document its own symbol."),
                      err.code, field="symbol", params={
                          "symbol": err.params["symbol"], "title": err.params["title"],
                          "language": language_name(str(err.params["language"]), lang)})


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        raise AdminError(N_("The date is not a date: write it as YYYY-MM-DD."), field="date") from None


async def _saved(file: UploadFile | None, folder: Path, limit: int) -> Path:
    """The upload written to ``folder`` under its own name (a file type the reader takes)."""
    name = Path(file.filename or "").name if file is not None else ""
    if not name.lower().endswith(_SUFFIXES):
        raise AdminError(N_("Upload a PDF, DOCX, TXT or Markdown file."), field="file")
    assert file is not None
    path = folder / name
    size = 0
    with path.open("wb") as out:
        while chunk := await file.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                raise AdminError(N_("The file is over {limit} bytes."), params={"limit": limit}, field="file")
            out.write(chunk)
    return path


@router.post("/{lang}/desk/documents/{document_id}/withdraw")
def withdraw(request: Request, ctx: Ctx, lang: str, document_id: str, csrf: _F = "", confirm: _F = ""
             ) -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    if not confirmed(confirm):
        with ctx.db.read() as session:
            doc = session.get(Document, document_id)
            if doc is None or doc.deleted:
                raise DeskNotFound(lang)
            symbol, title = doc.symbol, doc.title
            workshop = next((w.title_in(lang) for w in board.workshops(session) if w.id == doc.workshop_id),
                            doc.workshop_id)
        _ = translator(lang).gettext
        back = f"/{lang}/desk/documents"
        return ask(request, lang, user, "documents", Question(
            _("Withdraw document {symbol}?").format(symbol=symbol),
            [_("{symbol}: “{title}” ({workshop}).").format(symbol=symbol, title=title, workshop=workshop),
             _("Every desktop drops it at its next sync, and it leaves the public site's list of documents. "
               "To offer it again, publish the file anew.")],
            _("Withdraw it"), f"{back}/{document_id}/withdraw", back))
    try:
        publishing.withdraw_document(ctx.db, document_id, user.username)
    except AdminError as err:
        return _documents_page(request, ctx, lang, user, refused=refusal(err, lang, {}), status=400)
    return RedirectResponse(f"/{lang}/desk/documents?done=withdrawn", status_code=303)


# -- events ----------------------------------------------------------------------------------------

def _events_page(request: Request, ctx: Ctx, lang: str, user: DeskUser, *, done: str | None = None,
                 refused: Refused = NOTHING_REFUSED, status: int = 200) -> Response:
    with ctx.db.read() as session:
        found = board.workshops(session)
    return render("events.html", page_context(
        request, lang, user, "events", events=found, kinds=[k.value for k in EventKind],
        statuses=[s.value for s in EventStatus], done=done, refused=refused), status)


@router.get("/{lang}/desk/events")
def events_page(request: Request, ctx: Ctx, lang: str, done: str | None = None) -> Response:
    return _events_page(request, ctx, lang, current_user(request, ctx, lang), done=done)


def _event_page(request: Request, ctx: Ctx, lang: str, user: DeskUser, workshop_id: str, *,
                done: str | None = None, refused: Refused = NOTHING_REFUSED, status: int = 200) -> Response:
    with ctx.db.read() as session:
        found = [w for w in board.workshops(session) if w.id == workshop_id]
        versions = events.templates(session)
    if not found:
        raise DeskNotFound(lang)
    return render("event.html", page_context(
        request, lang, user, "events", event=found[0], statuses=[s.value for s in EventStatus],
        templates=versions, done=done, refused=refused, form_date=events.form_date), status)


@router.get("/{lang}/desk/events/{workshop_id}")
def event_page(request: Request, ctx: Ctx, lang: str, workshop_id: str, done: str | None = None) -> Response:
    return _event_page(request, ctx, lang, current_user(request, ctx, lang), workshop_id, done=done)


def _form(start: str, end: str, city: str, venue: str, status: str, deadline_date: str, deadline_time: str,
          questions_en: str, questions_fr: str, questions_es: str) -> events.EventForm:
    return events.EventForm(start, end, city, venue, status, deadline_date, deadline_time, questions_en,
                            questions_fr, questions_es)


@router.post("/{lang}/desk/events/{workshop_id}")
def edit_event(request: Request, ctx: Ctx, lang: str, workshop_id: str, csrf: _F = "", start: _F = "",
               end: _F = "", city: _F = "", venue: _F = "", status: _F = "planned", deadline_date: _F = "",
               deadline_time: _F = "", questions_en: _F = "", questions_fr: _F = "", questions_es: _F = ""
               ) -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    form = _form(start, end, city, venue, status, deadline_date, deadline_time, questions_en, questions_fr,
                 questions_es)
    try:
        with ctx.db.write() as session:
            events.edit(session, workshop_id, form, user.username)
    except AdminError as err:
        return _event_page(request, ctx, lang, user, workshop_id, status=400,
                           refused=refusal(err, lang, dataclasses.asdict(form)))
    return RedirectResponse(f"/{lang}/desk/events/{workshop_id}?done=saved", status_code=303)


@router.post("/{lang}/desk/events")
def add_event(request: Request, ctx: Ctx, lang: str, csrf: _F = "", ident: _F = "", kind: _F = "workshop",
              title_en: _F = "", title_fr: _F = "", title_es: _F = "", start: _F = "", end: _F = "",
              city: _F = "", venue: _F = "", deadline_date: _F = "", deadline_time: _F = "") -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    form = _form(start, end, city, venue, "planned", deadline_date, deadline_time, "", "", "")
    try:
        with ctx.db.write() as session:
            event = events.add(session, ident, kind, {"en": title_en, "fr": title_fr, "es": title_es}, form,
                               user.username)
    except AdminError as err:
        typed = {**dataclasses.asdict(form), "ident": ident, "kind": kind, "title_en": title_en,
                 "title_fr": title_fr, "title_es": title_es}
        return _events_page(request, ctx, lang, user, refused=refusal(err, lang, typed), status=400)
    return RedirectResponse(f"/{lang}/desk/events/{event.id}?done=added", status_code=303)


@router.post("/{lang}/desk/events/{workshop_id}/template")
def make_current(request: Request, ctx: Ctx, lang: str, workshop_id: str, csrf: _F = "",
                 template: _F = "") -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    try:
        with ctx.db.write() as session:
            events.make_current(session, workshop_id, template, user.username)
    except AdminError as err:
        return _event_page(request, ctx, lang, user, workshop_id, status=400,
                           refused=refusal(err, lang, {"template": template}))
    return RedirectResponse(f"/{lang}/desk/events/{workshop_id}?done=template", status_code=303)


# -- templates -------------------------------------------------------------------------------------

def _templates_page(request: Request, ctx: Ctx, lang: str, user: DeskUser, *, done: str | None = None,
                    refused: Refused = NOTHING_REFUSED, status: int = 200) -> Response:
    with ctx.db.read() as session:
        versions = events.templates(session)
    return render("templates.html", page_context(request, lang, user, "templates", templates=versions,
                                                 done=done, refused=refused), status)


@router.get("/{lang}/desk/templates")
def templates_page(request: Request, ctx: Ctx, lang: str, done: str | None = None) -> Response:
    return _templates_page(request, ctx, lang, current_user(request, ctx, lang), done=done)


@router.post("/{lang}/desk/templates")
async def upload_template(request: Request, ctx: Ctx, lang: str,
                          file: Annotated[UploadFile | None, File()] = None, csrf: _F = "") -> Response:
    user = await run_in_threadpool(current_user, request, ctx, lang)
    require_csrf(lang, user, csrf)
    raw = await file.read(1024 * 1024 + 1) if file is not None else b""
    try:
        data = _template_json(raw)
        name = file.filename if file is not None and file.filename else "template"
        template = await run_in_threadpool(publishing.template_from_json, data, name)
        await run_in_threadpool(publishing.publish_template, ctx.db, template, user.username)
    except AdminError as err:
        return await run_in_threadpool(_templates_page, request, ctx, lang, user,
                                       refused=refusal(err, lang, {}), status=400)
    return RedirectResponse(f"/{lang}/desk/templates?done=published", status_code=303)


def _template_json(raw: bytes) -> dict[str, Any]:
    if len(raw) > 1024 * 1024:
        raise AdminError(N_("A template file is at most 1 MiB."), field="file")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise AdminError(N_("Not a template: the file is not JSON (the format of resources/templates)."),
                         field="file") \
            from None
    if not isinstance(data, dict):
        raise AdminError(N_("Not a template: the file is not a JSON object."), field="file")
    return data


# -- notices ---------------------------------------------------------------------------------------

def _notices_page(request: Request, ctx: Ctx, lang: str, user: DeskUser, *, done: str | None = None,
                  refused: Refused = NOTHING_REFUSED, status: int = 200) -> Response:
    with ctx.db.read() as session:
        posted = notices.current(session)
        workshops = board.workshops(session)
    titles = {w.id: w.title_in(lang) for w in workshops}
    return render("notices.html", page_context(request, lang, user, "notices", notices=posted,
                                               workshops=workshops, titles=titles, done=done,
                                               refused=refused), status)


@router.get("/{lang}/desk/notices")
def notices_page(request: Request, ctx: Ctx, lang: str, done: str | None = None) -> Response:
    return _notices_page(request, ctx, lang, current_user(request, ctx, lang), done=done)


@router.post("/{lang}/desk/notices")
def post_notice(request: Request, ctx: Ctx, lang: str, csrf: _F = "", workshop: _F = "", text_en: _F = "",
                text_fr: _F = "", text_es: _F = "") -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    try:
        with ctx.db.write() as session:
            notices.post(session, {"en": text_en, "fr": text_fr, "es": text_es}, workshop or None,
                         user.username)
    except AdminError as err:
        typed = {"workshop": workshop, "text_en": text_en, "text_fr": text_fr, "text_es": text_es}
        return _notices_page(request, ctx, lang, user, refused=refusal(err, lang, typed), status=400)
    return RedirectResponse(f"/{lang}/desk/notices?done=posted", status_code=303)


@router.post("/{lang}/desk/notices/{notice_id}/withdraw")
def withdraw_notice(request: Request, ctx: Ctx, lang: str, notice_id: str, csrf: _F = "", confirm: _F = ""
                    ) -> Response:
    user = current_user(request, ctx, lang)
    require_csrf(lang, user, csrf)
    if not confirmed(confirm):
        with ctx.db.read() as session:
            notice = session.get(Notice, notice_id) if len(notice_id) <= 36 else None
            if notice is None or notice.deleted:
                raise DeskNotFound(lang)
            text = notice.text.get(lang) or notice.text.get("en") or next(iter(notice.text.values()), "")
        _ = translator(lang).gettext
        back = f"/{lang}/desk/notices"
        return ask(request, lang, user, "notices", Question(
            _("Withdraw this notice?"),
            [_("Every desktop drops it at its next sync.")],
            _("Withdraw it"), f"{back}/{notice_id}/withdraw", back, quote=text))
    try:
        with ctx.db.write() as session:
            notices.withdraw(session, notice_id, user.username)
    except AdminError as err:
        return _notices_page(request, ctx, lang, user, refused=refusal(err, lang, {}), status=400)
    return RedirectResponse(f"/{lang}/desk/notices?done=withdrawn", status_code=303)
