"""``idm-desktop``: the parser, logging, exit codes and the one table of commands (DESIGN §10).

With no sub-command it opens the window; the commands themselves live one module per area
(:mod:`~idm_desktop.cli.library`, :mod:`~idm_desktop.cli.submissions`, :mod:`~idm_desktop.cli.sync`)
and print through :mod:`~idm_desktop.cli.output`.

Exit codes: 0 ok; 1 error (one clear line on stderr, nothing changed); 2 usage; 3 check
failed; 4 conflicts waiting; 5 server unreachable.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from idm_desktop import __version__
from idm_desktop.config.paths import resolve_paths
from idm_desktop.core.errors import IdmError, UsageError
from idm_desktop.core.i18n import N_, _, ngettext, set_ui_language

if TYPE_CHECKING:
    from idm_desktop.app import DesktopApp

log = logging.getLogger("idm_desktop.cli")

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CHECK = 0, 1, 2, 3


# argparse's own words (usage, headings, its errors) in the user's language: argparse looks them
# up through its module's gettext functions, which read the system's catalogs; these point it
# at ours. Listed with N_ so that the catalogs carry them.
_ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("show program's version number and exit"), N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"), N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"), N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("one of the arguments %s is required"), N_("not allowed with argument %s"),
)
argparse._ = _  # type: ignore[attr-defined]
argparse.ngettext = ngettext  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors get our one-line format, and
    that names the command or option a mistyped word was most likely meant to be."""

    command_parsers: dict[tuple[str, ...], argparse.ArgumentParser]
    """The parser of each command, by its words (on the top parser, set by build_parser)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = _("see {command} --help").format(command=self.prog)
        raise UsageError(f"{message} ({hint})")

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        if not isinstance(choices, dict):  # an option's value: which ones there are, and a guess
            close = _did_you_mean(str(value), [str(choice) for choice in choices])
            message = _("“{value}” is not one of {choices}").format(
                value=value, choices=", ".join(str(choice) for choice in choices))
            raise argparse.ArgumentError(action, message + close)
        # A command: said so, without argparse's name for the place it goes ("docs_command").
        message = _("“{word}” is not a command of {command}").format(word=value, command=self.prog)
        self.error(message + _did_you_mean(str(value), list(choices)))

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        if action.type is int:  # said in words, not as Python's type name ("invalid int value")
            try:
                return int(arg_string)
            except ValueError:
                raise argparse.ArgumentError(
                    action, _("“{value}” is not a whole number").format(value=arg_string)) from None
        return super()._get_value(action, arg_string)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        if args is not None and getattr(self, "command_parsers", None):
            self._check_leading_options(args)
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            # Said by the parser of the command they were given to, with its own options.
            command = getattr(parsed, "run", None)
            parsers = getattr(self, "command_parsers", {})
            owner = parsers.get(command.words, self) if isinstance(command, Command) else self
            options = [option for action in owner._actions for option in action.option_strings]
            guess = next((_did_you_mean(word, options) for word in extras if word.startswith("--")), "")
            owner.error(_("unrecognized arguments: %s") % " ".join(extras) + guess)
        return parsed


    def _check_leading_options(self, args: Sequence[str]) -> None:
        """An unknown option before the command ("--hmoe DIR workshops") is named as such, not
        taken for a flag and its value for the command."""
        options = [option for action in self._actions for option in action.option_strings]
        for word in args:
            if not word.startswith("-"):
                return  # the command: its own options are its parser's to check
            name = word.split("=", 1)[0]
            if name.startswith("--") and name != "--" and name not in options:
                self.error(_("unrecognized arguments: %s") % name + _did_you_mean(name, options))


def _did_you_mean(word: str, known: Sequence[str]) -> str:
    """"; did you mean “list”?" for the known word closest to ``word``, or nothing."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return _("; did you mean “{word}”?").format(word=close[0]) if close else ""


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


Handler = Callable[["DesktopApp", argparse.Namespace, str], int]


