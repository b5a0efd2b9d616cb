"""The submission commands of ``idm-desktop``: submission new/list/edit/show/history/restore/check, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from idm_desktop.app import DesktopApp
from idm_desktop.cli import output as out
from idm_desktop.core.countries import country
from idm_desktop.core.errors import CheckFailedError, InvalidInputError, UsageError
from idm_desktop.core.formatting import decimal
from idm_desktop.core.i18n import _, count, plural
from idm_desktop.core.languages import language_name
from idm_desktop.core.merge import TITLE_KEY
from idm_desktop.core.quotes import typographic, typographic_markdown
from idm_desktop.core.submissions import HistoryEntry, SubmissionStatus, state_label, status_label
from idm_desktop.core.text import display_width, pad, word_count
from idm_desktop.core.word_draft import NOT_PLACED_KEY

MAX_TEXT_FILE = 5 * 1024 * 1024


def new_arguments(new: argparse.ArgumentParser) -> None:
    new.add_argument("--workshop", required=True, metavar="ID",
                     help=_("the workshop it is for (its id, as “idm-desktop workshops” lists it)"))
    new.add_argument("--country", required=True, metavar="ISO3",
                     help=_("your country's three-letter ISO code (MEX, FRA…)"))
    new.add_argument("--language", required=True, metavar="L",
                     help=_("the language you write it in: en, fr or es"))
    new.add_argument("--title", metavar="T", help=_("its title"))


def list_arguments(slist: argparse.ArgumentParser) -> None:
    slist.add_argument("--workshop", metavar="ID", help=_("only the submissions for this workshop"))


def edit_arguments(edit: argparse.ArgumentParser) -> None:
    out.submission_id_argument(edit)
    edit.add_argument("section", metavar="SECTION_KEY",
                      help=_("the section's key, as “submission show” lists them"))
    source = edit.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", metavar="T", help=_("the section's new text"))
    source.add_argument("--file", metavar="F", help=_("read the text from a UTF-8 file ('-' for stdin)"))


def restore_arguments(restore: argparse.ArgumentParser) -> None:
    out.submission_id_argument(restore)
    restore.add_argument("seq", type=int, metavar="SEQ", nargs="?",
                         help=_("the version's seq, from “submission history --json”"))
    restore.add_argument("--version", type=int, metavar="N",
                         help=_("the version's number as “submission history” shows it"))


def import_docx_arguments(p: argparse.ArgumentParser) -> None:
    out.submission_id_argument(p)
    p.add_argument("file", metavar="FILE", help=_("the Word file (.docx) to take the text from"))


def cmd_sub_import_docx(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    from idm_desktop.app.word_import import apply_word_draft, preview_word_draft, tables_note

    preview = preview_word_draft(app, args.id, Path(args.file))
    before = app.submission(args.id)
    replaced = {s.key: word_count(before.text_of(s.key)) for s in preview.sections}
    sub = apply_word_draft(app, preview)
    payload = {
        "id": sub.id,
        "file": preview.filename,
        "sections": [
            {"key": s.key, "title": s.title, "words": s.words, "headings": list(s.headings),
             "replaced_words": replaced[s.key]}
            for s in preview.sections
        ],
        "not_placed": {
            "key": NOT_PLACED_KEY,
            "words": preview.not_placed_words,
            "headings": list(preview.not_placed_headings),
        },
        "tables": preview.tables,
        "title": preview.title,
    }

    def text() -> str:
        lines = [_("Imported “{file}” into {id}:").format(file=preview.filename, id=sub.id[:8])]
        if preview.title:
            lines.append("  " + _("title: {title} (the draft’s Title paragraph)").format(title=preview.title))
        for s in preview.sections:
            words = plural("{n} word", "{n} words", s.words)
            line = f"  {s.key:<18} {words:>10}  {s.title}"
            if replaced[s.key]:  # what was there is in the history: say how much it was
                line += " " + plural("(replaces {n} word)", "(replaces {n} words)", replaced[s.key])
            lines.append(line)
        lines.append(_("What each section held before is in the history: submission history {id}")
                     .format(id=sub.id[:8]))
        if preview.not_placed:
            words = plural("{n} word", "{n} words", preview.not_placed_words)
            lines.append(f"  {NOT_PLACED_KEY:<18} {words:>10}  " + _(
                "not placed: move it into the sections (the editor shows it below them)"))
        if preview.tables:
            lines.append(tables_note(preview))
        return "\n".join(lines)

    out.emit(args, payload, text)
    return 0


def export_arguments(export: argparse.ArgumentParser) -> None:
    out.submission_id_argument(export)
    export.add_argument("--format", required=True, choices=("pdf", "docx"), help=_("PDF, or Word (DOCX)"))
    export.add_argument("--out", required=True, metavar="PATH", help=_("the file to write"))
    export.add_argument("--no-comments", action="store_true",
                        help=_("a DOCX without the review's open comments (a sent text never has them)"))


def cmd_sub_new(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    # Typed here as in the editor: straight quotes and apostrophes become the language's.
    title = typographic(args.title, args.language) if args.title is not None else None
    sub = app.new_submission(args.workshop, args.country, args.language, title)
    out.emit(args, {"submission": out.submission_json(sub)}, sub.id)
    return 0


def cmd_sub_list(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    if args.workshop:
        app.workshop(args.workshop)
    subs = app.submissions(args.workshop)
    returned = app.clearance.returned_ids()

    def text() -> str:
        if not subs and args.workshop:
            return _("No submissions for this workshop yet: start one with "
                     "“idm-desktop submission new --workshop {id}”.").format(id=args.workshop)
        if not subs:
            return _("No submissions yet: start one with “idm-desktop submission new”.")
        states = [state_label(s.status, returned=s.id in returned) for s in subs]
        wide = max(display_width(state) for state in states)
        return "\n".join(
            f"{s.id[:8]}  {s.workshop_id:<24} {s.country} {s.language}  "
            f"{pad(state, wide)} {s.title}"
            for s, state in zip(subs, states, strict=True)
        )

    out.emit(args, {"submissions": [out.submission_json(s) for s in subs]}, text)
    return 0


def read_text_arg(args: argparse.Namespace) -> str:
    """The text given with ``--text``, or read from the UTF-8 file (or stdin) given with ``--file``."""
    if args.text is not None:
        return str(args.text)
    if args.file == "-":
        return sys.stdin.read()
    path = Path(args.file)
    try:
        if path.stat().st_size > MAX_TEXT_FILE:
            raise InvalidInputError(_("“{file}” is larger than 5 MB; a section is a few paragraphs.")
                                    .format(file=path))
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(_("“{file}” is not UTF-8 text: save it as UTF-8 and try again.")
                                .format(file=path)) from exc
    except OSError as exc:
        raise InvalidInputError(_("Cannot read “{file}”: {reason}.")
                                .format(file=path, reason=exc.strerror)) from exc


def cmd_sub_edit(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    value = read_text_arg(args)
    lang_of_text = app.submission(args.id).language  # marks typed here as in the editor
    if args.section == "title":
        sub = app.edit(args.id, title=typographic(value.strip(), lang_of_text))
        done = _("saved the title of {id}").format(id=sub.id)
    else:
        sub = app.edit(args.id, sections={args.section: typographic_markdown(value, lang_of_text)})
        done = _("saved “{section}” of {id}").format(
            section=app.template_of(sub).section_title(args.section, sub.language), id=sub.id)
    out.emit(args, {"submission": out.submission_json(sub)}, done)
    return 0


def _language(code: str, lang: str) -> str:
    """"español" rather than "es" (a code CLDR does not know is shown as it is)."""
    try:
        return language_name(code, lang)
    except KeyError:
        return code


def cmd_sub_show(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    sub = app.submission(args.id)
    template = app.template_of(sub)
    workshop = app.workshop(sub.workshop_id)
    # Both sides of every conflicting section, so the choice of `resolve --mine/--theirs` is an
    # informed one from the command line too.
    conflicts = {c.key: c for c in app.sync.conflicts(sub.id)}
    clearance = app.clearance.clearance(sub.id)

    def conflict_lines(key: str) -> list[str]:
        c = conflicts.get(key)
        if c is None:
            return []
        return [
            "  " + _("⚠ Conflict: this section was also changed on another computer. Settle it with "
                     "“idm-desktop submission resolve {id} {key} --mine|--theirs|--text T”.").format(
                         id=sub.id[:8], key="title" if key == TITLE_KEY else key),
            "  --- " + _("yours (kept until you choose)"), _indent(c.mine),
            "  --- " + _("the server's (revision {rev})").format(rev=c.theirs_rev), _indent(c.theirs),
            "  --- " + _("the text you both started from"), _indent(c.base),
        ]

    def text() -> str:
        lines = [
            sub.title,
            f"{workshop.title_in(lang)} — {country(sub.country).name(lang)} — "
            f"{_language(sub.language, lang)} — {status_label(sub.status)}",
            _("Id: {id}").format(id=sub.id),
            plural("{n} word", "{n} words", sub.words),
            *out.clearance_lines(clearance, lang),
            *out.receipt_lines(sub, lang),
            *conflict_lines(TITLE_KEY),
        ]
        newer = app.newer_template(sub)
        if newer is not None:
            lines.append(_("A newer template is offered: {template} version {version} (“idm-desktop "
                           "submission move-template {id}”).").format(
                               template=newer.id, version=newer.version, id=sub.id[:8]))
        if sub.status is SubmissionStatus.RETURNED:
            lines += [
                _("The secretariat returned it for correction: “{note}”").format(note=sub.return_note or ""),
                _("Prepare a correction with “idm-desktop submission correct {id}”.").format(id=sub.id[:8]),
            ]
        for section in template.sections:
            body = sub.text_of(section.key).strip()
            mark = "" if body or not section.required else "  " + _("(required, empty)")
            lines.append(f"\n## {section.title_in(sub.language)} [{section.key}]{mark}")
            if body and section.key not in conflicts:
                lines.append(body)
            lines += conflict_lines(section.key)
        for key, body in sub.body.items():
            if key not in (*template.keys, NOT_PLACED_KEY) and body.strip():
                lines.append("\n## " + _("Kept from the earlier template [{key}]").format(key=key))
                lines.append(body.strip())
        waiting = sub.text_of(NOT_PLACED_KEY).strip()
        if waiting:
            lines.append("\n## " + _("Text not placed (imported from Word; move it into the "
                                      "sections)") + f" [{NOT_PLACED_KEY}]")
            lines.append(waiting)
        return "\n".join(lines)

    payload = {"submission": out.submission_json(sub, template)}
    payload["submission"]["conflicts"] = [
        {"section": "title" if c.key == TITLE_KEY else c.key, "mine": c.mine, "theirs": c.theirs,
         "base": c.base, "theirs_rev": c.theirs_rev} for c in conflicts.values()]
    payload["submission"]["kept"] = [{"key": key, "text": body} for key, body in sub.body.items()
                                     if key not in (*template.keys, NOT_PLACED_KEY) and body.strip()]
    newer = app.newer_template(sub)
    payload["submission"]["newer_template"] = (None if newer is None else
                                               {"id": newer.id, "version": newer.version})
    payload["submission"]["clearance"] = out.clearance_json(clearance)
    out.emit(args, payload, text)
    return 0


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in (text.strip() or _("(empty)")).splitlines())


def cmd_sub_history(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    from idm_desktop.core.history import describe, group_history

    entries = app.history(args.id)
    # Each version says which editing session (entry of the readable history) it belongs to:
    # the number of that session's first version.
    session = {e.seq: g.first.version for g in group_history(entries) for e in g.entries}

    def line(e: HistoryEntry) -> str:
        named = f"  “{e.name}”" if e.name else ""
        return (f"{e.version:>5}  {out.local_time(e.at, lang):<20} {describe(e):<24} {e.author:<14} "
                + plural("{n} word", "{n} words", out.history_json(e)["words"]) + named)

    out.emit(args, {"history": [out.history_json(e, session[e.seq]) for e in entries]},
             lambda: "\n".join(line(e) for e in entries))
    return 0


def move_template_arguments(p: argparse.ArgumentParser) -> None:
    out.submission_id_argument(p)
    p.add_argument("--version", type=int, metavar="N",
                   help=_("a version of its own template (default: the one offered)"))


def cmd_sub_move_template(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    sub = app.move_to_template(args.id, args.version)
    template = app.template_of(sub)
    kept = [key for key in sub.body if key not in (*template.keys, NOT_PLACED_KEY)]
    text = _("{id} is now on template {template} version {version}.").format(
        id=sub.id, template=template.id, version=template.version)
    if kept:
        text += "\n" + _("Kept apart (no section of this template): {keys}").format(keys=", ".join(kept))
    out.emit(args, {"submission": out.submission_json(sub, template)}, text)
    return 0


def cmd_sub_correct(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    sub = app.prepare_correction(args.id)
    out.emit(args, {"submission": out.submission_json(sub)}, sub.id)
    return 0


def cmd_sub_restore(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    if (args.seq is None) == (args.version is None):
        raise UsageError(_("Give the version to restore: its number as “submission history” "
                           "shows it (--version N), or its seq from the --json output."))
    seq = args.seq if args.seq is not None else app.version_seq(args.id, args.version)
    sub = app.restore(args.id, seq)
    number = args.version if args.version is not None else next(
        (e.version for e in app.history(args.id) if e.seq == seq), seq)
    out.emit(args, {"submission": out.submission_json(sub)},
             _("restored version {seq} of {id}").format(seq=number, id=sub.id))
    return 0


def cmd_sub_delete(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    draft = app.delete_draft(args.id).submission
    out.emit(args, {"deleted": {"id": draft.id, "title": draft.title}},
             _("deleted the draft {id}").format(id=draft.id))
    return 0


def name_arguments(name: argparse.ArgumentParser) -> None:
    out.submission_id_argument(name)
    name.add_argument("version", type=int, metavar="VERSION",
                      help=_("the version's number as “submission history” shows it"))
    name.add_argument("name", metavar="NAME", help=_("the name; \"\" removes it"))


def cmd_sub_name_version(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    entry = app.name_version(args.id, app.version_seq(args.id, args.version), args.name)
    message = (_("version {n} is named “{name}”").format(n=entry.version, name=entry.name)
               if entry.name else _("version {n} has no name now").format(n=entry.version))
    out.emit(args, {"version": out.history_json(entry)}, message)
    return 0


def cmd_sub_check(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    from idm_desktop.core.validation import Severity

    report = app.check(args.id)

    def text() -> str:
        lines = [_("{pages} of {min}–{max} pages, {words} words").format(
            pages=decimal(report.extent, lang), min=report.min_pages, max=report.max_pages,
            words=count(report.words))]
        for p in report.problems:
            line = _("error: {message}") if p.severity is Severity.ERROR else _("warning: {message}")
            lines.append(line.format(message=p.message))
        if report.ok:
            lines.append(_("Ready to submit.") if not report.warnings
                         else _("No errors; read the warnings before submitting."))
        return "\n".join(lines)

    out.emit(args, {"check": out.check_json(report)}, text)
    if not report.ok:
        # The report is already printed; the exit code says "check failed".
        raise CheckFailedError(plural("{n} problem must be fixed before submitting.",
                                      "{n} problems must be fixed before submitting.", len(report.errors)))
    return 0


def cmd_export(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    target = Path(args.out)
    if target.is_dir():
        raise UsageError(_("--out must name a file, not the folder {path}.").format(path=target))
    pages = app.export(args.id, args.format, target, comments=not args.no_comments)
    left_out = word_count(app.submission(args.id).text_of(NOT_PLACED_KEY))
    payload = {"export": {"path": str(target.resolve()), "format": args.format, "pages": pages,
                          "not_placed_words": left_out}}
    msg = (plural("wrote {path} ({n} page)", "wrote {path} ({n} pages)", pages, path=target)
           if pages is not None else _("wrote {path}").format(path=target))
    if left_out:
        msg += "\n" + plural(
            "{n} word imported from Word is not placed in a section, and is not in the file.",
            "{n} words imported from Word are not placed in a section, and are not in the file.", left_out)
    out.emit(args, payload, msg)
    return 0
