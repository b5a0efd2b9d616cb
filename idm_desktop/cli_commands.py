"""The sub-commands of ``idm-desktop``: each reads its arguments, calls the app, prints."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from idm_desktop import cli_output as out
from idm_desktop.app import DesktopApp, ImportOptions, ImportResult
from idm_desktop.config.paths import resolve_paths
from idm_desktop.core.countries import country
from idm_desktop.core.documents import DocumentKind
from idm_desktop.core.errors import CheckFailedError, InvalidInputError, UsageError
from idm_desktop.core.formatting import city_label, countdown, event_dates, long_date
from idm_desktop.core.formatting import status_label as event_status_label
from idm_desktop.core.i18n import _, ngettext
from idm_desktop.core.search_results import HL_END, HL_START
from idm_desktop.core.submissions import status_label
from idm_desktop.core.text import pick
from idm_desktop.core.validation import Severity

Emit = Callable[[argparse.Namespace, dict[str, Any], Any], None]

MAX_TEXT_FILE = 5 * 1024 * 1024


def log_folder(args: argparse.Namespace) -> Path:
    return resolve_paths(getattr(args, "home", None)).logs


def run(args: argparse.Namespace, lang: str, emit: Emit,
        setup_logging: Callable[[Path], None]) -> int:
    paths = resolve_paths(getattr(args, "home", None))
    setup_logging(paths.logs)
    if args.command is None:
        return open_window(args, lang, emit)
    app = DesktopApp.open(paths.home)
    try:
        handler = _HANDLERS[(args.command, _subcommand(args))]
        return handler(app, args, lang, emit)
    finally:
        app.close()


def _subcommand(args: argparse.Namespace) -> str | None:
    name = {"docs": "docs_command", "submission": "sub_command", "bundle": "bundle_command"}.get(args.command)
    if name is None:
        return None
    value = getattr(args, name, None)
    if value is None:
        raise UsageError(_("{command} needs a sub-command: see idm-desktop {command} --help")
                         .format(command=args.command))
    return str(value)


def open_window(args: argparse.Namespace, lang: str, emit: Emit) -> int:
    """No sub-command: open the desktop window on the library."""
    from idm_desktop.ui.run import run_window

    # The library opens on the window's storage worker: the window is up at once.
    app = DesktopApp.open(getattr(args, "home", None), lazy=True)
    try:
        return run_window(app, lang)
    finally:
        app.close()


# -- workshops ----------------------------------------------------------------------------------

def cmd_workshops(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    now = app.clock()
    workshops = app.workshops()

    def text() -> str:
        lines: list[str] = []
        programme = None
        for w in workshops:
            heading = pick(w.programme, lang) or str(w.year)
            if heading != programme:
                programme = heading
                title = _("IDM {year} — {programme}").format(year=w.year, programme=heading)
                lines.append(("\n" if lines else "") + title)
            place = w.city or ""
            lines.append(f"  {w.id:<38} {event_dates(w, lang):<16} {city_label(place):<10} "
                         f"{event_status_label(w.status):<11} {w.title_in(lang)}")
            if w.deadline:
                lines.append("  " + " " * 38 + " " + _("submissions due {date} ({relative})").format(
                    date=long_date(w.deadline.date, lang),
                    relative=countdown(w.deadline, now, lang)))
        return "\n".join(lines)

    emit(args, {"workshops": [out.workshop_json(w, lang, now) for w in workshops]}, text)
    return 0


# -- documents ----------------------------------------------------------------------------------

def cmd_docs_import(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    files = [Path(f) for f in args.files]
    options = ImportOptions(
        workshop_id=args.workshop, symbol=args.symbol, language=args.language, title=args.title,
        kind=DocumentKind(args.kind) if args.kind else None,
        available=tuple(x for x in (args.available or "").split(",") if x.strip()),
    )
    show_bar = not getattr(args, "json", False) and sys.stderr.isatty() and len(files) > 1
    bar: Any = None
    if show_bar:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit=_("file"), file=sys.stderr)

    def progress(result: ImportResult) -> None:
        if bar is not None:
            bar.update(1)

    try:
        results = app.import_documents(files, options, progress)
    finally:
        if bar is not None:
            bar.close()
    imported = [r for r in results if r.document]
    duplicates = [r for r in results if r.duplicate_of]
    errors = [r for r in results if r.error]

    def text() -> str:
        lines = []
        for r in imported:
            assert r.document is not None
            lines.append(_("imported {file} as {symbol} ({id})").format(
                file=r.path.name, symbol=r.document.symbol, id=r.document.id))
        for r in duplicates:
            assert r.duplicate_of is not None
            lines.append(_("skipped {file}: already in the library as {symbol} ({id})").format(
                file=r.path.name, symbol=r.duplicate_of.symbol, id=r.duplicate_of.id))
        return "\n".join(lines)

    emit(args, {
        "imported": [dict(out.document_json(r.document), path=str(r.path))
                     for r in imported if r.document],
        "duplicates": [{"path": str(r.path), "document": out.document_json(r.duplicate_of)}
                       for r in duplicates if r.duplicate_of],
        "errors": [{"path": str(r.path), "message": r.error} for r in errors],
    }, text)
    for r in errors:
        sys.stderr.write(f"idm-desktop: {r.error}\n")
    return 1 if errors else 0


def cmd_docs_list(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    if args.workshop:
        app.workshop(args.workshop)
    docs = app.documents(args.workshop)

    def text() -> str:
        if not docs:
            return _("The library has no documents yet: add some with “idm-desktop docs import FILE”.")
        return "\n".join(
            f"{d.id[:8]}  {d.symbol:<22} {d.language}  {d.page_count:>3} p.  {d.title}"
            + ("  " + _("[English only]") if d.english_only else "")
            for d in docs
        )

    emit(args, {"documents": [out.document_json(d) for d in docs]}, text)
    return 0


def cmd_docs_show(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    doc = app.document(args.id)
    body = app.document_text(doc.id) if args.text else None
    payload: dict[str, Any] = {"document": out.document_json(doc)}
    if body is not None:
        payload["text"] = body

    def text() -> str:
        if body is not None:
            return body
        rows = [
            (_("Symbol"), doc.symbol), (_("Title"), doc.title), (_("Id"), doc.id),
            (_("Workshop"), doc.workshop_id or "—"), (_("Kind"), doc.kind.value),
            (_("Language"), doc.language), (_("Pages"), str(doc.page_count)),
            (_("File"), f"{doc.filename} ({doc.mime}, {doc.size} B)"),
            (_("Imported"), out.local_time(doc.imported_at, lang)),
        ]
        return "\n".join(f"{k + ':':<12} {v}" for k, v in rows)

    emit(args, payload, text)
    return 0


def cmd_search(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    hits = app.search(args.query, args.limit)
    tty = sys.stdout.isatty()

    def text() -> str:
        if not hits:
            return _("Nothing found for “{query}”.").format(query=args.query)
        lines = []
        for h in hits:
            start, end = ("\x1b[1m", "\x1b[0m") if tty else ("[", "]")
            snippet = h.snippet.replace(HL_START, start).replace(HL_END, end).replace("\n", " ")
            label = h.symbol if h.kind.value == "document" else _("submission")
            lines.append(f"{h.id[:8]}  {label} — {h.title}\n          {snippet}")
        return "\n".join(lines)

    emit(args, {"query": args.query, "results": [out.hit_json(h) for h in hits]}, text)
    return 0


# -- submissions --------------------------------------------------------------------------------

def cmd_sub_new(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    sub = app.new_submission(args.workshop, args.country, args.language, args.title)
    emit(args, {"submission": out.submission_json(sub)}, sub.id)
    return 0


def cmd_sub_list(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    if args.workshop:
        app.workshop(args.workshop)
    subs = app.submissions(args.workshop)

    def text() -> str:
        if not subs:
            return _("No submissions yet: start one with “idm-desktop submission new”.")
        return "\n".join(
            f"{s.id[:8]}  {s.workshop_id:<24} {s.country} {s.language}  "
            f"{status_label(s.status):<10} {s.title}"
            for s in subs
        )

    emit(args, {"submissions": [out.submission_json(s) for s in subs]}, text)
    return 0


def read_text_arg(args: argparse.Namespace) -> str:
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


def cmd_sub_edit(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    value = read_text_arg(args)
    if args.section == "title":
        sub = app.edit(args.id, title=value.strip())
    else:
        sub = app.edit(args.id, sections={args.section: value})
    emit(args, {"submission": out.submission_json(sub)},
         _("saved {section} of {id}").format(section=args.section, id=sub.id))
    return 0


def cmd_sub_show(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    sub = app.submission(args.id)
    template = app.template_of(sub)
    workshop = app.workshop(sub.workshop_id)

    def text() -> str:
        lines = [
            sub.title,
            f"{workshop.title_in(lang)} — {country(sub.country).name(lang)} — "
            f"{sub.language} — {status_label(sub.status)}",
            _("Id: {id}").format(id=sub.id),
            ngettext("{n} word", "{n} words", sub.words).format(n=sub.words),
        ]
        for section in template.sections:
            body = sub.text_of(section.key).strip()
            mark = "" if body or not section.required else "  " + _("(required, empty)")
            lines.append(f"\n## {section.title_in(sub.language)} [{section.key}]{mark}")
            if body:
                lines.append(body)
        return "\n".join(lines)

    emit(args, {"submission": out.submission_json(sub, template)}, text)
    return 0


def cmd_sub_history(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    entries = app.history(args.id)

    def text() -> str:
        return "\n".join(
            f"{e.seq:>5}  {out.local_time(e.at, lang):<20} {e.reason.value:<8} {e.author:<14} "
            + ngettext("{n} word", "{n} words", out.history_json(e)["words"]).format(
                n=out.history_json(e)["words"])
            for e in entries
        )

    emit(args, {"history": [out.history_json(e) for e in entries]}, text)
    return 0


def cmd_sub_restore(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    sub = app.restore(args.id, args.seq)
    emit(args, {"submission": out.submission_json(sub)},
         _("restored version {seq} of {id}").format(seq=args.seq, id=sub.id))
    return 0


def cmd_sub_check(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    report = app.check(args.id)

    def text() -> str:
        lines = [_("{pages} of {min}–{max} pages, {words} words").format(
            pages=report.page_count, min=report.min_pages, max=report.max_pages, words=report.words)]
        for p in report.problems:
            line = _("error: {message}") if p.severity is Severity.ERROR else _("warning: {message}")
            lines.append(line.format(message=p.message))
        if report.ok:
            lines.append(_("Ready to submit.") if not report.warnings
                         else _("No errors; read the warnings before submitting."))
        return "\n".join(lines)

    emit(args, {"check": out.check_json(report)}, text)
    if not report.ok:
        # The report is already printed; the exit code says "check failed".
        raise CheckFailedError(ngettext("{n} problem must be fixed before submitting.",
                                        "{n} problems must be fixed before submitting.",
                                        len(report.errors)).format(n=len(report.errors)))
    return 0


def cmd_export(app: DesktopApp, args: argparse.Namespace, lang: str, emit: Emit) -> int:
    target = Path(args.out)
    if target.is_dir():
        raise UsageError(_("--out must name a file, not the folder {path}.").format(path=target))
    pages = app.export(args.id, args.format, target)
    payload = {"export": {"path": str(target.resolve()), "format": args.format, "pages": pages}}
    msg = (ngettext("wrote {path} ({n} page)", "wrote {path} ({n} pages)", pages).format(
        path=target, n=pages) if pages is not None else _("wrote {path}").format(path=target))
    emit(args, payload, msg)
    return 0


Handler = Callable[[DesktopApp, argparse.Namespace, str, Emit], int]

_HANDLERS: dict[tuple[str, str | None], Handler] = {
    ("workshops", None): cmd_workshops,
    ("docs", "import"): cmd_docs_import,
    ("docs", "list"): cmd_docs_list,
    ("docs", "show"): cmd_docs_show,
    ("search", None): cmd_search,
    ("submission", "new"): cmd_sub_new,
    ("submission", "list"): cmd_sub_list,
    ("submission", "edit"): cmd_sub_edit,
    ("submission", "show"): cmd_sub_show,
    ("submission", "history"): cmd_sub_history,
    ("submission", "restore"): cmd_sub_restore,
    ("submission", "check"): cmd_sub_check,
    ("export", None): cmd_export,
}


def _sync_handlers() -> dict[tuple[str, str | None], Handler]:
    from idm_desktop.cli_sync import HANDLERS

    return dict(HANDLERS)


_HANDLERS.update(_sync_handlers())
