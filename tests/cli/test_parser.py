"""The parser built for the one command a line names answers as the whole parser does."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from idm_desktop.cli.main import build_parser, command_table
from idm_desktop.core.errors import UsageError


def _answer(argv: list[str], narrowed: bool) -> tuple[str, str]:
    """What parsing ``argv`` gives: the parsed values, or the help printed, or the usage error."""
    parser = build_parser(argv if narrowed else None)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            args = parser.parse_args(argv)
    except SystemExit:
        return "exit", out.getvalue()
    except UsageError as exc:
        return "usage", str(exc)
    values = vars(args)
    command = values.pop("run", None)
    return "parsed", repr((sorted(values.items()), command and command.words))


@pytest.mark.parametrize("words", [c.words for c in command_table()[1]], ids=" ".join)
def test_each_command_parses_and_helps_alike_alone_and_among_all(words: tuple[str, ...]) -> None:
    for argv in ([*words, "--help"], ["--json", *words, "--help"], ["--lang", "fr", *words, "-h"],
                 [*words], [*words, "--json", "X", "Y", "--no-such-option"]):
        assert _answer(argv, narrowed=True) == _answer(argv, narrowed=False), argv


@pytest.mark.parametrize("argv", [
    ["search", "--limit", "5", "migration"], ["--home", "/tmp/x", "docs", "list", "--workshop", "w"],
    ["--home=/tmp/x", "--json", "submission", "show", "abcd"], ["submission", "--json", "show", "abcd"],
    ["--help"], ["--version"], ["--he", "search", "x"], ["docs"], ["docs", "nothing"], ["nothing"], [],
    ["--jso", "workshops"], ["--lang", "xx", "workshops"], ["--home", "/tmp/x"], ["--lang", "fr", "--json"],
])
def test_lines_that_name_no_single_command_plainly_answer_the_same(argv: list[str]) -> None:
    assert _answer(argv, narrowed=True) == _answer(argv, narrowed=False)


def test_a_one_shot_search_loads_no_other_command_and_no_use_case_it_does_not_run(
        home: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Labour mobility\n\nDiaspora partnerships.\n", encoding="utf-8")
    env = dict(os.environ, IDM_DESKTOP_HOME=str(home))
    exe = Path(sys.executable).parent / "idm-desktop"
    subprocess.run([str(exe), "docs", "import", str(tmp_path / "a.txt")], env=env, check=True,
                   capture_output=True)
    script = ("import sys\nfrom idm_desktop.cli.main import main\n"
              "code = main(['search', 'diaspora'])\n"
              "print(sorted(m for m in sys.modules if m.startswith(('idm_desktop.', 'sqlalchemy', "
              "'logging.handlers', 'babel'))))\nsys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "Labour mobility" in done.stdout
    loaded = done.stdout.strip().splitlines()[-1]
    for module in ("cli.submissions", "cli.sync", "cli.review", "app.sync", "app.clearance",
                   "app.importing", "app.spelling", "storage.blobs", "sqlalchemy", "logging.handlers",
                   "babel"):
        assert module not in loaded, module
