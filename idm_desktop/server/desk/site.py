"""The desk's shared pieces: the Jinja environment (the public site's stylesheet and look),
per-request translations, the exceptions a page raises and how they are answered."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from babel.dates import format_timedelta
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, StrictUndefined, select_autoescape

from idm_desktop.core.formatting import babel_locale, hour, long_date, meeting_dates
from idm_desktop.core.i18n import N_, UI_LANGUAGES, translator
from idm_desktop.core.workshops import Workshop
from idm_desktop.server.board import GENEVA
from idm_desktop.server.errors import ServiceError, said
from idm_desktop.server.htmltext import blocks_html
from idm_desktop.server.pagekit import country_label, language_label, loader, number

HERE = Path(__file__).parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
PUBLIC_CSS = HERE.parent / "public" / "static" / "public.css"
"""The public site's stylesheet, served by the application at /static/public.css: the desk wears it."""
ENDONYMS = {"en": "English", "fr": "Français", "es": "Español"}

# No script, ever; no framing; forms post only here. Never cached by anyone (signed-in pages).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


# Words for the values the forms offer (the same messages the window uses, so translated once).
DOCUMENT_KINDS = {"discussion_note": N_("Discussion note"), "report": N_("Report"), "agenda": N_("Agenda"),
                  "annex": N_("Annex"), "background": N_("Background paper"), "other": N_("Other")}
EVENT_KINDS = {"council_session": N_("Council session"), "workshop": N_("Workshop"),
               "expert_workshop": N_("Expert workshop"), "training": N_("Training session"),
               "briefing": N_("Briefing")}
EVENT_STATUSES = {"planned": N_("planned"), "tentative": N_("tentative"), "confirmed": N_("confirmed"),
                  "held": N_("held")}
SUBMISSION_STATUSES = {"received": N_("Received (not yet published)"), "published": N_("Published"),
                       "returned": N_("Returned for correction"), "withdrawn": N_("Withdrawn")}
ROLES = {"drafter": N_("Drafter"), "reviewer": N_("Reviewer"), "submitter": N_("Submitter"),
         "secretariat": N_("Secretariat")}


@dataclass(frozen=True, slots=True)
class Refused:
    """A form the desk refused: the sentence (in the page's language), the field it is about, and
    what was typed, which the form shows again (never a password)."""

    error: str = ""
    field: str = ""
    posted: Mapping[str, Any] = dataclass_field(default_factory=dict)

    def context(self) -> dict[str, Any]:
        return {"error": self.error, "error_field": self.field,
                "posted": {k: v for k, v in self.posted.items() if "password" not in k}}


NOTHING_REFUSED = Refused()


def refusal(err: ServiceError, lang: str, posted: Mapping[str, Any]) -> Refused:
    """``err`` as a form shows it: said in ``lang`` (a service shared with the protocol and the
    command line raises it in English), beside its field, over what was typed."""
    return Refused(said(err, translator(lang).gettext), err.field or "", posted)


class DeskNotFound(Exception):
    """Answered with the desk's 404 page (the same for what never existed and what is refused)."""

    def __init__(self, lang: str = "en") -> None:
        super().__init__(lang)
        self.lang = lang if lang in UI_LANGUAGES else "en"


class SignInNeeded(Exception):
    """No session (or an ended one): off to the sign-in page, back to ``then`` afterwards."""

    def __init__(self, lang: str, then: str, expired: bool = False) -> None:
        super().__init__(lang)
        self.lang, self.then, self.expired = lang, then, expired


class FormRefused(Exception):
    """A form posted without this session's CSRF token: 403, nothing done."""

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.lang = lang


def check_lang(lang: str) -> str:
    if lang not in UI_LANGUAGES:
        raise DeskNotFound("en")
    return lang


@cache
def environment() -> Environment:
    return Environment(loader=loader(TEMPLATES_DIR), autoescape=select_autoescape(["html"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@cache
def css_versions() -> tuple[str, str]:
    return (hashlib.sha256(PUBLIC_CSS.read_bytes()).hexdigest()[:12],
            hashlib.sha256((STATIC_DIR / "desk.css").read_bytes()).hexdigest()[:12])


def when(value: dt.datetime | None, lang: str) -> str:
    """A moment as Geneva reads it, in UN style, with its zone: "26 June 2006, 17:05 Geneva time
    (CEST)" ("17 h 05 heure de Genève", "hora de Ginebra"; CET in winter)."""
    if value is None:
        return "–"
    local = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(GENEVA)
    return translator(lang).gettext("{date}, {time} Geneva time ({zone})").format(
        date=long_date(local.date(), lang), time=hour(local, lang), zone=local.tzname())


def late_by(delay: dt.timedelta, lang: str) -> str:
    """How long after the deadline something came, in words: "late: 3 hours after the deadline"."""
    # The number and its unit never part at a line's end (Babel's French uses either space).
    words = format_timedelta(delay, threshold=1.5, locale=babel_locale(lang)).replace(" ", "\u00a0")
    return translator(lang).gettext("late: {delay} after the deadline").format(delay=words)


def event_name(w: Workshop, lang: str) -> str:
    """An event's title with its year, which tells same-titled events apart in a list to choose
    from: "Migration and Development (2006)"."""
    return f"{w.title_in(lang)} ({w.year})"


def context(request: Request, lang: str, user: Any = None, **extra: Any) -> dict[str, Any]:
    tr = translator(lang)
    path = quote(request.url.path, safe="/-._~!$&'()*+,;=:@")
    rest = path[len(lang) + 1:] if path.startswith(f"/{lang}/") else "/desk/"
    public_css, desk_css = css_versions()

    return {
        "lang": lang,
        "_": tr.gettext,
        "gettext": tr.gettext,
        "ngettext": tr.ngettext,
        "public_css": public_css,
        "desk_css": desk_css,
        "languages": [{"code": c, "name": ENDONYMS[c], "href": f"/{c}{rest}", "current": c == lang}
                      for c in UI_LANGUAGES],
        "user": user,
        "csrf": user.csrf if user is not None else "",
        "country_name": lambda code: country_label(code, lang),
        "date": lambda d: long_date(d, lang) if d else "–",
        "when": lambda v: when(v, lang),
        "late_by": lambda delay: late_by(delay, lang),
        "meeting_dates": lambda w: meeting_dates(w, lang) or str(w.year),
        "event_name": lambda w: event_name(w, lang),
        "num": lambda n: number(n, lang),
        "language_label": lambda code: language_label(code, lang),
        "blocks_html": blocks_html,
        "desk": f"/{lang}/desk",
        "word": lambda table, value: tr.gettext(table[value]) if value in table else value,
        "DOCUMENT_KINDS": DOCUMENT_KINDS, "EVENT_KINDS": EVENT_KINDS, "EVENT_STATUSES": EVENT_STATUSES,
        "ROLES": ROLES, "SUBMISSION_STATUSES": SUBMISSION_STATUSES,
        "active": "",
        **NOTHING_REFUSED.context(),
        **extra,
    }


def render(name: str, ctx: dict[str, Any], status: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    html = environment().get_template(name).render(ctx)
    return HTMLResponse(html, status, headers={**SECURITY_HEADERS, **(headers or {})})
