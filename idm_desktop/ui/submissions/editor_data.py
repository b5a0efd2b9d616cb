"""What the editor loads for one submission, read off the GUI thread in one go."""

from __future__ import annotations

from dataclasses import dataclass

from idm_desktop.app import DesktopApp
from idm_desktop.core.clearance import WRITERS, Role, withdraw_refusal
from idm_desktop.core.countries import country_name
from idm_desktop.core.errors import NotFoundError
from idm_desktop.core.i18n import _, ui_language
from idm_desktop.core.languages import language_name
from idm_desktop.core.merge import TITLE_KEY
from idm_desktop.core.submissions import Submission
from idm_desktop.core.templates import Template
from idm_desktop.core.workshops import Workshop


@dataclass(frozen=True, slots=True)
class EditorData:
    """A submission with its template and workshop, and the names shown in the header."""

    submission: Submission
    template: Template
    workshop: Workshop | None
    ui_language: str
    country: str  # the country's name in the UI language
    language: str  # the submission's language, named in the UI language
    deadline: str  # "Notes due 26 June 2006", or ""
    conflicts: tuple[str, ...] = ()  # names of the sections in conflict with the server's text
    may_edit: bool = True  # False for a reviewer: reviewers comment, never write (DESIGN §13)
    newer: Template | None = None  # the template this draft is offered (never forced)
    submit_refusal: str = ""  # why this account may never submit, naming who can ("": it may)
    may_withdraw: bool = False  # the account may withdraw a sent text of the delegation
    withdrawal_pending: bool = False  # a withdrawal of it waits for the next sync


def may_edit(roles: frozenset[Role]) -> bool:
    """Whether the account writes texts (drafters, submitters) or only reviews them."""
    return bool(roles & WRITERS)


def load_editor_data(app: DesktopApp, sid: str) -> EditorData:
    """Read everything the editor shows. Runs on the storage lane (names come from CLDR files)."""
    from idm_desktop.export import un_date

    sub = app.submission(sid)
    template = app.template_of(sub)
    try:
        workshop: Workshop | None = app.workshop(sub.workshop_id)
    except NotFoundError:
        workshop = None
    lang = ui_language()
    deadline = ""
    if workshop is not None and workshop.deadline is not None:
        # One piece on the line under the title: it wraps before or after it, never inside.
        deadline = _("Due {date}").format(date=un_date(workshop.deadline.date, lang)).replace(" ", "\u00a0")
    conflicts = []
    for conflict in app.sync.conflicts(sid):
        section = template.section(conflict.key)
        conflicts.append(_("Title") if conflict.key == TITLE_KEY
                         else section.title_in(lang) if section is not None else conflict.key)
    return EditorData(
        submission=sub, template=template, workshop=workshop, ui_language=lang,
        country=country_name(sub.country, lang), language=language_name(sub.language, lang),
        deadline=deadline, conflicts=tuple(conflicts), newer=app.newer_template(sub),
        may_edit=may_edit(app.clearance.roles()), submit_refusal=app.clearance.who_submits(sub) or "",
        may_withdraw=withdraw_refusal(app.clearance.policy(), app.clearance.roles()) is None,
        withdrawal_pending=app.sync.withdrawal_pending(sid),
    )
