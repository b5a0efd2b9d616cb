"""Asking before what cannot be taken back, without JavaScript: an action's form posted without
``confirm=1`` answers with a page that says plainly what will happen, whose Confirm button posts the
same fields again with ``confirm=1`` (and this session's CSRF token) and whose Cancel link goes back
to where the user was. Nothing changes until that second post."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request, Response

from idm_desktop.server.desk.auth import page_context
from idm_desktop.server.desk.sessions import DeskUser
from idm_desktop.server.desk.site import render

CONFIRMED = "1"


def confirmed(value: str | None) -> bool:
    """The form is the confirmation page's own (its Confirm button), not the first press."""
    return value == CONFIRMED


@dataclass(frozen=True, slots=True)
class Question:
    """What the confirmation page asks, already in the page's language."""

    heading: str
    lines: list[str]
    button: str
    action: str  # the form's address (the action's own)
    back: str  # where Cancel goes
    fields: dict[str, str] = field(default_factory=dict)  # carried to the confirmed post
    quote: str = ""  # the user's own words (a reason), shown as they typed them
    # A new password typed twice on this page (never carried in a field, never written back), and
    # what was wrong with the last one.
    new_password: bool = False
    problem: str = ""


def ask(request: Request, lang: str, user: DeskUser, active: str, question: Question) -> Response:
    return render("confirm.html", page_context(request, lang, user, active, question=question))
