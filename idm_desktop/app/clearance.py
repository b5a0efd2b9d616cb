"""The clearance use cases (DESIGN §13): ask for review, clear, return, comments and suggestions,
compare versions. Every action is an outbox op, taken offline and sent with the next sync.

``DesktopApp.clearance`` is the one :class:`ClearanceUseCases` of an opened library.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import TYPE_CHECKING, Any

from idm_desktop.app.review_views import (
    Clearance,
    CommentView,
    SinceReview,
    comment_view,
)
from idm_desktop.core.anchoring import AnchorState, select_quote
from idm_desktop.core.clearance import (
    Action,
    ClearancePolicy,
    ReviewState,
    Role,
    effective_state,
    may,
    parse_roles,
    submit_refusal,
    was_returned,
    withdraw_refusal,
)
from idm_desktop.core.errors import ClearanceError, FrozenSubmissionError, InvalidInputError, NotFoundError
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import (
    SaveReason,
    Submission,
    content_sha256,
    correction_hint,
    ensure_editable,
    ensure_section,
    status_label,
)
from idm_desktop.storage import quickread

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from idm_desktop.app.library import Library
    from idm_desktop.core.compare import SectionDiff

ROLES_KEY, CLEARANCE_KEY, SUBMITTERS_KEY = "sync.roles", "sync.clearance", "sync.submitters"
"""Meta keys: the roles of the account signed in, its delegation's clearance policy and the user
names of its submitters (comma-separated)."""
_ROLE_KEY = "sync.role"


class ClearanceUseCases:
    """What the window and the command line do about clearance, on one library."""

    def __init__(self, library: Library) -> None:
        self._library = library

    # -- who am I ---------------------------------------------------------------------------

    def me(self) -> str:
        return self._library.author  # the account's user name (ACCOUNT_USER_KEY) first

    def roles(self) -> frozenset[Role]:
        """The roles the service gave the account signed in (a library never signed in: a drafter
        who submits, as before clearance existed)."""
        roles = parse_roles(self._stored_roles().split(","))
        return roles or frozenset({Role.DRAFTER, Role.SUBMITTER})

    def _stored_roles(self) -> str:
        with self._library.quick_read() as con:
            if con is not None:  # the window's first counts: without SQLAlchemy
                with contextlib.suppress(sqlite3.Error):  # any trouble: the full way says what
                    stored = quickread.meta_values(con, (ROLES_KEY, _ROLE_KEY))
                    return stored.get(ROLES_KEY) or stored.get(_ROLE_KEY) or ""
        from idm_desktop.storage import meta

        with self._library.db.session() as s:
            return meta.get_meta(s, ROLES_KEY) or meta.get_meta(s, _ROLE_KEY) or ""

    def policy(self) -> ClearancePolicy:
        from idm_desktop.storage import meta

        with self._library.db.session() as s:
            value = meta.get_meta(s, CLEARANCE_KEY)
        return ClearancePolicy.REQUIRED if value == "required" else ClearancePolicy.OPTIONAL

    def remember_account(self, session: Session, roles: list[str], clearance: str,
                         submitters: list[str] | None = None) -> None:
        """Keep what the service said of the account (at sign-in and at every sync)."""
        from idm_desktop.storage import meta

        meta.set_meta(session, ROLES_KEY, ",".join(roles))
        meta.set_meta(session, CLEARANCE_KEY, clearance)
        meta.set_meta(session, SUBMITTERS_KEY, ",".join(submitters or []))

    def submitters(self) -> tuple[str, ...]:
        """The user names of the delegation's submitters, as the service last said (may be empty)."""
        from idm_desktop.storage import meta

        with self._library.db.session() as s:
            names = meta.get_meta(s, SUBMITTERS_KEY) or ""
        return tuple(n for n in names.split(",") if n)

    def who_submits(self, sub: Submission | None = None) -> str | None:
        """Why this account may never submit (its roles), in one line that says who can and what
        to do; None when it may (whether the text itself may go is :meth:`check_submit`'s).

        Worded by ``sub``'s state (a text already cleared is not told to wait for clearance) and
        by how many submitters there are (one is asked by name)."""
        roles, policy = self.roles(), self.policy()
        if submit_refusal(policy, roles, None, "") != "not_submitter":
            return None
        submitters = self.submitters()
        wait = policy is ClearancePolicy.REQUIRED
        if wait and sub is not None:
            from idm_desktop.storage import reviews

            with self._library.db.session() as s:
                review = reviews.review_of(s, sub.id, self.me())
            wait = effective_state(review, _sha(sub)) is not ReviewState.CLEARED
        if len(submitters) == 1:
            (name,) = submitters
            if wait:
                return _("Only a submitter of your delegation can send it: {name}. Ask {name} to submit it "
                         "once a reviewer has cleared it.").format(name=name)
            return _("Only a submitter of your delegation can send it: {name}. Ask {name} to submit "
                     "it.").format(name=name)
        names = ", ".join(submitters)
        if wait:
            if names:
                return _("Only a submitter of your delegation can send it: {names}. Ask one of them to "
                         "submit it once a reviewer has cleared it.").format(names=names)
            return _("Only a submitter of your delegation can send it: ask a colleague with the submitter "
                     "role to submit it once a reviewer has cleared it.")
        if names:
            return _("Only a submitter of your delegation can send it: {names}. Ask one of them to "
                     "submit it.").format(names=names)
        return _("Only a submitter of your delegation can send it: ask a colleague with the submitter "
                 "role to submit it.")

    def _allowed(self, action: Action) -> None:
        if not may(action, self.roles()):
            raise ClearanceError(_no_role_message(action))

    # -- the review of a text ---------------------------------------------------------------

    def _act(self, ident: str, body: dict[str, Any]) -> Submission:
        from idm_desktop.storage import reviews
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
            if not sub.status.editable and body["action"] not in _TEXT_STEPS:
                raise FrozenSubmissionError(
                    _("Comments are closed once a text is sent: this submission has been {status}. "
                      "{correct}").format(status=status_label(sub.status), correct=correction_hint(sub)))
            ensure_editable(sub)
            reviews.enqueue(s, sub.id, {"at": self._library.clock().isoformat(), **body},
                            now=self._library.clock(), me=self.me())
            return subs_repo.get_submission(s, sub.id)

    def request_review(self, ident: str, note: str | None = None) -> Submission:
        """Ask the delegation's reviewers to look at the text as it stands."""
        self._allowed(Action.REQUEST_REVIEW)
        sub = self._library_submission(ident)
        body = {"action": "request_review", "sha256": _sha(sub), "note": note or None}
        return self._act(ident, _clean(body))

    def clear(self, ident: str, note: str | None = None) -> Submission:
        """Clear the text as it stands here (the version last synced) for submission."""
        self._allowed(Action.CLEAR)
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
        if sub.rev is None:
            raise ClearanceError(_("This draft has not reached the server yet: sync, then clear it."))
        body = {"action": "clear", "rev": sub.rev, "sha256": _sha(sub), "note": note or None}
        return self._act(ident, _clean(body))

    def return_(self, ident: str, note: str) -> Submission:
        """Send the draft back to its drafters with a note."""
        self._allowed(Action.RETURN)
        if not note.strip():
            raise InvalidInputError(_("Say why the draft goes back: give --note."))
        sub = self._library_submission(ident)
        return self._act(ident, _clean({"action": "return", "rev": sub.rev, "note": note.strip()}))

    def clearance(self, ident: str) -> Clearance | None:
        """The review state of a draft (None when nobody ever asked for review)."""
        sub, review = self._review(ident)
        if not review.get("events"):
            return None
        state = effective_state(review, _sha(sub))
        cleared = review.get("clearance") if state is ReviewState.CLEARED else None
        requests = [e for e in review["events"] if e["action"] == "request_review"]
        last = review["events"][-1]
        return Clearance(state, cleared["by"] if cleared else last.get("by"),
                         cleared["at"] if cleared else last.get("at"),
                         cleared["sha256"] if cleared else None, review.get("note"),
                         requests[-1]["by"] if requests else None, was_returned(review, _sha(sub)))

    def _review(self, ident: str) -> tuple[Submission, dict[str, Any]]:
        """A submission and its review as this computer sees it (storage.reviews.review_of)."""
        me = self.me()
        with self._library.quick_read() as con:
            if con is not None:  # a one-shot command (submission show): without SQLAlchemy
                with contextlib.suppress(sqlite3.Error, ValueError, LookupError):  # else the full way tells
                    sub = quickread.submission(con, ident)
                    return sub, quickread.review_of(con, sub.id, me)
        from idm_desktop.storage import reviews
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
            return sub, reviews.review_of(s, sub.id, me)

    def returned_ids(self) -> frozenset[str]:
        """The drafts a reviewer returned, waiting for their drafters (the lists say "returned")."""
        from idm_desktop.storage import reviews
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            found = set()
            for sub_id, review in reviews.all_reviews(s, self.me()).items():
                if (review.get("events") or [{}])[-1].get("action") != Action.RETURN.value:
                    continue
                if was_returned(review, _sha(subs_repo.get_submission(s, sub_id))):
                    found.add(sub_id)
        return frozenset(found)

    def check_submit(self, sub: Submission) -> None:
        """Refuse, with one clear line, a submit the delegation's clearance policy does not allow."""
        from idm_desktop.storage import reviews

        with self._library.db.session() as s:
            review = reviews.review_of(s, sub.id, self.me())
        refusal = submit_refusal(self.policy(), self.roles(), review, _sha(sub))
        if refusal == "not_submitter":
            raise ClearanceError(self.who_submits(sub)
                                 or _("Only a submitter of your delegation may submit."))
        if refusal is not None:
            raise ClearanceError(_("Your delegation requires clearance: a reviewer must clear this very "
                                   "text before it is submitted (submission request-review)."))

    def check_withdraw(self) -> None:
        """Refuse, with one clear line, a withdrawal the account may not make."""
        if withdraw_refusal(self.policy(), self.roles()):
            raise ClearanceError(_("Only a submitter of your delegation may withdraw a submission: ask one."))

    def waiting_for_me(self) -> int:
        """How many drafts wait for review, when the account is a reviewer."""
        from idm_desktop.core.submissions import SubmissionStatus

        if Role.REVIEWER not in self.roles():
            return 0
        with self._library.quick_read() as con:
            if con is not None:
                with contextlib.suppress(sqlite3.Error):
                    return quickread.count_submissions(con, SubmissionStatus.IN_REVIEW.value)
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            subs = subs_repo.list_submissions(s)
        return sum(1 for sub in subs if sub.status is SubmissionStatus.IN_REVIEW)

    def waiting_to_send(self) -> int:
        """How many cleared drafts wait to be sent, when the account is a submitter."""
        from idm_desktop.core.submissions import SubmissionStatus

        if Role.SUBMITTER not in self.roles():
            return 0
        with self._library.quick_read() as con:
            if con is not None:  # the window's first counts: without SQLAlchemy
                with contextlib.suppress(sqlite3.Error):
                    return quickread.count_submissions(con, SubmissionStatus.CLEARED.value)
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            subs = subs_repo.list_submissions(s)
        return sum(1 for sub in subs if sub.status is SubmissionStatus.CLEARED)

    def waiting(self) -> tuple[int, int]:
        """(drafts waiting for this reviewer's review, cleared drafts waiting for this submitter)."""
        return self.waiting_for_me(), self.waiting_to_send()

    # -- comments ---------------------------------------------------------------------------

    def add_comment(self, ident: str, section: str, quote: str, text: str,
                    suggestion: str | None = None) -> str:
        """Comment on a quoted span of a section (a suggestion proposes a replacement); its id."""
        self._allowed(Action.COMMENT)
        if not text.strip() and suggestion is None:
            raise InvalidInputError(_("Write the comment: give --text."))
        from idm_desktop.storage import catalog as catalog_repo
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
            ensure_section(catalog_repo.get_template(s, sub.template_id, sub.template_version), section)
        selector = select_quote(sub.text_of(section), quote)
        comment_id = _new_id()
        self._act(sub.id, _clean({"action": "comment", "comment_id": comment_id, "section": section,
                                  "exact": selector.exact, "prefix": selector.prefix,
                                  "suffix": selector.suffix, "text": text.strip() or None,
                                  "suggestion": suggestion}))
        return comment_id

    def comments(self, ident: str, *, everything: bool = False) -> list[CommentView]:
        """The comments of a submission (open ones only, unless ``everything``), anchored in its text,
        in the document's order: by section as the template orders them, then where their words
        stand (a lost anchor at the end of its section)."""
        from idm_desktop.storage import catalog as catalog_repo
        from idm_desktop.storage import reviews
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
            review = reviews.review_of(s, sub.id, self.me())
            template = catalog_repo.get_template(s, sub.template_id, sub.template_version)
        views = [comment_view(sub, c) for c in review.get("comments", [])]
        views.sort(key=lambda v: (template.order_of(v.section), v.anchor is AnchorState.LOST, v.start))
        return views if everything else [v for v in views if v.open]

    def find_comment(self, comment_id: str) -> CommentView:
        """A comment by id or unique id prefix, in any submission."""
        from idm_desktop.storage import reviews
        from idm_desktop.storage import submissions as subs_repo

        prefix = comment_id.strip().lower()
        with self._library.db.session() as s:
            found = [(sub_id, c) for sub_id, review in reviews.all_reviews(s, self.me()).items()
                     for c in review.get("comments", []) if prefix and c["id"].startswith(prefix)]
            if not found:
                raise NotFoundError(
                    _("No comment “{id}”: see “comment list ID --all”.").format(id=comment_id))
            if len(found) > 1:
                raise NotFoundError(
                    _("Several comments start with “{id}”: give more of it.").format(id=comment_id))
            sub = subs_repo.get_submission(s, found[0][0])
        return comment_view(sub, found[0][1])

    def reply(self, comment_id: str, text: str) -> str:
        self._allowed(Action.REPLY)
        if not text.strip():
            raise InvalidInputError(_("Write the reply: give --text."))
        comment = self.find_comment(comment_id)
        reply_id = _new_id()
        self._act(comment.submission_id, {"action": "reply", "comment_id": comment.id, "reply_id": reply_id,
                                          "text": text.strip()})
        return reply_id

    def decide(self, comment_id: str, action: Action) -> CommentView:
        """Resolve, reopen or reject a comment (accept: :meth:`accept`)."""
        self._allowed(action)
        comment = self.find_comment(comment_id)
        if action is Action.REJECT and comment.suggestion is None:
            raise InvalidInputError(_("Only a suggestion is accepted or rejected."))
        self._act(comment.submission_id, {"action": action.value, "comment_id": comment.id,
                                          "decision_id": _new_id()})
        return self.find_comment(comment.id)

    def accept(self, comment_id: str) -> Submission:
        """Put a suggestion in the text (a new version, its author in the history) and say so."""
        self._allowed(Action.ACCEPT)
        from idm_desktop.storage import reviews
        from idm_desktop.storage import submissions as subs_repo

        comment = self.find_comment(comment_id)
        if comment.suggestion is None:
            raise InvalidInputError(_("Only a suggestion is accepted or rejected."))
        if comment.anchor is AnchorState.LOST:
            raise ClearanceError(_("The text this suggestion was about is gone: edit the section by hand, "
                                   "then reject the suggestion."))
        me = self.me()
        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, comment.submission_id)
            old = sub.text_of(comment.section)
            new = old[:comment.start] + comment.suggestion + old[comment.end:]
            subs_repo.save(s, sub.id, author=me, reason=SaveReason.SUGGESTION,
                           now=self._library.clock(), sections={comment.section: new},
                           suggested_by=comment.author)
            reviews.enqueue(s, sub.id, {"action": "accept", "comment_id": comment.id,
                                        "decision_id": _new_id(),
                                        "at": self._library.clock().isoformat()},
                            now=self._library.clock(), me=me)
            return subs_repo.get_submission(s, sub.id)

    # -- compare ----------------------------------------------------------------------------

    def compare(self, ident: str, old_seq: int,
                new_seq: int | None) -> tuple[Submission, list[SectionDiff]]:
        """Versions ``old_seq`` and ``new_seq`` (None: the current text) of the history, by section."""
        from idm_desktop.storage import catalog as catalog_repo
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
            versions = {h.seq: h for h in subs_repo.history(s, sub.id)}
            keys = catalog_repo.get_template(s, sub.template_id, sub.template_version).keys
        for seq in (old_seq, new_seq):
            if seq is not None and seq not in versions:
                raise NotFoundError(_("Version {seq} is not in the history of this submission: see "
                                      "“submission history”.").format(seq=seq))
        old = versions[old_seq].body
        new = versions[new_seq].body if new_seq is not None else sub.body
        from idm_desktop.core.compare import compare  # diff-match-patch: loaded by a comparison

        return sub, compare(old, new, keys)

    def since_review(self, ident: str) -> SinceReview:
        """The version to compare the text with "since the review": for a reviewer, the one they
        last cleared, returned or commented on; for a drafter, the one last returned to them or
        sent for review, whichever came last."""
        from idm_desktop.storage import reviews
        from idm_desktop.storage import submissions as subs_repo

        me = self.me()
        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
            review = reviews.review_of(s, sub.id, me)
            history = subs_repo.history(s, sub.id)
        events = review.get("events", [])
        if Role.REVIEWER in self.roles():
            mine = [e for e in events if e.get("by") == me and e["action"] in ("clear", "return")]
            times = [e["at"] for e in mine] + [c["at"] for c in review.get("comments", [])
                                               if c["author"] == me]
            if not times:
                raise NotFoundError(
                    _("You have not reviewed this submission yet: compare two versions instead."))
            when, kind, by = max(times), "reviewed", me
        else:
            steps = [e for e in events if e["action"] in ("return", "request_review")]
            if not steps:
                raise NotFoundError(_("This text was never sent for review nor returned: compare two "
                                      "versions instead."))
            last = max(steps, key=lambda e: e["at"])
            when, by = last["at"], last.get("by") or ""
            kind = "returned" if last["action"] == "return" else "requested"
        seen = [h.seq for h in history if h.at.isoformat() <= when]
        return SinceReview(seen[-1] if seen else history[0].seq, kind, by, when)

    def _library_submission(self, ident: str) -> Submission:
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            return subs_repo.get_submission(s, ident)


# The review steps of the text itself; every other action is about comments.
_TEXT_STEPS = frozenset({Action.REQUEST_REVIEW.value, Action.CLEAR.value, Action.RETURN.value,
                         Action.VOID.value})


def _sha(sub: Submission) -> str:
    return content_sha256(sub.title, sub.language, sub.body)


def _clean(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


def _no_role_message(action: Action) -> str:
    if action in (Action.CLEAR, Action.RETURN):
        return _("Only a reviewer of your delegation may clear or return a draft.")
    if action in (Action.ACCEPT, Action.REJECT):
        return _("Only a drafter of your delegation may accept or reject a suggestion.")
    if action is Action.REQUEST_REVIEW:
        return _("Only a drafter of your delegation may ask for review.")
    return _("Your role in the delegation does not allow this.")


def _new_id() -> str:
    import uuid  # here: counting the drafts in review at start does not need it

    return str(uuid.uuid4())
