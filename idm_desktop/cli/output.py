"""What the CLI prints: :func:`emit` (one JSON object with --json, else text) and the plain-data
(JSON) forms of the domain objects.

The JSON forms are a documented contract (README, "JSON output"): add fields, never rename.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from idm_desktop.core.errors import (
    DeletionGuardError,
    IdmError,
    RefusedError,
    ServerUnreachableError,
    SignInRequiredError,
)
from idm_desktop.core.i18n import _
from idm_desktop.core.text import pick, word_count

if TYPE_CHECKING:  # the modules load with the command that prints them, not with every command
    from idm_desktop.app.review_views import Clearance, CommentView
    from idm_desktop.core.documents import Document
    from idm_desktop.core.search_results import SearchHit
    from idm_desktop.core.submissions import HistoryEntry, Submission
    from idm_desktop.core.templates import Template
    from idm_desktop.core.validation import CheckReport
    from idm_desktop.core.workshops import Workshop


def submission_id_argument(parser: argparse.ArgumentParser) -> None:
    """The ``ID`` argument of a command about one submission."""
    parser.add_argument("id", metavar="ID",
                        help=_("the submission's id (or a unique prefix of at least 4 characters)"))


def emit(args: argparse.Namespace, payload: dict[str, Any] | Callable[[], dict[str, Any]],
         text: str | Callable[[], str]) -> None:
    """Print ``payload`` as JSON when the command was given --json, else ``text`` (each built
    only then, when given as a function)."""
    if getattr(args, "json", False):
        if callable(payload):
            payload = payload()
        # Indented for a person at a terminal; one compact line for a program reading a pipe
        # (json's C encoder works only without indent: a 10,000-document list in 0.1 s, not 1 s).
        # One write: json.dump writes each token on its own, a system call each when the
        # output is unbuffered (PYTHONUNBUFFERED).
        indent = 2 if sys.stdout.isatty() else None
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=indent) + "\n")
    else:
        out = text() if callable(text) else text
        if out:
            sys.stdout.write(out.rstrip("\n") + "\n")


def error_json(err: IdmError, **extra: Any) -> dict[str, Any]:
    """A command's failure as ``--json`` tells it: ``{"code", "message", "exit_code", ...extra}``
    (``code``: one of ERROR_CODES' values, stable; ``message``: the line printed on stderr)."""
    code = next((name for kind, name in ERROR_CODES if isinstance(err, kind)), "failed")
    return {"code": code, "message": str(err), "exit_code": err.exit_code, **extra}


ERROR_CODES: tuple[tuple[type[IdmError], str], ...] = (
    (ServerUnreachableError, "server_unreachable"),
    (SignInRequiredError, "sign_in_required"),
    (DeletionGuardError, "deletions_held"),
    (RefusedError, "refused"),
)
"""The stable codes of :func:`error_json`, most specific kind first; any other error is "failed"."""


def iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value else None


def workshop_json(w: Workshop, lang: str, now: dt.datetime) -> dict[str, Any]:
    deadline = None
    if w.deadline:
        deadline = {
            "date": w.deadline.date.isoformat(),
            "tz": w.deadline.tz,
            "instant": w.deadline.instant.isoformat(),
            "days_left": w.deadline.days_left(now),
            "passed": w.deadline.has_passed(now),
        }
    return {
        "id": w.id, "kind": w.kind.value, "year": w.year, "status": w.status.value,
        "title": w.title_in(lang), "titles": dict(w.title),
        "programme": pick(w.programme, lang), "theme": pick(w.theme, lang),
        "start": iso(w.start), "end": iso(w.end), "date_precision": w.date_precision.value,
        "date_note": pick(w.date_note, lang), "note": pick(w.note, lang), "city": w.city, "venue": w.venue,
        "partners": list(w.partners_in(lang)), "deadline": deadline,
        "guiding_questions": list(w.questions_in(lang)),
    }


def document_json(d: Document) -> dict[str, Any]:
    return {
        "id": d.id, "symbol": d.symbol, "title": d.title, "workshop_id": d.workshop_id,
        "kind": d.kind.value, "language": d.language, "original_language": d.original_language,
        "languages_available": list(d.languages_available), "english_only": d.english_only,
        "date": iso(d.date), "sha256": d.sha256, "size": d.size, "mime": d.mime,
        "filename": d.filename, "page_count": d.page_count, "imported_at": iso(d.imported_at),
        "supersedes": d.supersedes,
    }


def submission_json(s: Submission, template: Template | None = None) -> dict[str, Any]:
    from idm_desktop.core.countries import country
    from idm_desktop.core.word_draft import NOT_PLACED_KEY

    data: dict[str, Any] = {
        "id": s.id, "workshop_id": s.workshop_id, "country": s.country,
        "country_name": country(s.country).name(s.language), "language": s.language,
        "title": s.title, "template": {"id": s.template_id, "version": s.template_version},
        "status": s.status.value, "rev": s.rev, "words": s.words,
        "created_at": iso(s.created_at), "updated_at": iso(s.updated_at),
        "content_sha256": s.content_sha256, "supersedes": s.supersedes,
        "receipt_no": s.receipt_no, "received_at": iso(s.received_at),
        "superseded_by": s.superseded_by, "return_note": s.return_note,
    }
    if template is not None:
        data["sections"] = [
            {"key": sec.key, "title": sec.title_in(s.language), "required": sec.required,
             "text": s.text_of(sec.key), "words": word_count(s.text_of(sec.key))}
            for sec in template.sections
        ]
        # Text a Word import could not place, waiting to be moved into the sections ("" if none).
        data["not_placed"] = s.text_of(NOT_PLACED_KEY)
    return data


def history_json(h: HistoryEntry, session: int | None = None) -> dict[str, Any]:
    return {"seq": h.seq, "at": iso(h.at), "author": h.author, "reason": h.reason.value,
            "title": h.title, "words": sum(word_count(t) for t in h.body.values()),
            "version": h.version, "name": h.name, "restored_from": h.restored_from,
            "suggested_by": h.suggested_by, "session": session}


def hit_json(h: SearchHit) -> dict[str, Any]:
    return {"kind": h.kind.value, "id": h.id, "title": h.title, "symbol": h.symbol,
            "snippet": h.plain_snippet, "highlights": [list(x) for x in h.highlights],
            "score": h.score}


def check_json(r: CheckReport) -> dict[str, Any]:
    return {
        "submission_id": r.submission_id, "ok": r.ok, "page_count": r.page_count,
        "extent": r.extent,
        "min_pages": r.min_pages, "max_pages": r.max_pages, "words": r.words,
        "problems": [{"severity": p.severity.value, "code": p.code, "message": p.message,
                      "section": p.section} for p in r.problems],
    }


def receipt_lines(s: Submission, lang: str) -> list[str]:
    """The secretariat's receipt of a sent text, for ``submission show`` (none before it came)."""
    from idm_desktop.core.formatting import date_time_zone

    if not s.receipt_no:
        return []
    if s.received_at is None:
        return [_("Receipt {number}").format(number=s.receipt_no)]
    return [_("Receipt {number}, received {when}").format(number=s.receipt_no,
                                                          when=date_time_zone(s.received_at, lang))]


def local_time(value: dt.datetime, lang: str) -> str:
    """"26 Jun 2006, 10:42", as the window shows it (core.formatting)."""
    from idm_desktop.core.formatting import date_time

    return date_time(value, lang)


def clearance_json(c: Clearance | None) -> dict[str, Any] | None:
    """``submission show --json``'s ``clearance`` (DESIGN §13)."""
    if c is None:
        return None
    return {"state": c.state.value, "by": c.by, "at": c.at, "sha256": c.sha256, "note": c.note}


def readable_time(value: str | None, lang: str) -> str:
    """An ISO time as stored ("2026-12-06T09:42:00+00:00") as a person reads it, in the computer's
    time zone and naming it ("6 Dec 2026, 10:42 CET"); what cannot be read is shown as it is."""
    from idm_desktop.core.formatting import date_time_zone

    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return date_time_zone(moment, lang)


def clearance_lines(c: Clearance | None, lang: str = "en") -> list[str]:
    """The review state of a draft, for ``submission show``."""
    if c is None:
        return []
    from idm_desktop.core.clearance import ReviewState

    if c.returned:  # the note is why: one line with it
        return [_("Returned by {who} on {at} with a note: “{note}”").format(
            who=c.by, at=readable_time(c.at, lang), note=c.note or "")]
    if c.state is ReviewState.CLEARED:
        line = _("Cleared by {who} on {at}").format(who=c.by, at=readable_time(c.at, lang))
    elif c.state is ReviewState.IN_REVIEW:
        line = _("In review (asked by {who})").format(who=c.requested_by or c.by)
    else:
        line = _("Draft again (last review step by {who})").format(who=c.by)
    return [line] + ([_("Note: {note}").format(note=c.note)] if c.note else [])


def comment_json(c: CommentView) -> dict[str, Any]:
    """One comment of ``comment list --json`` (DESIGN §13)."""
    from idm_desktop.core.anchoring import AnchorState

    return {"id": c.id, "section": c.section, "quote": c.quote, "text": c.text, "author": c.author,
            "at": c.at, "resolved": c.resolved, "suggestion": c.suggestion, "decision": c.decision,
            "anchor": c.anchor.value, "current": c.current if c.anchor is not AnchorState.LOST else None,
            "replies": [{"id": r.id, "text": r.text, "author": r.author, "at": r.at} for r in c.replies]}
