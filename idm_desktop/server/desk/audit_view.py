"""The audit log as a person reads it: each action in words of the page's language, its actor
("command line", "not signed in") and the state before and after as labelled values rather than
the stored codes (which stay as they are: they are the record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from idm_desktop.core.formatting import long_date, long_month
from idm_desktop.core.i18n import N_, translator
from idm_desktop.core.languages import LANGUAGES, language_name
from idm_desktop.core.workshops import Deadline, Workshop
from idm_desktop.server import audit
from idm_desktop.server.desk.site import (
    DOCUMENT_KINDS,
    EVENT_KINDS,
    EVENT_STATUSES,
    ROLES,
    SUBMISSION_STATUSES,
    event_name,
    when,
)
from idm_desktop.server.pagekit import country_label

ACTIONS = {
    "desk.sign_in": N_("Signed in to the desk"),
    "desk.sign_out": N_("Signed out of the desk"),
    "desk.sign_in_failed": N_("Failed sign-in to the desk"),
    "protocol.sign_in_failed": N_("Failed sign-in from a desktop"),
    "account.add": N_("User added"),
    "account.set_roles": N_("Roles changed"),
    "account.reset_password": N_("Password reset"),
    "account.revoke_tokens": N_("Signed out everywhere"),
    "device.revoke": N_("Device revoked"),
    "delegation.add": N_("Delegation added"),
    "delegation.activate": N_("Delegation put back on the board"),
    "delegation.deactivate": N_("Delegation taken off the board"),
    "delegation.clearance": N_("Clearance policy set"),
    "document.publish": N_("Document published"),
    "document.withdraw": N_("Document withdrawn"),
    "submission.publish": N_("Policy overview published"),
    "submission.unpublish": N_("Policy overview unpublished"),
    "submission.return": N_("Returned for correction"),
    "template.publish": N_("Template version published"),
    "template.make_current": N_("Template made current"),
    "event.add": N_("Event added"),
    "event.edit": N_("Event edited"),
    "notice.post": N_("Notice posted"),
    "notice.withdraw": N_("Notice withdrawn"),
}
ACTORS = {audit.COMMAND_LINE: N_("command line"), audit.NOT_SIGNED_IN: N_("not signed in")}
FIELDS = {
    "status": N_("Status"), "reason": N_("Reason"), "note": N_("Note to the delegation"),
    "active": N_("On the board"), "role": N_("Role"), "roles": N_("Roles"), "delegation": N_("Delegation"),
    "tokens_revoked": N_("Devices signed out"), "address": N_("Address"), "published": N_("Publication"),
    "replaced_by": N_("Replaced by"), "title": N_("Title"), "workshop": N_("Workshop"), "kind": N_("Kind"),
    "languages": N_("Languages"), "sha256": N_("SHA-256"), "sections": N_("Sections"),
    "deleted": N_("Withdrawal"), "start": N_("First day"), "end": N_("Last day"), "city": N_("City"),
    "venue": N_("Venue"), "deadline": N_("Deadline"), "guiding_questions": N_("Guiding questions"),
    "template": N_("Template"), "year": N_("Year"), "date_precision": N_("Dates known"),
    "clearance": N_("Clearance"), "name": N_("Name"), "en": N_("English"), "fr": N_("French"),
    "es": N_("Spanish"),
}
_WORDS = {**SUBMISSION_STATUSES, **EVENT_STATUSES, **ROLES, **DOCUMENT_KINDS, **EVENT_KINDS,
          "day": N_("to the day"), "month": N_("to the month only")}
_WORDED = ("status", "role", "roles", "kind", "date_precision")
_HIDDEN = {"edited_at"}  # bookkeeping, not a change anyone made


@dataclass(frozen=True, slots=True)
class Names:
    """What the log's ids and codes stand for: events (by id), notices (by id, their text) and
    template versions (their titles)."""

    events: dict[str, Workshop] = dataclass_field(default_factory=dict)
    notices: dict[str, dict[str, str]] = dataclass_field(default_factory=dict)
    templates: dict[str, dict[str, str]] = dataclass_field(default_factory=dict)  # "id@version": title


@dataclass(frozen=True, slots=True)
class Line:
    at: dt.datetime
    who: str
    what: str
    code: str
    target: str
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]


def _notice_title(text: dict[str, str], lang: str) -> str:
    said = text.get(lang) or text.get("en") or next(iter(text.values()), "")
    first = said.strip().splitlines()[0] if said.strip() else ""
    return first if len(first) <= 80 else first[:79] + "…"


def _day(text: str, lang: str) -> str:
    """A date as the log recorded it, with its precision: "July 2006" for "2006-07"."""
    try:
        if len(text) == 7:
            return long_month(dt.date.fromisoformat(text + "-01"), lang)
        return long_date(dt.date.fromisoformat(text), lang)
    except ValueError:
        return text


def lines(entries: list[audit.Entry], lang: str, names: Names | None = None) -> list[Line]:
    _ = translator(lang).gettext
    known = names or Names()

    def labelled(label: str, said: str) -> str:
        return _("{label}: {value}").format(label=label, value=said)

    def value(key: str, v: Any) -> str:
        if v is None or v == "" or v == [] or v == {}:
            return "–"
        if isinstance(v, bool):
            return _("yes") if v else _("no")
        if key == "delegation" and isinstance(v, str) and len(v) == 3:
            return country_label(v, lang)
        if key == "deadline" and isinstance(v, dict):
            try:
                return when(Deadline(dt.date.fromisoformat(v["date"]),
                                     dt.time.fromisoformat(v.get("time", "23:59:59")),
                                     v.get("tz", "Europe/Zurich")).instant, lang)
            except (KeyError, ValueError, TypeError):
                return str(v)
        if key == "template" and isinstance(v, dict):
            title = known.templates.get(f"{v.get('id')}@{v.get('version')}", {})
            name = title.get(lang) or title.get("en") or str(v.get("id"))
            return f"{name} – {_('version {n}').format(n=v.get('version'))}"
        if key == "workshop" and isinstance(v, str) and v in known.events:
            return event_name(known.events[v], lang)
        if key in ("languages", "language") and isinstance(v, str):
            return ", ".join(language_name(c, lang) if c in LANGUAGES else c for c in v.split(","))
        if key in ("start", "end") and isinstance(v, str):
            return _day(v, lang)
        if isinstance(v, dict):
            return "; ".join(labelled(_(FIELDS[k]) if k in FIELDS else k, value(k, x)) for k, x in v.items())
        if isinstance(v, list):
            return ", ".join(value(key, x) for x in v)
        if key == "roles" and isinstance(v, str):
            v = v.split(",")
        if key == "roles" and isinstance(v, list):
            return ", ".join(value("role", x) for x in v)
        if isinstance(v, str) and v in _WORDS and key in _WORDED:
            return _(_WORDS[v])
        return str(v)

    def state(values: dict[str, Any] | None) -> list[tuple[str, str]]:
        return [(_(FIELDS[k]) if k in FIELDS else k, value(k, v)) for k, v in (values or {}).items()
                if k not in _HIDDEN]

    def target(e: audit.Entry) -> str:
        if e.action.startswith("event.") and e.target in known.events:
            return event_name(known.events[e.target], lang)
        if e.action.startswith("notice.") and e.target in known.notices:
            return _notice_title(known.notices[e.target], lang)
        return e.target

    return [Line(e.at, _(ACTORS[e.username]) if e.username in ACTORS else e.username,
                 _(ACTIONS[e.action]) if e.action in ACTIONS else e.action, e.action, target(e),
                 state(e.before), state(e.after)) for e in entries]
