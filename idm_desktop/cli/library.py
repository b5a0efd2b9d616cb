"""The library's commands of ``idm-desktop``: workshops, docs import/list/show/edit, search."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from idm_desktop.cli import output as out
from idm_desktop.core.documents import Document, DocumentKind, kind_label
from idm_desktop.core.i18n import _, plural
from idm_desktop.core.languages import language_name
from idm_desktop.core.search_results import HL_END, HL_START
from idm_desktop.core.text import pick

if TYPE_CHECKING:
    from idm_desktop.app import DesktopApp, ImportResult


def import_arguments(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("files", nargs="+", metavar="FILE",
                     help=_("the files to add (PDF, Word .docx, text or Markdown)"))
    imp.add_argument("--workshop", metavar="ID",
                     help=_("the workshop they belong to (its id, as “idm-desktop workshops” lists it)"))
    imp.add_argument("--symbol", metavar="S",
                     help=_("the document's symbol, such as IC/2006/4 (default: read from the file's name)"))
    imp.add_argument("--language", metavar="L",
                     help=_("its language: en, fr or es (default: from the file's name or its text)"))
    imp.add_argument("--title", metavar="T", help=_("its title (default: read from the file)"))
    imp.add_argument("--kind", choices=[k.value for k in DocumentKind], help=_("what kind of document it is"))
    imp.add_argument("--available", metavar="LANGS",
                     help=_("languages the document is published in, e.g. “en” for English only, "
                            "or “en,fr,es”"))


def list_arguments(lst: argparse.ArgumentParser) -> None:
    lst.add_argument("--workshop", metavar="ID", help=_("only the documents of this workshop"))


def show_arguments(show: argparse.ArgumentParser) -> None:
    show.add_argument("id", metavar="ID", help=_("the document's id, a unique prefix of it, or its symbol"))
    show.add_argument("--text", action="store_true", help=_("print the extracted text"))


def edit_arguments(edit: argparse.ArgumentParser) -> None:
    edit.add_argument("id", metavar="ID", help=_("the document's id, a unique prefix of it, or its symbol"))
    edit.add_argument("--title", metavar="T", help=_("its new title"))
    where = edit.add_mutually_exclusive_group()
    where.add_argument("--workshop", metavar="ID", help=_("the workshop it belongs to"))
    where.add_argument("--no-workshop", action="store_true", help=_("belongs to no workshop"))
    edit.add_argument("--kind", choices=[k.value for k in DocumentKind],
                      help=_("what kind of document it is"))
    edit.add_argument("--available", metavar="LANGS",
                      help=_("languages the document is published in, e.g. “en” for English only, "
                             "or “en,fr,es”; “” for not known"))


def search_arguments(search: argparse.ArgumentParser) -> None:
    search.add_argument("query", metavar="QUERY",
                        help=_("the words to look for (\"a phrase\", prefix*, -word to leave out)"))
    search.add_argument("--limit", type=int, default=10, metavar="N",
                        help=_("how many results at most (default: 10)"))


def cmd_workshops(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    from idm_desktop.core.formatting import city_label, countdown, deadline_day, event_dates
    from idm_desktop.core.formatting import status_label as event_status_label

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
                         f"{event_status_label(w.status_on(now.date())):<11} {w.title_in(lang)}")
            if w.deadline:
                lines.append("  " + " " * 38 + " " + _("submissions due {date} ({relative})").format(
                    date=deadline_day(w.deadline, lang),
                    relative=countdown(w.deadline, now, lang)))
        return "\n".join(lines)

    out.emit(args, lambda: {"workshops": [out.workshop_json(w, lang, now) for w in workshops]}, text)
    return 0


def cmd_docs_import(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    from idm_desktop.app import ImportOptions

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

    out.emit(args, {
        "imported": [dict(out.document_json(r.document), path=str(r.path))
                     for r in imported if r.document],
        "duplicates": [{"path": str(r.path), "document": out.document_json(r.duplicate_of)}
                       for r in duplicates if r.duplicate_of],
        "errors": [{"path": str(r.path), "message": r.error} for r in errors],
    }, text)
    for r in errors:
        sys.stderr.write(f"idm-desktop: {r.error}\n")
    return 1 if errors else 0


def cmd_docs_list(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    if args.workshop:
        app.workshop(args.workshop)

    def text() -> str:
        lines = app.document_lines(args.workshop)  # the list's columns only
        if not lines and args.workshop:
            return _("The library has no documents of this workshop yet: add them with "
                     "“idm-desktop docs import FILE --workshop {id}”.").format(id=args.workshop)
        if not lines:
            return _("The library has no documents yet: add some with “idm-desktop docs import FILE”.")
        english_only = "  " + _("[English only]")
        return "\n".join(
            f"{d.id[:8]}  {d.symbol:<22} {d.language}  {d.page_count:>3} p.  {d.title}"
            + (english_only if d.english_only else "")
            for d in lines
        )

    out.emit(args, lambda: {"documents": [out.document_json(d) for d in app.documents(args.workshop)]}, text)
    return 0


def cmd_docs_show(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    doc = app.document(args.id)
    body = app.document_text(doc.id) if args.text else None
    payload: dict[str, Any] = {"document": out.document_json(doc)}
    if body is not None:
        payload["text"] = body

    def text() -> str:
        return body if body is not None else _document_rows(doc, lang)

    out.emit(args, payload, text)
    return 0


def _document_rows(doc: Document, lang: str) -> str:
    rows = [
        (_("Symbol"), doc.symbol), (_("Title"), doc.title), (_("Id"), doc.id),
        (_("Workshop"), doc.workshop_id or "—"), (_("Kind"), kind_label(doc.kind)),
        (_("Language"), _language(doc.language, lang)),
        (_("Published in"), ", ".join(_language(code, lang) for code in doc.languages_available) or "—"),
        (_("Pages"), str(doc.page_count)),
        (_("File"), "{name} ({mime}, {size})".format(
            name=doc.filename, mime=doc.mime, size=plural("{n} byte", "{n} bytes", doc.size))),
        (_("Imported"), out.local_time(doc.imported_at, lang)),
    ]
    labels = [_("{label}:").format(label=k) for k, _v in rows]  # "Titre :" in French
    width = max(len(label) for label in labels) + 1
    return "\n".join(f"{label:<{width}} {v}" for label, (_k, v) in zip(labels, rows, strict=True))


def _language(code: str, lang: str) -> str:
    """A document's language by its name in ``lang`` ("anglais"); a code CLDR does not name, as is."""
    try:
        return language_name(code, lang)
    except (KeyError, ValueError):
        return code


def cmd_docs_edit(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    doc = app.document(args.id)
    workshop_id = None if args.no_workshop else (args.workshop or doc.workshop_id)
    available = (doc.languages_available if args.available is None
                 else tuple(x.strip() for x in args.available.split(",") if x.strip()))
    doc = app.edit_document(doc.id, title=doc.title if args.title is None else args.title,
                            workshop_id=workshop_id,
                            kind=DocumentKind(args.kind) if args.kind else doc.kind,
                            languages_available=available)
    out.emit(args, {"document": out.document_json(doc)}, lambda: _document_rows(doc, lang))
    return 0


def cmd_search(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    # One more than shown: whether there are more to see (a limit under 1 is refused as it is).
    hits = app.search(args.query, args.limit + 1 if args.limit >= 1 else args.limit)
    more = len(hits) > args.limit
    hits = hits[:args.limit]
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
        if more:  # say how to see them
            lines.append(plural("The best {n} result; “--limit N” shows more.",
                                "The best {n} results; “--limit N” shows more.", args.limit))
        return "\n".join(lines)

    out.emit(args, lambda: {"query": args.query, "results": [out.hit_json(h) for h in hits]}, text)
    return 0
