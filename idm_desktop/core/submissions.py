"""Submissions: a government's policy overview for one workshop, on the template."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from idm_desktop.core.countries import country_name
from idm_desktop.core.errors import FrozenSubmissionError, InvalidInputError
from idm_desktop.core.i18n import N_, _, translator
from idm_desktop.core.templates import Template
from idm_desktop.core.text import word_count


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"  # someone asked for review (DESIGN §13); an edit voids it
    CLEARED = "cleared"  # a reviewer cleared this very text; an edit voids it
    SUBMITTED = "submitted"
    RECEIVED = "received"
    PUBLISHED = "published"
    RETURNED = "returned"
    """Sent back by the secretariat for correction, with a note: a correction supersedes it."""
    WITHDRAWN = "withdrawn"

    @property
    def editable(self) -> bool:
        return self in (SubmissionStatus.DRAFT, SubmissionStatus.IN_REVIEW, SubmissionStatus.CLEARED)

    @property
    def withdrawable(self) -> bool:
        """The secretariat holds it (received, published or returned): its delegation may take it back."""
        return self in (SubmissionStatus.RECEIVED, SubmissionStatus.PUBLISHED, SubmissionStatus.RETURNED)


DEFAULT_TITLE = N_("Policy overview: {country}")
"""A new submission's title, as a government heads its paper ("Policy overview: Mexico"). Not the
workshop's title: the heading block already prints that on page 1, and it would print twice."""


def default_title(country_code: str, lang: str) -> str:
    """The title a new submission starts with, in its own language ``lang`` (not the window's)."""
    return translator(lang).gettext(DEFAULT_TITLE).format(country=country_name(country_code, lang))


WORKING_STATUSES = (SubmissionStatus.DRAFT.value, SubmissionStatus.IN_REVIEW.value,
                    SubmissionStatus.CLEARED.value, SubmissionStatus.SUBMITTED.value)
"""The statuses of a text the server may not hold as it is yet (in review and cleared are drafts)."""

CONTENT_FIELDS = ("workshop_id", "language", "title", "template_id", "template_version")
"""The columns a save op's body carries besides the country and the sections."""


class SaveReason(StrEnum):
    """Why a version was written to the history."""

    CREATE = "create"
    AUTOSAVE = "autosave"
    MANUAL = "manual"
    SYNC = "sync"
    MERGE = "merge"
    RESTORE = "restore"
    SUBMIT = "submit"
    TEMPLATE = "template"
    """Moved to a newer version of its template."""
    SUGGESTION = "suggestion"  # a reviewer's suggestion accepted: the author is the reviewer
    WORD_IMPORT = "word_import"  # sections filled from a Word draft (submission import-docx)


@dataclass(frozen=True, slots=True)
class Submission:
    """A snapshot of a submission, as the UI and CLI see it (never an ORM object)."""

    id: str
    workshop_id: str
    country: str
    language: str
    title: str
    template_id: str
    template_version: int
    body: Mapping[str, str]
    status: SubmissionStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    rev: int | None = None
    content_sha256: str | None = None
    supersedes: str | None = None
    receipt_no: str | None = None
    received_at: dt.datetime | None = None
    return_note: str | None = None
    """The secretariat's note when it returned the submission for correction."""
    superseded_by: str | None = None

    def text_of(self, key: str) -> str:
        return self.body.get(key, "")

    @property
    def words(self) -> int:
        return sum(word_count(t) for t in self.body.values())


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One saved version, kept forever (append-only)."""

    seq: int
    submission_id: str
    at: dt.datetime
    author: str
    reason: SaveReason
    title: str
    body: Mapping[str, str] = field(default_factory=dict)
    version: int = 0
    """The version's number in this submission's history (1 for the first), as a reader counts."""
    name: str | None = None
    """A name the user gave this version ("sent to the ministry")."""
    restored_from: int | None = None
    """For a restore: the number (``version``) of the version it brought back."""
    suggested_by: str | None = None
    """For an accepted suggestion: the reviewer who suggested the words (``author`` accepted them)."""


MAX_VERSION_NAME = 120


def clean_version_name(name: str) -> str | None:
    """A version's name as typed: one line, trimmed, at most 120 characters; empty removes it."""
    text = " ".join(name.split())
    if len(text) > MAX_VERSION_NAME:
        raise InvalidInputError(_("A version’s name has at most {n} characters.")
                                .format(n=MAX_VERSION_NAME))
    return text or None


