"""kill -9 in the middle of a batched import: every file reported imported before the kill is in
the library with its original, no document lacks its original or holds another's, and importing
the same files again finishes the set with nothing twice. A real child process is killed."""

from __future__ import annotations

import hashlib
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
    from pathlib import Path
    from idm_desktop.app import DesktopApp

    app = DesktopApp.open(sys.argv[1])
    files = sorted(Path(sys.argv[2]).iterdir())

    def say(result):
        # Only an import that was reported is promised to the user: say so once reported.
        if result.document is not None:
            sys.stdout.write(result.document.sha256 + "\\n")
            sys.stdout.flush()

    app.import_documents(files, on_progress=say)
    sys.stdout.write("done\\n")
    """
)


@pytest.mark.slow
def test_sigkill_during_an_import_keeps_every_reported_file_whole(tmp_path: Path) -> None:
    rng = random.Random(2006)
    folder = tmp_path / "files"
    folder.mkdir()
    words = ["migration", "integration", "labour", "health", "diaspora", "partnership"]
    for i in range(400):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(200, 2000)))
        (folder / f"note-{i:03}.txt").write_text(f"Note {i}\n\n{body}\n", encoding="utf-8")
    home = tmp_path / "home"
    DesktopApp.open(home).close()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    reported: set[str] = set()
    for _run in range(6):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(home), str(folder)],
                                stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        target = rng.randint(1, 60)
        seen = 0
        while seen < target:
            line = proc.stdout.readline().strip()
            if not line or line == "done":
                break
            reported.add(line)
            seen += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reported.update(x for x in proc.stdout.read().split() if x != "done")
        proc.stdout.close()

        con = sqlite3.connect(home / "library.sqlite3")
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = dict(con.execute("SELECT sha256, pk FROM documents").fetchall())
        count = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        con.close()
        assert count == len(stored), "a file was imported twice"
        assert reported <= set(stored), "a file reported imported is not in the library"
        for sha in stored:  # every document has its whole original under its own name
            blob = home / "blobs" / sha[:2] / sha
            assert hashlib.sha256(blob.read_bytes()).hexdigest() == sha
    app = DesktopApp.open(home)
    try:
        results = app.import_documents(sorted(folder.iterdir()))
        assert not [r for r in results if r.error]
        assert len(app.documents()) == 400
    finally:
        app.close()
