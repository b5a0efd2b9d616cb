"""The clearance commands of ``idm-desktop`` (DESIGN §13): submission request-review/clear/return/
compare and comment add/list/reply/resolve/reopen/accept/reject. Each action waits in the outbox
and goes with the next sync."""

from __future__ import annotations

import argparse

from idm_desktop.app import DesktopApp
from idm_desktop.app.review_views import anchor_label, decision_label
from idm_desktop.cli import output as out
from idm_desktop.core.clearance import Action, ReviewState
from idm_desktop.core.compare import marked
from idm_desktop.core.errors import UsageError
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import status_label


def note_arguments(p: argparse.ArgumentParser) -> None:
    out.submission_id_argument(p)
    p.add_argument("--note", metavar="T", help=_("a note for the delegation"))


def return_arguments(p: argparse.ArgumentParser) -> None:
    out.submission_id_argument(p)
    p.add_argument("--note", metavar="T", required=True, help=_("why the draft goes back"))


def compare_arguments(p: argparse.ArgumentParser) -> None:
    out.submission_id_argument(p)
    p.add_argument("v1", metavar="V1", nargs="?", type=int,
                   help=_("a version number of “submission history”"))
    p.add_argument("v2", metavar="V2", nargs="?", type=int,
                   help=_("another version (default: the current text)"))
    p.add_argument("--since-review", action="store_true",
                   help=_("compare the version you last reviewed with the current text"))


def comment_add_arguments(p: argparse.ArgumentParser) -> None:
    out.submission_id_argument(p)
    p.add_argument("section", metavar="SECTION", help=_("the section's key, as “submission show” lists them"))
    p.add_argument("--quote", required=True, metavar="Q",
                   help=_("the words the comment is about, as they stand"))
    p.add_argument("--text", required=True, metavar="T", help=_("what you have to say"))
    p.add_argument("--suggest", metavar="REPLACEMENT", help=_("propose a replacement for the quoted words"))


def comment_list_arguments(p: argparse.ArgumentParser) -> None:
    out.submission_id_argument(p)
    p.add_argument("--all", action="store_true", help=_("also resolved and decided comments"))


def comment_reply_arguments(p: argparse.ArgumentParser) -> None:
    comment_id_argument(p)
    p.add_argument("--text", required=True, metavar="T", help=_("what you have to say"))


def comment_id_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("cid", metavar="CID",
                   help=_("the comment's id (or a unique prefix), as “comment list” shows it"))


def _state(app: DesktopApp, args: argparse.Namespace, sub_id: str) -> int:
    sub = app.submission(sub_id)
    clearance = app.clearance.clearance(sub.id)
    out.emit(args, {"submission": out.submission_json(sub), "clearance": out.clearance_json(clearance)},
             _("{id}: {status} (sent with the next sync)").format(id=sub.id[:8],
                                                                   status=status_label(sub.status)))
    return 0


