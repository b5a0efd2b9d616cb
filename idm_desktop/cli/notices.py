"""`notices`: the secretariat's notices pulled by sync, and the deadline reminders worked out here."""

from __future__ import annotations

import argparse

from idm_desktop.app import DesktopApp
from idm_desktop.cli import output as out
from idm_desktop.core.i18n import _, plural
from idm_desktop.core.notices import Notice, Reminder, reminder_text


def list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--all", action="store_true", help=_("the notices already read too"))


def read_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID", nargs="?", help=_("one notice (default: all of them)"))


def notice_json(n: Notice) -> dict[str, object]:
    return {"id": n.id, "workshop_id": n.workshop_id, "text": dict(n.text),
            "created_at": out.iso(n.created_at), "read": n.read}


def reminder_json(r: Reminder) -> dict[str, object]:
    return {"workshop_id": r.workshop_id, "days": r.days, "days_left": r.days_left, "deadline": out.iso(r.at)}


def cmd_notices(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    found = app.notices(unread_only=not args.all)
    due = app.reminders()
    titles = {w.id: w.title_in(lang) for w in app.workshops()}

    def text() -> str:
        lines = [reminder_text(r, titles.get(r.workshop_id, r.workshop_id), lang) for r in due]
        for n in found:
            about = titles.get(n.workshop_id, n.workshop_id) if n.workshop_id else _("everyone")
            mark = "" if not n.read else " " + _("(read)")
            lines.append(f"{n.id[:8]}  [{about}]{mark} {n.text_in(lang)}")
        return "\n".join(lines) or _("No notice.")

    out.emit(args, {"notices": [notice_json(n) for n in found], "reminders": [reminder_json(r) for r in due]},
             text)
    return 0


def cmd_notices_read(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    n = app.mark_notices_read(args.id)
    out.emit(args, {"read": n}, plural("{n} notice marked as read.", "{n} notices marked as read.", n))
    return 0
