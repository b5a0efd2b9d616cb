"""The spelling process: the dictionaries, the user's own words, and no process left behind
when the program is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from idm_desktop.app.spelling import Spelling, words_in
from idm_desktop.config.paths import Paths

CHILD = """
import os, sys
from pathlib import Path
from idm_desktop.app.spelling import Spelling
from idm_desktop.config.paths import Paths

if __name__ == "__main__":
    spelling = Spelling(Paths(Path(sys.argv[1])))
    assert spelling.check("fr", ["migratoin"]) == {"migratoin": False}
    print(spelling.process_ids()[0], flush=True)
    sys.stdin.read()
"""


def test_words_to_check_leave_out_acronyms_numbers_and_addresses() -> None:
    text = "L’organisation (IDM) see https://example.org/a and ana@example.org, 2006 peut-être B2B."
    assert [w for _s, _n, w in words_in(text)] == ["L’organisation", "see", "and", "peut-être"]


def test_each_language_and_the_users_words(tmp_path: Path) -> None:
    spelling = Spelling(Paths(tmp_path))
    try:
        assert spelling.check("en", ["organisation", "programme", "recieve"]) == {
            "organisation": True, "programme": True, "recieve": False}
        assert spelling.check("fr", ["résumé", "l’intégration", "migratoin"]) == {
            "résumé": True, "l’intégration": True, "migratoin": False}
        assert spelling.check("es", ["población", "poblacion"]) == {
            "población": True, "poblacion": False}
        assert "receive" in spelling.suggest("en", "recieve")
        spelling.add_word("fr", "Rapidintegra")
        assert spelling.check("fr", ["Rapidintegra"]) == {"Rapidintegra": True}
        assert spelling.check("en", ["Rapidintegra"]) == {"Rapidintegra": False}  # per language
    finally:
        spelling.close()
    assert Paths(tmp_path).personal_words("fr").read_text(encoding="utf-8") == "Rapidintegra\n"


def test_the_spelling_process_ends_when_the_program_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    with subprocess.Popen([sys.executable, str(script), str(tmp_path / "home")],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        worker = int(child.stdout.readline())
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(worker):
        time.sleep(0.05)
    assert not _alive(worker), "the spelling process outlived the killed program"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False