def cmd_request_review(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    return _state(app, args, app.clearance.request_review(args.id, args.note).id)


def cmd_clear(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    return _state(app, args, app.clearance.clear(args.id, args.note).id)


def cmd_return(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    sub = app.clearance.return_(args.id, args.note)
    clearance = app.clearance.clearance(sub.id)
    out.emit(args, {"submission": out.submission_json(sub), "clearance": out.clearance_json(clearance)},
             _("{id}: returned to its drafters with your note: “{note}” (sent with the next sync)").format(
                 id=sub.id[:8], note=args.note.strip()))
    return 0


def cmd_compare(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    start = ""  # where "since the review" starts, said first
    if args.since_review:
        if args.v1 is not None:
            raise UsageError(_("Give either two versions or --since-review, not both."))
        since = app.clearance.since_review(args.id)
        old, new = since.seq, None
        at = out.readable_time(since.at, lang)
        start = {"reviewed": _("Since you last reviewed it ({at}):").format(at=at),
                 "returned": _("Since {who} returned it to its drafters ({at}):").format(who=since.by, at=at),
                 "requested": _("Since it was sent for review ({at}):").format(at=at)}[since.kind]
    elif args.v1 is None:
        raise UsageError(_("Give the versions to compare (see “submission history”), or --since-review."))
    else:
        old, new = args.v1, args.v2
    sub, diffs = app.clearance.compare(args.id, old, new)
    template = app.template_of(sub)

    def text() -> str:
        lines = [_("Version {old} → {new}").format(old=old, new=new if new is not None else _("current"))]
        if args.since_review:
            lines.insert(0, start)
        for d in diffs:
            if not d.changed:
                continue
            lines += [f"\n## {template.section_title(d.key, sub.language)}", marked(d.changes)]
        if len(lines) == 1:
            lines.append(_("No change."))
        return "\n".join(lines)

    payload = {"submission_id": sub.id, "old": old, "new": new, "sections": [
        {"key": d.key, "changed": d.changed, "old": d.old, "new": d.new,
         "changes": [{"op": c.op, "old": c.old, "new": c.new} for c in d.changes if c.op != "equal"]}
        for d in diffs]}
    out.emit(args, payload, text)
    return 0


def cmd_comment_add(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    cid = app.clearance.add_comment(args.id, args.section, args.quote, args.text, args.suggest)
    out.emit(args, {"comment": out.comment_json(app.clearance.find_comment(cid))}, cid)
    return 0


def cmd_comment_list(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    comments = app.clearance.comments(args.id, everything=args.all)  # in the document's order
    sub = app.submission(args.id)
    template = app.template_of(sub)

    def text() -> str:
        if not comments:
            return _("No open comments.") if not args.all else _("No comments.")
        lines = []
        for c in comments:
            # The words as they stand now (a moved anchor says what they were).
            where = anchor_label(c)
            state = decision_label(c)
            section = template.section_title(c.section, sub.language)
            lines.append(f"{c.id[:8]}  [{section}] «{c.words}» ({where})  {c.author}  {state}".rstrip())
            lines.append(f"    {c.text}")
            if c.suggestion is not None:
                lines.append("    " + _("Suggests: «{text}»").format(text=c.suggestion))
            lines += [f"      ↳ {r.author}: {r.text}" for r in c.replies]
        return "\n".join(lines)

    out.emit(args, {"comments": [out.comment_json(c) for c in comments]}, text)
    return 0


def cmd_comment_reply(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    reply_id = app.clearance.reply(args.cid, args.text)
    comment = app.clearance.find_comment(args.cid)
    out.emit(args, {"comment": out.comment_json(comment), "reply_id": reply_id},
             _("Replied to comment {id} (reply {reply}).").format(id=comment.id[:8], reply=reply_id[:8]))
    return 0


def _decide(app: DesktopApp, args: argparse.Namespace, action: Action, done: str) -> int:
    comment = app.clearance.decide(args.cid, action)
    out.emit(args, {"comment": out.comment_json(comment)}, done.format(id=comment.id[:8]))
    return 0


def cmd_comment_resolve(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    return _decide(app, args, Action.RESOLVE, _("Comment {id} resolved."))


def cmd_comment_reopen(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    return _decide(app, args, Action.REOPEN, _("Comment {id} reopened."))


def cmd_comment_reject(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    return _decide(app, args, Action.REJECT, _("Suggestion {id} rejected."))


def cmd_comment_accept(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    before = app.clearance.clearance(app.clearance.find_comment(args.cid).submission_id)
    sub = app.clearance.accept(args.cid)
    comment = app.clearance.find_comment(args.cid)
    # The window asks before this; a command cannot, so it says what the change did.
    voided = before.state if before is not None and before.state is not ReviewState.DRAFT else None
    section = app.template_of(sub).section_title(comment.section, sub.language)
    line = _("Suggestion {id} accepted: the text of “{section}” changed.").format(id=comment.id[:8],
                                                                              section=section)
    if voided is ReviewState.CLEARED:
        line += "\n" + _("The change voided the clearance: the text is a draft again, and a reviewer must "
                         "clear it again (submission request-review).")
    elif voided is ReviewState.IN_REVIEW:
        line += "\n" + _("The change ended the review: the text is a draft again; ask for review again "
                         "(submission request-review).")
    out.emit(args, {"comment": out.comment_json(comment), "submission": out.submission_json(sub),
                    "voided": voided.value if voided is not None else None}, line)
    return 0