@dataclass(frozen=True, slots=True)
class Command:
    """One sub-command: its words (``("docs", "import")``), help, and where its handler and the
    function adding its arguments are, as ``"module.name"`` within this package.

    Named rather than imported (pip's ``commands_dict``): a command loads its own module only,
    not every command's, so a one-shot read starts quickly."""

    words: tuple[str, ...]
    help: str
    handler: str
    arguments: str | None = None

    def load_handler(self) -> Handler:
        handler: Handler = _load(self.handler)
        return handler

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        if self.arguments is not None:
            _load(self.arguments)(parser)


def _load(ref: str) -> Any:
    module, name = ref.split(".")
    return getattr(importlib.import_module(f"idm_desktop.cli.{module}"), name)


def command_table() -> tuple[dict[str, str], list[Command]]:
    """The groups of sub-commands and every command of ``idm-desktop``, in the order of --help.

    Built on call, so that the help texts follow the language chosen with --lang."""
    groups = {"docs": _("the document library"), "submission": _("draft a submission"),
              "bundle": _("carry work on a file where there is no link"),
              "receipt": _("the secretariat's receipts"),
              "comment": _("comments and suggestions on a draft"),
              "notices": _("the secretariat's notices and the deadline reminders"),
              "config": _("the settings the window keeps (language of messages, your name)")}
    commands = [
        Command(("workshops",), _("list the IDM events and their deadlines"), "library.cmd_workshops"),
        Command(("notices", "list"), _("the notices not read yet, and the deadline reminders due"),
                "notices.cmd_notices", "notices.list_arguments"),
        Command(("notices", "read"), _("mark a notice (or all of them) as read"), "notices.cmd_notices_read",
                "notices.read_arguments"),
        Command(("docs", "import"), _("import PDF, DOCX, TXT or Markdown files"), "library.cmd_docs_import",
                "library.import_arguments"),
        Command(("docs", "list"), _("list the documents"), "library.cmd_docs_list", "library.list_arguments"),
        Command(("docs", "show"), _("show one document"), "library.cmd_docs_show", "library.show_arguments"),
        Command(("docs", "edit"), _("correct a document's title, workshop, kind or languages"),
                "library.cmd_docs_edit", "library.edit_arguments"),
        Command(("search",), _("search documents and submissions"), "library.cmd_search",
                "library.search_arguments"),
        Command(("submission", "new"), _("start a submission"), "submissions.cmd_sub_new",
                "submissions.new_arguments"),
        Command(("submission", "list"), _("list submissions"), "submissions.cmd_sub_list",
                "submissions.list_arguments"),
        Command(("submission", "edit"), _("write one section (or the title)"), "submissions.cmd_sub_edit",
                "submissions.edit_arguments"),
        Command(("submission", "show"), _("show a submission"), "submissions.cmd_sub_show",
                "output.submission_id_argument"),
        Command(("submission", "history"), _("list the saved versions"), "submissions.cmd_sub_history",
                "output.submission_id_argument"),
        Command(("submission", "check"), _("check a submission against its template"),
                "submissions.cmd_sub_check", "output.submission_id_argument"),
        Command(("submission", "restore"), _("make an earlier version current again"),
                "submissions.cmd_sub_restore", "submissions.restore_arguments"),
        Command(("submission", "delete"),
                _("delete a draft that was never sent (refused once it has been sent)"),
                "submissions.cmd_sub_delete", "output.submission_id_argument"),
        Command(("submission", "name-version"),
                _("give a version a name (“sent to the ministry”)"),
                "submissions.cmd_sub_name_version", "submissions.name_arguments"),
        Command(("submission", "move-template"),
                _("move a draft to a newer template (sections map by key; other text is kept)"),
                "submissions.cmd_sub_move_template", "submissions.move_template_arguments"),
        Command(("submission", "correct"),
                _("prepare a correction of a sent submission (a new draft that supersedes it)"),
                "submissions.cmd_sub_correct", "output.submission_id_argument"),
        Command(("submission", "submit"),
                _("submit a submission to the secretariat (its text is then frozen)"),
                "sync.cmd_sub_submit", "sync.submit_arguments"),
        Command(("submission", "withdraw"),
                _("take back a submission the secretariat received, saying why (it is unpublished)"),
                "sync.cmd_sub_withdraw", "sync.withdraw_arguments"),
        Command(("submission", "resolve"), _("settle a conflicting section"), "sync.cmd_sub_resolve",
                "sync.resolve_arguments"),
        Command(("submission", "import-docx"),
                _("bring a Word draft into a submission's sections (what matches no section is "
                  "kept as text not placed)"),
                "submissions.cmd_sub_import_docx", "submissions.import_docx_arguments"),
        Command(("submission", "request-review"), _("ask the delegation's reviewers to look at the draft"),
                "review.cmd_request_review", "review.note_arguments"),
        Command(("submission", "clear"), _("clear the draft as it stands for submission (reviewers)"),
                "review.cmd_clear", "review.note_arguments"),
        Command(("submission", "return"), _("send the draft back to its drafters with a note (reviewers)"),
                "review.cmd_return", "review.return_arguments"),
        Command(("submission", "compare"), _("two versions side by side, word by word"),
                "review.cmd_compare", "review.compare_arguments"),
        Command(("comment", "add"), _("comment on quoted words of a section (or suggest a replacement)"),
                "review.cmd_comment_add", "review.comment_add_arguments"),
        Command(("comment", "list"), _("the comments of a submission"), "review.cmd_comment_list",
                "review.comment_list_arguments"),
        Command(("comment", "reply"), _("answer a comment"), "review.cmd_comment_reply",
                "review.comment_reply_arguments"),
        Command(("comment", "resolve"), _("mark a comment settled"), "review.cmd_comment_resolve",
                "review.comment_id_argument"),
        Command(("comment", "reopen"), _("open a settled comment again"), "review.cmd_comment_reopen",
                "review.comment_id_argument"),
        Command(("comment", "accept"), _("put a suggestion in the text"), "review.cmd_comment_accept",
                "review.comment_id_argument"),
        Command(("comment", "reject"), _("turn a suggestion down"), "review.cmd_comment_reject",
                "review.comment_id_argument"),
        Command(("export",), _("export a submission to PDF or DOCX"), "submissions.cmd_export",
                "submissions.export_arguments"),
        Command(("login",), _("sign in to the secretariat's server"), "sync.cmd_login",
                "sync.login_arguments"),
        Command(("logout",), _("sign out and forget the token on this computer"), "sync.cmd_logout"),
        Command(("sync",), _("send your work and receive what is new"), "sync.cmd_sync",
                "sync.sync_arguments"),
        Command(("status",), _("what waits to be sent, conflicts, the last sync"), "sync.cmd_status",
                "sync.status_arguments"),
        Command(("bundle", "export"), _("write your unsent work to a bundle file"), "sync.cmd_bundle_export",
                "sync.bundle_export_arguments"),
        Command(("bundle", "import"), _("send a colleague's bundle, or apply one from the secretariat"),
                "sync.cmd_bundle_import", "sync.bundle_import_arguments"),
        Command(("config", "show"), _("show the settings"), "config.cmd_config_show"),
        Command(("config", "set"), _("change a setting for good (--lang changes the language for one run)"),
                "config.cmd_config_set", "config.set_arguments"),
        Command(("receipt", "verify"), _("check a receipt's signature, offline"), "sync.cmd_receipt_verify",
                "sync.receipt_arguments"),
    ]
    return groups, commands


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of ``idm-desktop``, built from :func:`command_table`; a parsed command carries its
    :class:`Command` as ``args.run`` (none: the window opens, or a group was named without its
    command).

    Given the ``argv`` it will parse, and when that names one command plainly (its words, with
    only ``--json``, ``--home`` and ``--lang`` before them), only that command's parser is built:
    it parses and helps exactly as it does in the whole parser."""
    common = _common()
    parser = _Parser(prog="idm-desktop", parents=[common],
                     description=_("Draft, check and export policy submissions to the "
                                   "International Dialogue on Migration."))
    parser.add_argument("--version", action="version", version=f"idm-desktop {__version__}",
                        help=_("show program's version number and exit"))  # argparse's own is not translated
    top: Any = parser.add_subparsers(dest="command", parser_class=_Parser)
    groups, commands = command_table()
    if argv is not None:
        commands = _named(argv, commands)
    group_parsers: dict[str, Any] = {}
    parser.command_parsers = {}
    for command in commands:
        where: Any = top
        if len(command.words) == 2:
            group = command.words[0]
            if group not in group_parsers:
                group_parsers[group] = top.add_parser(group, help=groups[group], parents=[common]) \
                    .add_subparsers(dest=f"{group}_command", parser_class=_Parser)
            where = group_parsers[group]
        p = where.add_parser(command.words[-1], help=command.help, parents=[common])
        command.add_arguments(p)
        p.set_defaults(run=command)
        parser.command_parsers[command.words] = p
    return parser


_VALUED = ("--home", "--lang")  # the options before a command that take a value


def _named(argv: Sequence[str], commands: list[Command]) -> list[Command]:
    """The one command ``argv`` names plainly (none when it names none: the window), else every
    command (help, a mistake, an abbreviated option: the whole parser answers those)."""
    words: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token in _VALUED:
            next(tokens, None)
        elif token == "--json" or token.startswith(tuple(f"{o}=" for o in _VALUED)):
            continue
        elif token.startswith("-"):
            return commands
        else:
            words.append(token)
            chosen = [c for c in commands if c.words == tuple(words)]
            if chosen:
                return chosen
            if len(words) == 2:
                return commands
    return commands if words else []  # no command: the window opens, and needs no command's parser


def run(args: argparse.Namespace, lang: str) -> int:
    """Run the parsed command on the library (or open the window when none was given)."""
    paths = resolve_paths(getattr(args, "home", None))
    _setup_logging(paths.logs)
    if args.command is None:
        return open_window(args, lang)
    command: Command | None = getattr(args, "run", None)
    if command is None:
        raise UsageError(_("{command} needs a sub-command: see idm-desktop {command} --help")
                         .format(command=args.command))
    from idm_desktop.app import DesktopApp

    # Opened on first use: a read the file can answer as it is (search) needs no SQLAlchemy.
    app = DesktopApp.open(paths.home, lazy=True)
    try:
        return command.load_handler()(app, args, lang)
    finally:
        app.close()


def open_window(args: argparse.Namespace, lang: str) -> int:
    """No sub-command: open the desktop window on the library (through ``ui.run``, the window's door)."""
    from idm_desktop.app import DesktopApp
    from idm_desktop.ui.run import run_window

    # The library opens on the window's storage worker: the window is up at once.
    app = DesktopApp.open(getattr(args, "home", None), lazy=True)
    try:
        return run_window(app, lang)
    finally:
        app.close()


def _setup_logging(log_dir: Path) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    handler: logging.Handler
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = _LogFile(log_dir / "idm-desktop.log")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


class _LogFile(logging.Handler):
    """The rotating log file (2 MB, 3 kept), opened at its first record: a command that logs
    nothing never loads ``logging.handlers`` (and the socket and pickle modules it brings)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            import logging.handlers

            try:
                self._file = logging.handlers.RotatingFileHandler(
                    self._path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
            except OSError:  # as before when the folder cannot be written: no log file
                self._file = logging.NullHandler()
            self._file.setFormatter(self.formatter)
        self._file.emit(record)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build starts the document reader process through this entry point too.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    # Messages of the parser itself follow --lang when it is given.
    lang = _peek_lang(argv)
    set_ui_language(lang)
    try:
        args = build_parser(argv).parse_args(argv)
    except UsageError as exc:
        sys.stderr.write(f"idm-desktop: {exc}\n")
        return EXIT_USAGE
    try:
        return run(args, lang)
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
        ).format(folder=resolve_paths(getattr(args, "home", None)).logs) + "\n")
        return EXIT_ERROR


def _peek_lang(argv: list[str]) -> str:
    """The language of the messages: the last valid --lang given (argparse keeps the last one
    too), else the settings' (also when the --lang given is not one: its error is said in it)."""
    chosen = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        if value in ("en", "fr", "es"):
            chosen = value
    if chosen is not None:
        return chosen
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
