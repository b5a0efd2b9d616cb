"""What the clearance use cases show (DESIGN §13): a comment anchored in the current text, where a
draft stands in its review, and the labels a person reads for them.

:mod:`idm_desktop.app.clearance` gives them; the window and the command line read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from idm_desktop.core.anchoring import AnchorState
from idm_desktop.core.clearance import ReviewState, anchor_of
from idm_desktop.core.i18n import _

if TYPE_CHECKING:
    from idm_desktop.core.submissions import Submission
    from idm_desktop.export.context import ExportComment

__all__ = ["Clearance", "CommentView", "Reply", "SinceReview", "anchor_label", "comment_view",
           "decision_label", "export_comments"]


@dataclass(frozen=True, slots=True)
class Reply:
    id: str
    text: str
    author: str
    at: str


@dataclass(frozen=True, slots=True)
class CommentView:
    """A comment as the user sees it, anchored in the current text."""

    id: str
    submission_id: str
    section: str
    quote: str
    text: str
    author: str
    at: str
    resolved: bool
    suggestion: str | None
    decision: str | None
    anchor: AnchorState
    start: int
    end: int
    replies: tuple[Reply, ...]
    history: tuple[dict[str, Any], ...] = ()
    current: str = ""
    """The words the comment is anchored on in the text as it stands ("" when lost)."""

    @property
    def open(self) -> bool:
        return not self.resolved and self.decision is None

    @property
    def words(self) -> str:
        """The words the comment is on now: where its anchor is, else (lost) the words it quoted."""
        return self.current or self.quote


@dataclass(frozen=True, slots=True)
class SinceReview:
    """Where "since the review" starts: the version (its seq), and why that one."""

    seq: int
    kind: str  # "reviewed" (by me, a reviewer), "returned" (to the drafters), "requested" (review)
    by: str
    at: str


@dataclass(frozen=True, slots=True)
class Clearance:
    """Where a draft stands in its review: the state, and the clearance or the last note."""

    state: ReviewState
    by: str | None
    at: str | None
    sha256: str | None
    note: str | None
    requested_by: str | None = None
    returned: bool = False
    """A reviewer returned it (``by``, ``at``, ``note`` say who, when and why)."""


def anchor_label(c: CommentView) -> str:
    """Where a comment's words stand now, for a person: exact, moved (and what they were), or lost."""
    if c.anchor is AnchorState.EXACT:
        return _("anchor: exact")
    if c.anchor is AnchorState.MOVED:
        return _("anchor: moved, was «{quote}»").format(quote=c.quote)
    return _("anchor: lost, its text is gone")


def decision_label(c: CommentView) -> str:
    """"resolved", "accepted", "rejected" in the user's language, or ""."""
    if c.decision == "accepted":
        return _("accepted")
    if c.decision == "rejected":
        return _("rejected")
    return _("resolved") if c.resolved else ""


def comment_view(sub: Submission, c: dict[str, Any]) -> CommentView:
    """The comment ``c`` (as stored) of ``sub``, anchored in its text as it stands."""
    anchor = anchor_of(c, sub.body)
    return CommentView(
        id=c["id"], submission_id=sub.id, section=c["section"], quote=c["quote"]["exact"], text=c["text"],
        author=c["author"], at=c["at"], resolved=bool(c["resolved"]), suggestion=c.get("suggestion"),
        decision=c.get("decision"), anchor=anchor.state, start=anchor.start, end=anchor.end,
        replies=tuple(Reply(r["id"], r["text"], r["author"], r["at"]) for r in c.get("replies", [])),
        history=tuple(c.get("history", [])),
        current="" if anchor.state is AnchorState.LOST
        else sub.text_of(c["section"])[anchor.start:anchor.end])


def export_comments(sub: Submission, comments: list[CommentView]) -> tuple[ExportComment, ...]:
    """The open ``comments`` of ``sub`` as a DOCX carries them: each on exactly its words, with its
    replies (DESIGN §13)."""
    import datetime as dt

    from idm_desktop.export.context import ExportComment, ExportReply
    from idm_desktop.export.docx_comments import occurrence

    def when(at: str) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(at)
        except ValueError:
            return None

    return tuple(
        ExportComment(
            c.section, c.current or c.quote, c.text, c.author, when(c.at), c.suggestion,
            tuple(ExportReply(r.text, r.author, when(r.at)) for r in c.replies),
            occurrence(sub.text_of(c.section)[:c.start], c.current) if c.current else 0)
        for c in comments)
