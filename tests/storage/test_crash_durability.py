"""kill -9 in the middle of a burst of saves: the file opens, passes integrity_check, and
holds every save that returned before the kill (DESIGN §12). A real child process is killed."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp

CHILD = textwrap.dedent(
    """
    import sys
    from idm_desktop.app import DesktopApp
    from idm_desktop.core.submissions import SaveReason

    app = DesktopApp.open(sys.argv[1])
    sid = sys.argv[2]
    i = 0
    while True:
        i += 1
        text = f"save {i} " + "L’intégration « réussie » ¿sí? " * (i % 50)
        app.edit(sid, sections={"national_context": text}, reason=SaveReason.AUTOSAVE)
        # Only a save that returned is promised to the user: say so after it returns.
        sys.stdout.write(f"{i}\\n")
        sys.stdout.flush()
    """
)


@pytest.mark.slow
def test_sigkill_during_saves_loses_nothing_that_returned(tmp_path: Path) -> None:
    home = tmp_path / "home"
    app = DesktopApp.open(home)
    workshop = app.workshops()[0].id
    sid = app.new_submission(workshop, "MEX", "es").id
    app.close()
    rng = random.Random(20061212)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for _run in range(20):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(home), sid],
                                stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        target = rng.randint(1, 40)
        last = 0
        while last < target:
            line = proc.stdout.readline()
            assert line, "the child stopped before the kill"
            last = int(line)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Lines written after our last read but before the kill also returned: read them.
        for line in proc.stdout.read().split():
            last = max(last, int(line))
        proc.stdout.close()

        con = sqlite3.connect(home / "library.sqlite3")
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        con.close()
        check = DesktopApp.open(home)
        body = check.submission(sid).text_of("national_context")
        saved = int(body.split()[1])
        assert saved >= last, f"run {_run}: save {last} returned but the file holds {saved}"
        assert any(h.body.get("national_context", "").startswith(f"save {last} ")
                   for h in check.history(sid))
        check.close()
