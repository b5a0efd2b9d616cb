"""SIGKILLs during saves and during typing, counted (scripts/soak-kill).

The children are the ones the tests kill (tests/storage/test_crash_durability.py: a burst of
saves, each printed once it returned; tests/ui/test_editor_kill.py: a delegate typing a word every
50 ms in the editor). Each run kills its child at a random moment, then opens the library as the
next start would and counts:

- **torn**: the file fails ``PRAGMA integrity_check`` or does not open;
- **lost**: a save that returned is not in the file (saves), or the editor's text is older than
  the words typed 2 s before the kill, or is not a text that was ever typed (typing);
- **duplicates**: one save recorded twice in the history.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from idm_desktop.app import DesktopApp
from tests.storage.test_crash_durability import CHILD as SAVES_CHILD
from tests.ui.editor_tools import FIRST, INTEGRATION
from tests.ui.test_editor_kill import MARGIN_S, _lines, _type_and_kill


@dataclass
class Figures:
    runs: int = 0
    kills: int = 0
    lost: int = 0
    torn: int = 0
    duplicates: int = 0
    integrity_ok: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self, what: str) -> str:
        return (f"{what}: runs {self.runs}, kills {self.kills}, lost {self.lost}, torn {self.torn}, "
                f"duplicates {self.duplicates}, integrity_check ok {self.integrity_ok}/{self.runs}")


def _integrity(home: Path) -> bool:
    try:
        con = sqlite3.connect(home / "library.sqlite3")
        try:
            return bool(con.execute("PRAGMA integrity_check").fetchone() == ("ok",))
        finally:
            con.close()
    except sqlite3.Error:
        return False


def soak_saves(runs: int, rng: random.Random, tmp: Path, fig: Figures) -> None:
    home = tmp / "saves"
    app = DesktopApp.open(home)
    sid = app.new_submission(app.workshops()[0].id, "MEX", "es").id
    app.close()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    known = 0
    for run in range(runs):
        proc = subprocess.Popen([sys.executable, "-c", SAVES_CHILD, str(home), sid],
                                stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        target, last = rng.randint(1, 40), 0
        while last < target:
            line = proc.stdout.readline()
            if not line:
                break
            last = int(line)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for line in proc.stdout.read().split():
            last = max(last, int(line))
        proc.stdout.close()
        fig.runs += 1
        fig.kills += 1
        if not _integrity(home):
            fig.torn += 1
            fig.problems.append(f"saves run {run}: integrity_check failed")
            continue
        fig.integrity_ok += 1
        try:
            check = DesktopApp.open(home)
        except Exception as err:  # noqa: BLE001 - a library that does not open is what we count
            fig.torn += 1
            fig.problems.append(f"saves run {run}: does not open: {err}")
            continue
        try:
            saved = int(check.submission(sid).text_of("national_context").split()[1])
            texts = [h.body.get("national_context", "") for h in check.history(sid)]
        finally:
            check.close()
        if saved < last:
            fig.lost += 1
            fig.problems.append(f"saves run {run}: save {last} returned, the file holds {saved}")
        # The versions this run added: each save of it once (its numbers only grow).
        added = texts[known:]
        known = len(texts)
        if len(added) != len(set(added)):
            fig.duplicates += 1
            fig.problems.append(f"saves run {run}: a save recorded twice")


def soak_typing(runs: int, rng: random.Random, tmp: Path, fig: Figures) -> None:
    home = tmp / "typing"
    for run in range(runs):
        app = DesktopApp.open(home)
        sid = app.new_submission(INTEGRATION, "CIV", "fr").id
        app.close()
        try:
            killed_at, data = _type_and_kill(home, sid, rng.uniform(2.5, 6.0), tmp / "typing.log")
        except AssertionError as err:
            fig.problems.append(f"typing run {run}: the child did not type: {err}")
            continue
        fig.runs += 1
        fig.kills += 1
        lines = _lines(data)
        if not _integrity(home):
            fig.torn += 1
            fig.problems.append(f"typing run {run}: integrity_check failed")
            continue
        fig.integrity_ok += 1
        check = DesktopApp.open(home)
        try:
            saved = check.submission(sid).text_of(FIRST)
            versions = [h.body.get(FIRST, "") for h in check.history(sid)]
        finally:
            check.close()
        typed = [text.rstrip() for _stamp, text in lines]
        if saved and saved not in typed:
            fig.torn += 1
            fig.problems.append(f"typing run {run}: the saved text was never typed")
        due = [text.rstrip() for stamp, text in lines if stamp <= killed_at - MARGIN_S]
        if due and len(saved) < len(due[-1]):
            fig.lost += 1
            fig.problems.append(f"typing run {run}: older than 2 s before the kill")
        changes = [v for a, v in zip(["", *versions], versions, strict=False) if v != a]
        if len(changes) != len(set(changes)):
            fig.duplicates += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=1000, help="kills during a burst of saves")
    parser.add_argument("--typing", type=int, default=1000, help="kills while typing in the editor")
    parser.add_argument("--seed", type=int, default=20061212)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = time.monotonic()
    saves, typing = Figures(), Figures()
    with tempfile.TemporaryDirectory(prefix="idm-soak-kill-") as tmp:
        soak_saves(args.saves, rng, Path(tmp), saves)
        soak_typing(args.typing, rng, Path(tmp), typing)
    print(saves.line("SIGKILL during saves"))
    print(typing.line("SIGKILL while typing"))
    print(f"{time.monotonic() - start:.0f} s")
    print(json.dumps({"saves": saves.__dict__, "typing": typing.__dict__}))
    for problem in saves.problems + typing.problems:
        print("problem:", problem)
    bad = saves.lost + saves.torn + typing.lost + typing.torn
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
