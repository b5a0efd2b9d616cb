"""The sync commands of ``idm-desktop``: login, logout, sync, status, submission submit/withdraw/resolve,
bundle."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from idm_desktop.app import DesktopApp
from idm_desktop.cli import output as out
from idm_desktop.core.countries import country
from idm_desktop.core.errors import (
    ConflictsWaitingError,
    IdmError,
    RefusedError,
    ServerUnreachableError,
    UsageError,
)
from idm_desktop.core.i18n import _, plural
from idm_desktop.core.merge import TITLE_KEY
from idm_desktop.core.submissions import SubmissionStatus
from idm_desktop.core.sync import SyncProgress, SyncReport


def login_arguments(login: argparse.ArgumentParser) -> None:
    login.add_argument("--server", required=True, metavar="URL",
                       help=_("the secretariat's server, as it gave it to you (https://…)"))
    login.add_argument("--user", required=True, metavar="NAME", help=_("your user name on that server"))
    login.add_argument("--password-stdin", action="store_true",
                       help=_("read the password from standard input"))
    login.add_argument("--token-file", action="store_true",
                       help=_("keep the sign-in token in a file only you can read, where no keyring exists"))
    login.add_argument("--device", metavar="NAME", help=_("this computer's name on the server"))
    login.add_argument("--fingerprint", metavar="FP",
                       help=_("the fingerprint of the server's key, as the secretariat publishes it: "
                              "checked before your password is sent"))
    login.add_argument("--insecure-http", action="store_true",
                       help=_("allow http:// to a server on another computer (a test lab only)"))


def sync_arguments(sync: argparse.ArgumentParser) -> None:
    sync.add_argument("--allow-deletions", action="store_true",
                      help=_("accept a pull that withdraws many documents"))


def status_arguments(status: argparse.ArgumentParser) -> None:
    status.add_argument("--check", action="store_true",
                        help=_("also ask the server, briefly, whether it still accepts this computer"))


def submit_arguments(submit: argparse.ArgumentParser) -> None:
    out.submission_id_argument(submit)
    submit.add_argument("--force", action="store_true",
                        help=_("submit even though the check finds errors"))


def withdraw_arguments(withdraw: argparse.ArgumentParser) -> None:
    out.submission_id_argument(withdraw)
    withdraw.add_argument("--reason", required=True, metavar="TEXT",
                          help=_("why the delegation takes it back (the secretariat reads it)"))


def resolve_arguments(resolve: argparse.ArgumentParser) -> None:
    out.submission_id_argument(resolve)
    resolve.add_argument("section", metavar="SECTION_KEY", help=_("the section, or “title”"))
    which = resolve.add_mutually_exclusive_group(required=True)
    which.add_argument("--mine", action="store_true", help=_("keep your text"))
    which.add_argument("--theirs", action="store_true", help=_("take the server's text"))
    which.add_argument("--text", metavar="T", help=_("use this text"))
    which.add_argument("--file", metavar="F", help=_("use the text of this UTF-8 file"))


def bundle_export_arguments(export: argparse.ArgumentParser) -> None:
    export.add_argument("--out", required=True, metavar="FILE", help=_("the bundle file to write"))
    export.add_argument("--readable", action="store_true",
                        help=_("do not seal the bundle to the server: anyone with the file can read it "
                               "(it is still signed)"))


def bundle_import_arguments(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("file", metavar="FILE", help=_("the bundle file to read"))
    imp.add_argument("--fingerprint", metavar="FP",
                     help=_("never signed in here: trust the server key with this fingerprint"))


def receipt_arguments(verify: argparse.ArgumentParser) -> None:
    out.submission_id_argument(verify)


def cmd_login(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    import getpass
    import socket

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(_("Password: "))
    else:
        raise UsageError(_("No terminal to ask for the password: use --password-stdin."))
    account = app.sync.login(args.server, args.user, password, token_file=args.token_file,
                             device_name=args.device or socket.gethostname() or "desktop",
                             fingerprint=args.fingerprint, insecure_http=args.insecure_http)
    who = country(account.delegation).name(lang) if account.delegation else _("the secretariat")
    out.emit(args, {"login": {"server": account.server, "user": account.user, "role": account.role,
                              "delegation": account.delegation, "token_store": account.token_store,
                              "keyring_backend": account.keyring_backend,
                              "fingerprint": account.fingerprint, "device": account.device}},
         _("Signed in to {server} as {user} ({who}).").format(server=account.server, user=account.user,
                                                               who=who) + "\n"
         + _("The server's key: {fingerprint} (compare it with the one the secretariat publishes).")
         .format(fingerprint=account.fingerprint))
    return 0


def cmd_logout(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    done = app.sync.logout()
    out.emit(args, {"logout": {"signed_out": done}},
         _("Signed out.") if done else _("You were not signed in."))
    return 0


def cmd_sync(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    bar: Any = None
    if not getattr(args, "json", False) and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=None, unit=_("change"), file=sys.stderr, leave=False)

    def progress(p: SyncProgress) -> None:
        if bar is not None:
            bar.set_description(p.phase)
            bar.total = p.total
            bar.n = p.done
            bar.refresh()

    try:
        report = app.sync.run(progress, allow_deletions=args.allow_deletions)
    except IdmError as err:
        waiting = app.sync.status().summary.waiting
        if getattr(args, "json", False):
            # A program reading the output gets an answer too; the line on stderr follows.
            out.emit(args, {"error": out.error_json(err, waiting=waiting)}, "")
        elif isinstance(err, ServerUnreachableError):
            # One line: why, and how much waits.
            raise ServerUnreachableError(" ".join((str(err), plural(
                "{n} item stays queued for the next sync.", "{n} items stay queued for the next sync.",
                waiting))), host=err.host) from err
        raise
    finally:
        if bar is not None:
            bar.close()
    status = app.sync.status()
    out.emit(args, {"sync": _report_json(report, status.summary.waiting, status.summary.conflicts)},
         lambda: _report_text(report, status.summary.waiting))
    return _conflicts_exit(status.summary.conflicts)


def _report_json(report: SyncReport, waiting: int, conflicts: int) -> dict[str, Any]:
    return {"pulled": report.pulled, "new_documents": report.new_documents, "merged": report.merged,
            "conflicts": conflicts, "pushed": report.pushed, "review_actions": report.review_actions,
            "receipts": [{"id": i, "receipt_no": n} for i, n in report.receipts],
            "failures": list(report.failures), "waiting": waiting, "requests": report.requests}


def _report_text(report: SyncReport, waiting: int) -> str:
    lines = [" ".join((
        plural("Received {n} change,", "Received {n} changes,", report.pulled),
        plural("{n} new document;", "{n} new documents;", report.new_documents),
        plural("sent {n} version.", "sent {n} versions.", report.pushed)))]
    if report.review_actions:
        # Comments, replies, resolves, requests, clearances, returns: not versions of the text.
        lines.append(plural("{n} review action sent.", "{n} review actions sent.", report.review_actions))
    if report.merged:
        lines.append(plural("{n} submission merged with changes from the server.",
                              "{n} submissions merged with changes from the server.", report.merged))
    lines += [_("Receipt {number} for {id}.").format(number=n, id=i[:8]) for i, n in report.receipts]
    lines += [_("Not done: {reason}").format(reason=f) for f in report.failures]
    if waiting:
        lines.append(plural("{n} item waits to be sent.", "{n} items wait to be sent.", waiting))
    return "\n".join(lines)


def _conflicts_exit(conflicts: int) -> int:
    if conflicts:
        raise ConflictsWaitingError(plural(
            "{n} submission has conflicting edits: resolve them in the window or with "
            "“idm-desktop submission resolve”.",
            "{n} submissions have conflicting edits: resolve them in the window or with "
            "“idm-desktop submission resolve”.", conflicts))
    return 0


def cmd_status(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    # The library's own record answers: what the last sync, submit or bundle import learned (a
    # revoked computer included). --check asks the server too (a refused connection costs
    # nothing, no link at most 2 s); a read-only command stays off the network otherwise.
    checked = None  # not asked: no --check, or no sign-in to ask about
    if getattr(args, "check", False):
        checked = app.sync.check_sign_in()  # False: the server could not be asked
    status = app.sync.status()
    items = app.sync.outbox()
    conflicts = app.sync.conflicts()
    s = status.summary
    payload = {"status": {
        "server": status.server, "user": status.user, "signed_in": status.signed_in,
        "sign_in_ended": status.sign_in_ended,
        "checked": None if checked is None else ("asked" if checked else "unreachable"),
        "last_sync": out.iso(status.last_sync), "waiting": s.waiting, "conflicts": s.conflicts,
        "failed": s.failed, "pending_documents": s.pending_documents,
        "outbox": [{"op_id": i.op_id, "kind": i.kind, "submission_id": i.submission_id, "title": i.title,
                    "sent": i.sent, "attempts": i.attempts, "failed": i.failed, "error": i.error,
                    "error_code": i.error_code, "reason": i.reason or None}
                   for i in items],
        "conflicting_sections": [{"submission_id": c.submission_id, "section": c.key} for c in conflicts],
    }}

    def text() -> str:
        if not status.server:
            lines = [_("Not connected to a server: sign in with “idm-desktop login”.")]
        elif status.sign_in_ended:
            lines = [status.sign_in_ended_text]
        elif not status.signed_in:
            lines = [_("Signed out of {server}.").format(server=status.server)]
        else:
            lines = [_("Signed in to {server} as {user}.").format(server=status.server, user=status.user)]
        if checked is False and status.server:
            lines.append(_("The server could not be asked (no link, or it is down): this is what the "
                           "library knew."))
        elif checked and status.signed_in:
            lines.append(_("The server still accepts this computer."))
        if status.last_sync:
            lines.append(_("Last sync: {when}.").format(when=out.local_time(status.last_sync, lang)))
        lines.append(plural("{n} item waits to be sent.", "{n} items wait to be sent.", s.waiting))
        lines += [_("Refused: {title}: {reason}").format(title=i.title, reason=i.reason)
                  for i in items if i.failed]
        lines += [_("Conflict in {section} of {id}").format(section=c.key, id=c.submission_id[:8])
                  for c in conflicts]
        return "\n".join(lines)

    out.emit(args, payload, text)
    return _conflicts_exit(s.conflicts)


def cmd_sub_submit(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    app.sync.submit(args.id, force=args.force)
    sub = app.submission(args.id)
    receipt = None
    if app.sync.status().signed_in:
        try:
            report = app.sync.run()
        except ServerUnreachableError as err:
            raise ServerUnreachableError(_("Submitted here and frozen; it is sent with the next sync "
                                           "({reason})").format(reason=err)) from err
        receipt = next((n for i, n in report.receipts if i == sub.id), None)
        sub = app.submission(args.id)
    payload = {"submission": out.submission_json(sub), "receipt_no": receipt}
    if receipt:
        msg = _("Submitted: receipt {number}.").format(number=receipt)
    else:
        msg = _("Submitted here and frozen; it is sent to the secretariat with the next sync.")
    out.emit(args, payload, msg)
    return 0


def cmd_sub_withdraw(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    queued = app.sync.withdraw(args.id, args.reason)
    sub = app.submission(args.id)
    if app.sync.status().signed_in:
        try:
            report = app.sync.run()
        except ServerUnreachableError as err:
            raise ServerUnreachableError(_("Withdrawal kept here; it is sent with the next sync ({reason})")
                                         .format(reason=err)) from err
        sub = app.submission(args.id)
        if sub.status is not SubmissionStatus.WITHDRAWN and report.failures:
            raise RefusedError(report.failures[-1])
    withdrawn = sub.status is SubmissionStatus.WITHDRAWN
    payload = {"submission": out.submission_json(sub), "withdrawn": withdrawn,
               "pending": not withdrawn, "reason": " ".join(args.reason.split())}
    if withdrawn:
        msg = _("Withdrawn: the secretariat sees it as withdrawn and it is no longer public.")
    elif queued:
        msg = _("Withdrawal kept here; it is sent to the secretariat with the next sync.")
    else:
        msg = _("A withdrawal of this submission already waits for the next sync.")
    out.emit(args, payload, msg)
    return 0


def cmd_sub_resolve(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    from idm_desktop.cli.submissions import read_text_arg  # the other commands here need none of it

    key = TITLE_KEY if args.section == "title" else args.section
    found = [c for c in app.sync.conflicts(args.id) if c.key == key]
    if not found:
        raise UsageError(_("No conflict waits in section “{key}” of this submission.")
                         .format(key=args.section))
    text = found[0].mine if args.mine else found[0].theirs if args.theirs else read_text_arg(args)
    left = app.sync.resolve(args.id, key, text)
    out.emit(args, {"resolved": {"section": args.section, "conflicts_left": left}},
         plural("Resolved; {n} conflict left.", "Resolved; {n} conflicts left.", left))
    return 0


def cmd_bundle_export(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    out_path = Path(args.out)
    n = app.sync.export_bundle(out_path, readable=args.readable)
    how = (_("Signed with this computer's key, not sealed: anyone with the file can read it.")
           if args.readable
           else _("Signed with this computer's key and sealed: only the server can read it."))
    out.emit(args, {"bundle": {"path": str(out_path.resolve()), "ops": n, "sealed": not args.readable}},
             plural("Wrote {path} with {n} item to send.", "Wrote {path} with {n} items to send.", n,
                    path=out_path) + "\n" + how)
    return 0


def cmd_bundle_import(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    outcome = app.sync.import_bundle(Path(args.file), fingerprint=args.fingerprint)
    if outcome.replayed is not None:
        r = outcome.replayed
        payload = {"kind": "outbox", "new": r.applied, "already_here": r.duplicate,
                   "refused": len(r.rejected),
                   "applied": r.applied, "duplicate": r.duplicate, "conflict": r.conflict,
                   "rejected": list(r.rejected),
                   "receipts": [{"id": i, "receipt_no": n} for i, n in r.receipts],
                   "device": r.device, "user": r.user, "sealed": r.sealed}
        parts = [plural("{n} item new to the server", "{n} items new to the server", r.applied),
                 plural("{n} item it already had", "{n} items it already had", r.duplicate),
                 plural("{n} item refused", "{n} items refused", len(r.rejected))]
        if r.conflict:
            parts.append(plural(
                "{n} item in conflict (merged on the author's computer at its next sync)",
                "{n} items in conflict (merged on the author's computer at its next sync)", r.conflict))
        lines = [_("Checked by the server: signed by {user}'s device {device}.").format(
            user=r.user, device=r.device),
                 _("Sent: {counts}.").format(counts=", ".join(parts))]
        lines += [_("Receipt {number} for {id}.").format(number=n, id=i[:8]) for i, n in r.receipts]
        lines += [_("Refused: {reason}").format(reason=x) for x in r.rejected]
    else:
        assert outcome.applied is not None
        a = outcome.applied
        new = a.pulled - a.unchanged - a.refused
        payload = {"kind": "changes", "new": new, "already_here": a.unchanged, "refused": a.refused,
                   "changes": a.pulled, "new_documents": a.new_documents,
                   "merged": a.merged, "conflicts": a.conflicts, "failures": list(a.failures)}
        parts = [plural("{n} change new here", "{n} changes new here", new),
                 plural("{n} change already here", "{n} changes already here", a.unchanged),
                 plural("{n} change refused", "{n} changes refused", a.refused)]
        lines = [_("Applied: {counts}.").format(counts=", ".join(parts)),
                 plural("{n} new document in the library.", "{n} new documents in the library.",
                        a.new_documents)]
        if a.refused:
            lines.append(_("A refused change is for another delegation, or about a document imported on "
                           "this computer: it is left out."))
        if a.merged:
            lines.append(plural("{n} submission merged with changes from the server.",
                                "{n} submissions merged with changes from the server.", a.merged))
        lines += [_("Not done: {reason}").format(reason=x) for x in a.failures]
    out.emit(args, {"bundle": payload}, "\n".join(lines))
    return _conflicts_exit(app.sync.status().summary.conflicts)


def cmd_receipt_verify(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    check = app.sync.verify_receipt(args.id)
    out.emit(args, {"receipt": {"receipt_no": check.receipt_no, "valid": True, "key_id": check.key_id,
                                "delegation": check.delegation, "submission_id": check.submission_id,
                                "received_at": check.received_at, "sha256": check.sha256}},
         _("Receipt {number} is genuine: signed by the server's key {key} for {id}, text sha256 {sha}.")
         .format(number=check.receipt_no, key=check.key_id, id=check.submission_id[:8], sha=check.sha256))
    return 0
