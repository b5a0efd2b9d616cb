"""The audit log as a person reads it: each action in words of the page's language, its actor
("command line", "not signed in") and the state before and after as labelled values rather than
the stored codes (which stay as they are: they are the record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from idm_desktop.core.i18n import N_, translator
from idm_desktop.server import audit
from idm_desktop.server.desk.site import (
    DOCUMENT_KINDS,
    EVENT_KINDS,
    EVENT_STATUSES,
    ROLES,
    SUBMISSION_STATUSES,
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
    "tokens_revoked": N_("Devices signed out"), "address": N_("Address"), "published": N_("Published"),
    "replaced_by": N_("Replaced by"), "title": N_("Title"), "workshop": N_("Workshop"), "kind": N_("Kind"),
    "languages": N_("Languages"), "sha256": N_("SHA-256"), "sections": N_("Sections"),
    "deleted": N_("Withdrawn"), "start": N_("First day"), "end": N_("Last day"), "city": N_("City"),
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
class Line:
    at: dt.datetime
    who: str
    what: str
    code: str
    target: str
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]


def lines(entries: list[audit.Entry], lang: str) -> list[Line]:
    _ = translator(lang).gettext

    def value(key: str, v: Any) -> str:
        if v is None or v == "" or v == [] or v == {}:
            return "–"
        if isinstance(v, bool):
            return _("yes") if v else _("no")
        if key == "delegation" and isinstance(v, str) and len(v) == 3:
            return country_label(v, lang)
        if key == "deadline" and isinstance(v, dict):
            return f"{v.get('date', '')} {str(v.get('time', ''))[:5]} ({v.get('tz', '')})".strip()
        if key == "template" and isinstance(v, dict):
            return f"{v.get('id')} {v.get('version')}"
        if isinstance(v, dict):
            return "; ".join(f"{_(FIELDS[k]) if k in FIELDS else k}: {value(k, x)}" for k, x in v.items())
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

    return [Line(e.at, _(ACTORS[e.username]) if e.username in ACTORS else e.username,
                 _(ACTIONS[e.action]) if e.action in ACTIONS else e.action, e.action, e.target,
                 state(e.before), state(e.after)) for e in entries]