def content_sha256(title: str, language: str, body: Mapping[str, str]) -> str:
    """A stable hash of what the reader sees: title, language and each section's text."""
    canonical = json.dumps(
        {"title": title, "language": language, "body": dict(sorted(body.items()))},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> bytes:
    """The bytes a sync op's ``sha256`` is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def body_sha256(body: Mapping[str, Any]) -> str:
    """The ``sha256`` of a sync op carrying ``body``."""
    return hashlib.sha256(canonical_json(dict(body))).hexdigest()


def ensure_editable(sub: Submission) -> None:
    """Raise a clear error if ``sub`` may no longer be edited."""
    if not sub.status.editable:
        raise FrozenSubmissionError(
            _("This submission has been {status} and can no longer be edited. {correct}").format(
                status=status_label(sub.status), correct=correction_hint(sub))
        )


def correction_hint(sub: Submission) -> str:
    """What to do to change a text that was sent: prepare a correction once it was received,
    else (not received yet) start a new submission."""
    if sub.receipt_no is not None:
        return _("To change it, prepare a correction: “idm-desktop submission correct {id}”, or "
                 "“Prepare a correction” in the window.").format(id=sub.id[:8])
    return _("To change it, start a new submission that supersedes it.")


def ensure_section(template: Template, key: str) -> None:
    """Raise a clear error if ``key`` is not a section of ``template`` (the text a Word import
    could not place, :data:`~idm_desktop.core.word_draft.NOT_PLACED_KEY`, has a key of its own)."""
    from idm_desktop.core.word_draft import NOT_PLACED_KEY

    if template.section(key) is None and key != NOT_PLACED_KEY:
        raise InvalidInputError(
            _("Unknown section “{key}”: the sections are {keys}.").format(
                key=key, keys=", ".join(template.keys)
            )
        )


def reason_label(reason: SaveReason) -> str:
    """Why a version was saved, in the UI language (the window's history and the CLI's)."""
    labels = {
        SaveReason.CREATE: _("created"),
        SaveReason.AUTOSAVE: _("autosave"),
        SaveReason.MANUAL: _("saved by you"),
        SaveReason.SYNC: _("from the server"),
        SaveReason.MERGE: _("merged"),
        SaveReason.RESTORE: _("restored"),
        SaveReason.SUBMIT: _("submitted"),
        SaveReason.TEMPLATE: _("moved to a newer template"),
        SaveReason.SUGGESTION: _("suggestion accepted"),
        SaveReason.WORD_IMPORT: _("imported from Word"),
    }
    return labels.get(reason, str(reason))


def status_label(status: SubmissionStatus) -> str:
    """The status as a word in the UI language."""
    labels = {
        SubmissionStatus.DRAFT: _("draft"),
        SubmissionStatus.IN_REVIEW: _("in review"),
        SubmissionStatus.CLEARED: _("cleared"),
        SubmissionStatus.SUBMITTED: _("submitted"),
        SubmissionStatus.RECEIVED: _("received"),
        SubmissionStatus.PUBLISHED: _("published"),
        SubmissionStatus.RETURNED: _("returned for correction"),
        SubmissionStatus.WITHDRAWN: _("withdrawn"),
    }
    return labels[status]


def state_label(status: SubmissionStatus, *, returned: bool = False) -> str:
    """The state as the lists show it: a draft a reviewer returned says so (``returned``)."""
    if returned and status is SubmissionStatus.DRAFT:
        return _("returned")
    return status_label(status)
