"""A submission's content against the server's: its base snapshot, and what taking a change did.

The base is the content and rev the server last accepted; "dirty" means local edits it has not
accepted yet. :class:`Applied` names the outcome of taking one change from the server (a pull,
an op's answer, a changes bundle).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from idm_desktop.core.submissions import CONTENT_FIELDS, WORKING_STATUSES
from idm_desktop.storage.models import SubmissionRow

__all__ = ["CONTENT_FIELDS", "WORKING_STATUSES", "Applied", "base_content", "base_rev", "content_of",
           "is_dirty", "set_base", "set_content"]


class Applied(StrEnum):
    """What taking one change from the server did to the library."""

    NEW = "new"
    UPDATED = "updated"
    MERGED = "merged"
    CONFLICT = "conflict"
    UNCHANGED = "unchanged"
    DELETED = "deleted"
    PENDING = "pending"  # a document waiting for its file
    REFUSED = "refused"  # not this library's to take: another delegation's, or a document imported here


def content_of(row: SubmissionRow) -> dict[str, Any]:
    """The editable content in the wire shape of a save op's body (protocol.SubmissionBody)."""
    return {
        "workshop_id": row.workshop_id,
        "country": row.country,
        "language": row.language,
        "title": row.title,
        "template_id": row.template_id,
        "template_version": row.template_version,
        "body": dict(row.body),
    }


def base_rev(row: SubmissionRow) -> int | None:
    """The rev of the base (None before the first sync)."""
    return int(row.base["rev"]) if row.base else None


def base_content(row: SubmissionRow) -> dict[str, Any] | None:
    """The content the server last accepted (None before the first sync)."""
    return dict(row.base["content"]) if row.base else None


def set_base(row: SubmissionRow, rev: int, content: Mapping[str, Any]) -> None:
    """The server accepted ``content`` at ``rev``: it is the new base."""
    row.base = {"rev": rev, "content": dict(content)}
    row.rev = rev


def is_dirty(row: SubmissionRow) -> bool:
    """True when the text has changes the server has not accepted yet."""
    if row.status not in WORKING_STATUSES:
        return False
    return base_content(row) != content_of(row)


def set_content(row: SubmissionRow, content: Mapping[str, Any]) -> None:
    """Take ``content`` (a save op's body shape) as the submission's text."""
    for name in CONTENT_FIELDS:
        setattr(row, name, content[name])
    row.body = dict(content["body"])
