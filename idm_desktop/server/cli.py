"""``idm-server``: run the service, and the secretariat's admin commands (DESIGN §10).

Exit codes: 0 ok; 1 error (one clear line on stderr, nothing changed); 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import importlib.util
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from idm_desktop import __version__
from idm_desktop.server.config import DEFAULT_PORT, Settings

log = logging.getLogger("idm_server")

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Usage(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="idm-server", description="The secretariat's service for IDM Delegate Desktop.")
    parser.add_argument("--version", action="version", version=f"idm-server {__version__}")
    parser.add_argument("--home", metavar="DIR",
                        help="the service's folder: database (SQLite), blobs (default: IDM_SERVER_HOME "
                             "or the platform's data folder)")
    parser.add_argument("--database-url", metavar="URL",
                        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/idm "
                             "(default: IDM_SERVER_DATABASE_URL or SQLite in the home folder)")
    parser.add_argument("--blob-store", metavar="URL",
                        help="where published files are kept: s3://BUCKET?endpoint=URL (the S3 API, "
                             "credentials from AWS_* variables) or a folder (default: "
                             "IDM_SERVER_BLOB_STORE or <home>/blobs)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, required=True)

    run = sub.add_parser("run", help="serve the API (and the public pages)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=DEFAULT_PORT)
    run.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    run.add_argument("--graceful-timeout", type=float, default=10.0, metavar="SECONDS",
                     help="on SIGTERM, let requests in flight finish for this long")

    admin = sub.add_parser("admin", help="secretariat tasks on this server's database")
    cmds = admin.add_subparsers(dest="admin_command", parser_class=_Parser, required=True)

    p = cmds.add_parser("add-user", help="create an account")
    p.add_argument("name")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--delegation", metavar="ISO3")
    who.add_argument("--secretariat", action="store_true")
    p.add_argument("--role", required=True, action="append", metavar="ROLE",
                   choices=("drafter", "reviewer", "submitter", "secretariat"),
                   help="drafter, reviewer, submitter or secretariat; repeat it for several roles")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    p = cmds.add_parser("set-roles", help="give a user other roles (e.g. reviewer,submitter)")
    p.add_argument("name")
    p.add_argument("roles", metavar="R[,R2]")

    p = cmds.add_parser("set-delegation", help="a delegation's settings: its clearance policy")
    p.add_argument("iso3", metavar="ISO3")
    p.add_argument("--clearance", required=True, choices=("required", "optional"),
                   help="required: only a submitter submits, and only a text a reviewer cleared")

    cmds.add_parser("list-users", help="the accounts and their roles")

    p = cmds.add_parser("revoke-tokens", help="sign a user out on every device")
    p.add_argument("name")

    cmds.add_parser("list-devices", help="the desktops' device keys: user, name, fingerprint, last seen")
    p = cmds.add_parser("revoke-device", help="refuse a device's bundles and sign it out (a lost laptop)")
    p.add_argument("fingerprint")

    p = cmds.add_parser("publish-document", help="publish a document file to a workshop")
    p.add_argument("file", type=Path)
    p.add_argument("--workshop", required=True, metavar="ID")
    p.add_argument("--symbol", required=True, metavar="S")
    p.add_argument("--language", required=True, choices=("en", "fr", "es"))
    p.add_argument("--title", metavar="T")
    p.add_argument("--languages", metavar="L,L",
                   help="languages the document exists in (default: --language)")
    p.add_argument("--original-language", choices=("en", "fr", "es"))
    p.add_argument("--kind", help="discussion_note, report, agenda, annex, background, other")
    p.add_argument("--date", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    p.add_argument("--replace", action="store_true",
                   help="withdraw the document published under the same symbol and language")

    p = cmds.add_parser("withdraw-document", help="take a published document back")
    p.add_argument("id")

    p = cmds.add_parser("publish-template", help="publish a new template version (JSON file)")
    p.add_argument("file", type=Path)

    p = cmds.add_parser("list-submissions", help="what delegations sent: receipt, delegation, status")
    p.add_argument("--workshop", metavar="ID")
    p.add_argument("--status", choices=("received", "published", "returned", "withdrawn"))

    p = cmds.add_parser("add-delegation", help="add a member delegation (a row of the desk's status board)")
    p.add_argument("iso3", metavar="ISO3")

    cmds.add_parser("list-delegations", help="the member delegations")

    p = cmds.add_parser("return-submission",
                        help="return a received submission to its delegation for correction, with a note")
    p.add_argument("receipt_no")
    p.add_argument("--note", required=True, help="what to correct (the delegation's desktops show it)")

    p = cmds.add_parser("publish-submission", help="put a received submission in the public database")
    p.add_argument("receipt_no")

    p = cmds.add_parser("export-bundle", help="pack the changes since a cursor for a field office")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--delegation", metavar="ISO3", help="what this delegation's users may see")
    who.add_argument("--secretariat", action="store_true", help="everything")
    p.add_argument("--since", metavar="CURSOR", help="the field office's last cursor (default: everything)")
    p.add_argument("--server-url", metavar="URL",
                   help="the address clients sync with, so a bundle can move their cursor")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")

    cmds.add_parser("show-key", help="the fingerprint of the signing key, for delegates to check at sign-in")
    cmds.add_parser("rotate-key", help="make a new signing key; the old one stays listed to check "
                                       "what it signed (restart the service afterwards)")

    p = cmds.add_parser("migrate-blobs",
                        help="copy the blob folder into another store (S3), checking every hash")
    p.add_argument("--to", required=True, metavar="URL", help="s3://BUCKET?endpoint=URL")
    p.add_argument("--from", dest="source", metavar="DIR", type=Path,
                   help="the folder to copy (default: this service's blob folder)")

    p = cmds.add_parser("unpublish-submission", help="take a submission out of the public database")
    p.add_argument("receipt_no")
    p.add_argument("--reason", required=True)
    return parser


_SERVICE_LIBRARIES = ("fastapi", "uvicorn", "starlette", "multipart", "boto3")
"""What the ``server`` extra installs and the desktop alone does not."""


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except _Usage as err:
        print(f"idm-server: {err}", file=sys.stderr)
        return EXIT_USAGE
    missing = [name for name in _SERVICE_LIBRARIES if importlib.util.find_spec(name) is None]
    if missing:  # the desktop's own environment (.venv-app) has the command but not the service
        print("idm-server: the service's libraries are not installed in this environment (missing: "
              f"{', '.join(missing)}): use the development environment (scripts/bootstrap --dev, then "
              ".venv/bin/idm-server) or install idm-desktop[server].", file=sys.stderr)
        return 1
    from idm_desktop.server.errors import AdminError

    settings = Settings.from_env(home=args.home, database_url=args.database_url, blob_store=args.blob_store)
    try:
        if args.command == "run":
            return _run(settings, args)
        return _admin(settings, args)
    except AdminError as err:
        print(f"idm-server: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        # The environment's failures (database down, disk full) end here too: one line, and the
        # details in the log for whoever runs the service.
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(err, SQLAlchemyError | OSError):
            log.debug("failure", exc_info=True)
            print(f"idm-server: cannot use the database or files: {_first_line(err)}", file=sys.stderr)
            return EXIT_ERROR
        raise


def _first_line(err: BaseException) -> str:
    text = str(getattr(err, "orig", None) or err).strip().splitlines()
    return text[0] if text else type(err).__name__


def _run(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from idm_desktop.server.app import create_app
    from idm_desktop.server.context import ServerContext

    _configure_logging(args.log_level)
    ctx = ServerContext.open(settings)
    try:
        try:
            ctx.blobs.check()
        except OSError as err:
            from idm_desktop.server.errors import AdminError

            raise AdminError(f"Cannot use the blob store {ctx.blobs.describe()} ({err}): check its address "
                             "and credentials, then start again.") from None
        config = uvicorn.Config(
            create_app(ctx), host=args.host, port=args.port, log_config=None, access_log=False,
            timeout_graceful_shutdown=args.graceful_timeout, server_header=False,
            proxy_headers=settings.trust_forwarded_for,
        )
        uvicorn.Server(config).run()
    finally:
        ctx.close()
    return EXIT_OK


def _configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def _admin(settings: Settings, args: argparse.Namespace) -> int:
    from idm_desktop.server import accounts, publishing
    from idm_desktop.server.context import ServerContext

    if args.admin_command == "migrate-blobs":
        result = _migrate_blobs(settings, args)
        message = result.pop("message")
        print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else message)
        return EXIT_OK
    ctx = ServerContext.open(settings)
    try:
        result = _do(ctx, args, accounts, publishing)
    finally:
        ctx.close()
    message = result.pop("message")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(message)
    return EXIT_OK


def _do(ctx: Any, args: argparse.Namespace, accounts: Any, publishing: Any) -> dict[str, Any]:
    from sqlalchemy import select

    from idm_desktop.server import audit
    from idm_desktop.server.errors import AdminError
    from idm_desktop.server.models import User

    command = args.admin_command
    if command == "add-user":
        password = _read_password(args.password_stdin)
        if args.secretariat and args.role != ["secretariat"]:
            raise AdminError("--secretariat goes with --role secretariat.")
        with ctx.db.write() as session:
            user = accounts.add_user(session, args.name, password, args.role, args.delegation)
            audit.record(session, audit.COMMAND_LINE, "account.add", user.username, None,
                         {"role": user.role, "roles": user.roles, "delegation": user.delegation})
            who = user.delegation or "the secretariat"
            roles = accounts.user_roles(user)
            return {"message": f"Added {user.username} ({', '.join(roles)}, {who}).",
                    "user": user.username, "role": user.role, "roles": roles, "delegation": user.delegation}
    if command == "set-roles":
        with ctx.db.write() as session:
            before = session.scalars(select(User).where(User.username == args.name)).first()
            old_roles = accounts.user_roles(before) if before is not None else []
            user = accounts.set_roles(session, args.name, [args.roles])
            audit.record(session, audit.COMMAND_LINE, "account.set_roles", user.username,
                         {"roles": old_roles}, {"roles": accounts.user_roles(user)})
            roles = accounts.user_roles(user)
            return {"message": f"{user.username} is now {', '.join(roles)}.", "user": user.username,
                    "roles": roles, "delegation": user.delegation}
    if command == "set-delegation":
        with ctx.db.write() as session:
            row = accounts.set_delegation(session, args.iso3, args.clearance)
            audit.record(session, audit.COMMAND_LINE, "delegation.clearance", row.iso3, None,
                         {"clearance": row.clearance})
            return {"message": f"Delegation {row.iso3}: clearance {row.clearance}.", "iso3": row.iso3,
                    "clearance": row.clearance}
    if command == "list-users":
        with ctx.db.read() as session:
            users = [{"user": u.username, "role": u.role, "roles": accounts.user_roles(u),
                      "delegation": u.delegation, "disabled": u.disabled}
                     for u in session.scalars(select(User).order_by(User.username))]
        lines = [f"{u['user']:<24} {','.join(u['roles']):<20} {u['delegation'] or '-'}" for u in users]
        return {"message": "\n".join(lines) or "No users yet: add one with `idm-server admin add-user`.",
                "users": users}
    if command == "revoke-tokens":
        with ctx.db.write() as session:
            n = accounts.revoke_all(session, args.name)
            audit.record(session, audit.COMMAND_LINE, "account.revoke_tokens", args.name, None,
                         {"tokens_revoked": n})
        if n == 0:
            return {"message": f"{args.name} was signed in nowhere: no token to revoke.", "revoked": 0}
        tokens = f"{n} token" + ("" if n == 1 else "s")
        return {"message": f"Revoked {tokens} of {args.name}: signed out on every device.", "revoked": n}
    if command == "publish-document":
        doc = publishing.publish_document(
            ctx.db, ctx.blobs, args.file, workshop=args.workshop, symbol=args.symbol,
            language=args.language, title=args.title, original_language=args.original_language,
            languages=args.languages, kind=args.kind, date=args.date,
            max_bytes=ctx.settings.max_upload_bytes, replace=args.replace)
        pages = f"{doc.page_count} page" + ("" if doc.page_count == 1 else "s")
        return {"message": f"Published {doc.symbol} “{doc.title}” ({pages}) as {doc.id}.",
                "id": doc.id, "symbol": doc.symbol, "title": doc.title, "sha256": doc.sha256,
                "size": doc.size, "page_count": doc.page_count}
    if command == "withdraw-document":
        publishing.withdraw_document(ctx.db, args.id)
        return {"message": f"Withdrew document {args.id}.", "id": args.id}
    if command == "publish-template":
        key = publishing.publish_template(ctx.db, publishing.publishable_template(args.file))
        return {"message": f"Published template {key}.", "id": key}
    if command == "list-submissions":
        from idm_desktop.server.models import Submission

        stmt = select(Submission).where(Submission.receipt_no.is_not(None)).order_by(Submission.received_at)
        if args.workshop:
            stmt = stmt.where(Submission.workshop_id == args.workshop)
        if args.status:
            stmt = stmt.where(Submission.status == args.status)
        with ctx.db.read() as session:
            subs = [{"receipt_no": x.receipt_no, "id": x.id, "delegation": x.delegation,
                     "workshop": x.workshop_id, "language": x.language, "status": x.status,
                     "received_at": x.received_at.isoformat() if x.received_at else None, "title": x.title}
                    for x in session.scalars(stmt)]
        lines = [f"{x['receipt_no']:<16} {x['delegation']:<4} {x['status']:<10} {x['workshop']:<32} "
                 f"{x['title']}" for x in subs]
        return {"message": "\n".join(lines) or "Nothing has been received yet.", "submissions": subs}
    if command == "publish-submission":
        sub = publishing.publish_submission(ctx.db, args.receipt_no)
        return {"message": f"Published {args.receipt_no} ({sub.delegation}, {sub.title or sub.id}).",
                "receipt_no": args.receipt_no, "id": sub.id, "status": sub.status}
    if command == "export-bundle":
        from idm_desktop.core.countries import country
        from idm_desktop.core.errors import InvalidInputError
        from idm_desktop.server.bundles import export_changes

        delegation = None
        if args.delegation:
            try:
                delegation = country(args.delegation).alpha3
            except InvalidInputError as err:
                raise AdminError(str(err)) from None
        n, files = export_changes(ctx.db, ctx.blobs, ctx.keys, args.out, delegation=delegation,
                                  since=args.since, server_url=args.server_url)
        return {"message": f"Wrote {args.out}: {n} changes, {files} files.", "path": str(args.out),
                "changes": n, "files": files}
    if command in ("show-key", "rotate-key"):
        from idm_desktop.server import signing

        keys = [k.model_dump(mode="json") for k in ctx.keys.keys]
        if command == "show-key":
            current = ctx.keys.current.key_id
            return {"message": f"Signing key in service: {current}", "key_id": current, "keys": keys}
        old, new = signing.rotate(ctx.settings.home)
        return {"message": f"New signing key {new.key_id}; {old.key_id} is retired (kept to check what it "
                           "signed). Restart the service to sign with the new key.",
                "key_id": new.key_id, "retired": old.key_id}
    if command == "list-devices":
        with ctx.db.read() as session:
            devices = [{"fingerprint": d.id, "user": user, "name": d.name,
                        "created_at": d.created_at.isoformat(), "last_seen_at": d.last_seen_at.isoformat(),
                        "revoked": d.revoked_at is not None} for d, user in accounts.list_devices(session)]
        lines = [f"{d['fingerprint']}  {d['user']:<16} {d['name']:<20} last seen {d['last_seen_at'][:16]}"
                 + ("  REVOKED" if d["revoked"] else "") for d in devices]
        return {"message": "\n".join(lines) or "No device has signed in yet.", "devices": devices}
    if command == "revoke-device":
        with ctx.db.write() as session:
            device = accounts.revoke_device(session, args.fingerprint)
            audit.record(session, audit.COMMAND_LINE, "device.revoke", device.id, None, {"name": device.name})
            return {"message": f"Revoked device {device.id} ({device.name}): its bundles are refused and "
                               "it is signed out.", "fingerprint": device.id}
    if command == "add-delegation":
        from idm_desktop.server import delegations

        with ctx.db.write() as session:
            code = delegations.add(session, args.iso3, audit.COMMAND_LINE)
        return {"message": f"Added the delegation {code}.", "iso3": code}
    if command == "list-delegations":
        from idm_desktop.server import delegations

        with ctx.db.read() as session:
            members = [{"iso3": m.iso3, "active": m.active, "created_at": m.created_at.isoformat()}
                       for m in delegations.members(session)]
        lines = [f"{m['iso3']}  {'member' if m['active'] else 'off the board'}" for m in members]
        empty = "No delegation yet: add one with `idm-server admin add-delegation`."
        return {"message": "\n".join(lines) or empty, "delegations": members}
    if command == "return-submission":
        sub = publishing.return_submission(ctx.db, args.receipt_no, args.note)
        return {"message": f"Returned {args.receipt_no} to {sub.delegation} for correction.",
                "receipt_no": args.receipt_no, "id": sub.id, "status": sub.status}
    if command == "unpublish-submission":
        sub = publishing.unpublish_submission(ctx.db, args.receipt_no, args.reason)
        return {"message": f"Unpublished {args.receipt_no}: {args.reason}",
                "receipt_no": args.receipt_no, "id": sub.id, "status": sub.status}
    raise AssertionError(command)


def _migrate_blobs(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    """Copy a folder store into another store (no database needed: blobs are named by their hash)."""
    from idm_desktop.server.blobs import FilesystemBlobStore, MigrationError, migrate
    from idm_desktop.server.errors import AdminError
    from idm_desktop.server.stores import open_store

    folder = settings.blob_store if "://" not in settings.blob_store else ""
    source_dir = args.source or (Path(folder) if folder else settings.effective_blob_dir)
    if not source_dir.is_dir():
        raise AdminError(f"No blob folder at {source_dir}: give it with --from DIR.")
    try:
        target = open_store(args.to, settings.effective_blob_dir)
        target.check()
        copied, present = migrate(FilesystemBlobStore(source_dir), target)
    except ValueError as err:
        raise AdminError(f"{err}.") from None
    except MigrationError as err:
        raise AdminError(f"{err}; nothing after it was copied. Restore that file, then run this "
                         "again.") from None
    total = copied + present
    return {"message": f"Copied {copied} of {total} files to {target.describe()} ({present} were there); "
                       "every hash checked. Now start the service with --blob-store pointing there.",
            "copied": copied, "present": present, "checked": total, "to": target.describe()}


def _read_password(from_stdin: bool) -> str:
    from idm_desktop.server.errors import AdminError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AdminError("No terminal to ask for the password: pipe it in with --password-stdin.")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise AdminError("The two passwords differ; nothing was changed.")
    return first
