"""``idm-desktop``: with no sub-command it opens the window; sub-commands are the CLI (DESIGN §10).

Exit codes: 0 ok; 1 error (one clear line on stderr, nothing changed); 2 usage; 3 check
failed; 4 conflicts waiting; 5 server unreachable.
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from idm_desktop import __version__
from idm_desktop.core.errors import IdmError, UsageError
from idm_desktop.core.i18n import _, set_ui_language

log = logging.getLogger("idm_desktop.cli")

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CHECK = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors get our one-line format."""

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = _("see {command} --help").format(command=self.prog)
        raise UsageError(f"{message} ({hint})")


def _common() -> argparse.ArgumentParser:
    # Accepted before or after the sub-command ("idm-desktop --json workshops" and
    # "idm-desktop workshops --json"); SUPPRESS keeps a later default from hiding an earlier value.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", default=argparse.SUPPRESS, metavar="DIR",
                        help=_("the user's data folder (default: IDM_DESKTOP_HOME or the platform's)"))
    common.add_argument("--lang", default=argparse.SUPPRESS, choices=("en", "fr", "es"),
                        help=_("language of messages"))
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=_("print one JSON object instead of text"))
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(prog="idm-desktop", parents=[common],
                     description=_("Draft, check and export policy submissions to the "
                                   "International Dialogue on Migration."))
    parser.add_argument("--version", action="version", version=f"idm-desktop {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def add(name: str, help_text: str, parent: Any = sub) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_text, parents=[common])
        return p

    add("workshops", _("list the IDM events and their deadlines"))

    docs = add("docs", _("the document library")).add_subparsers(dest="docs_command",
                                                                   parser_class=_Parser)
    imp = add("import", _("import PDF, DOCX, TXT or Markdown files"), docs)
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--workshop", metavar="ID")
    imp.add_argument("--symbol", metavar="S")
    imp.add_argument("--language", metavar="L")
    imp.add_argument("--title", metavar="T")
    imp.add_argument("--kind", choices=[k.value for k in _document_kinds()])
    imp.add_argument("--available", metavar="LANGS",
                     help=_("languages the document is published in, e.g. “en” for English only, "
                            "or “en,fr,es”"))
    lst = add("list", _("list the documents"), docs)
    lst.add_argument("--workshop", metavar="ID")
    show = add("show", _("show one document"), docs)
    show.add_argument("id", metavar="ID")
    show.add_argument("--text", action="store_true", help=_("print the extracted text"))

    search = add("search", _("search documents and submissions"))
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=10, metavar="N")

    subm = add("submission", _("draft a submission")).add_subparsers(dest="sub_command",
                                                                      parser_class=_Parser)
    new = add("new", _("start a submission"), subm)
    new.add_argument("--workshop", required=True, metavar="ID")
    new.add_argument("--country", required=True, metavar="ISO3")
    new.add_argument("--language", required=True, metavar="L")
    new.add_argument("--title", metavar="T")
    slist = add("list", _("list submissions"), subm)
    slist.add_argument("--workshop", metavar="ID")
    edit = add("edit", _("write one section (or the title)"), subm)
    edit.add_argument("id", metavar="ID")
    edit.add_argument("section", metavar="SECTION_KEY")
    source = edit.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", metavar="T")
    source.add_argument("--file", metavar="F", help=_("read the text from a UTF-8 file ('-' for stdin)"))
    for name, help_text in (("show", _("show a submission")),
                            ("history", _("list the saved versions")),
                            ("check", _("check a submission against its template"))):
        add(name, help_text, subm).add_argument("id", metavar="ID")
    restore = add("restore", _("make an earlier version current again"), subm)
    restore.add_argument("id", metavar="ID")
    restore.add_argument("seq", type=int, metavar="VERSION")

    export = add("export", _("export a submission to PDF or DOCX"))
    export.add_argument("id", metavar="ID")
    export.add_argument("--format", required=True, choices=("pdf", "docx"))
    export.add_argument("--out", required=True, metavar="PATH")

    from idm_desktop.cli_sync import add_parsers

    add_parsers(add, subm, _Parser)
    return parser


def _document_kinds() -> list[Any]:
    from idm_desktop.core.documents import DocumentKind

    return list(DocumentKind)


def _setup_logging(log_dir: Path) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / "idm-desktop.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str | Callable[[], str]) -> None:
    if getattr(args, "json", False):
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        out = text() if callable(text) else text
        if out:
            sys.stdout.write(out.rstrip("\n") + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build starts the document reader process through this entry point too.
    import multiprocessing

    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    # Messages of the parser itself follow --lang when it is given.
    lang = _peek_lang(argv)
    set_ui_language(lang)
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        sys.stderr.write(f"idm-desktop: {exc}\n")
        return EXIT_USAGE
    from idm_desktop import cli_commands

    try:
        return cli_commands.run(args, lang, _emit, _setup_logging)
    except IdmError as exc:
        log.info("command failed: %s", exc)
        sys.stderr.write(f"idm-desktop: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        message = _("interrupted; nothing was half-written.")
        sys.stderr.write(f"idm-desktop: {message}\n")
        return 130
    except Exception:  # our bug: keep the details in the log, one line for the user
        log.exception("unexpected error running %s", argv)
        sys.stderr.write("idm-desktop: " + _(
            "an unexpected error occurred; details are in the log file under {folder}."
        ).format(folder=cli_commands.log_folder(args)) + "\n")
        return EXIT_ERROR


def _peek_lang(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in ("en", "fr", "es") else "en"
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in ("en", "fr", "es") else "en"
    from idm_desktop.config.paths import resolve_paths
    from idm_desktop.config.settings import load_settings

    home = _peek_home(argv)
    try:
        return load_settings(resolve_paths(home).settings).ui_language
    except OSError:
        return "en"


def _peek_home(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--home" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--home="):
            return arg.split("=", 1)[1]
    return os.environ.get("IDM_DESKTOP_HOME")


if __name__ == "__main__":
    sys.exit(main())
