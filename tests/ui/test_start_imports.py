"""The window's modules load without the storage layer: SQLAlchemy (a third of a second) loads
with the library, on a worker, after the window is up (README, "Start-up without SQLAlchemy")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_window_s_modules_do_not_load_sqlalchemy() -> None:
    code = ("import sys\nimport idm_desktop.ui.main_window, idm_desktop.ui.window\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == "[]"


def test_a_signed_in_library_shows_its_first_view_before_the_sync_s_modules_load(tmp_path: Path) -> None:
    """pydantic (the protocol's types, some 40 ms) loads for a library that signed in to a
    server, but after the first view's data is on the screen, not before the window is made."""
    code = """
import sqlite3, sys
from PySide6.QtCore import QCoreApplication
from idm_desktop.app import DesktopApp
from idm_desktop.ui.run import make_qapplication
from idm_desktop.ui.tasks import TaskManager
from idm_desktop.ui.window import show_main_window
home = sys.argv[1]
DesktopApp.open(home).close()
con = sqlite3.connect(home + "/library.sqlite3")
con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('sync.server', 'http://127.0.0.1:9')")
con.commit()
con.close()
app = DesktopApp.open(home, lazy=True)
qapp = make_qapplication(sys.argv[:1], "en", dress=False)
tasks = TaskManager()
tasks.hold()
window = show_main_window(app, tasks, "en")
while not (window.workshops.model.rowCount() and window.counts_label.text()):
    QCoreApplication.processEvents()
print("pydantic when shown:", "pydantic" in sys.modules)
while "pydantic" not in sys.modules:
    QCoreApplication.processEvents()
print("pydantic later: True")
window.close()
tasks.shutdown()
app.close()
"""
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "home")], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["pydantic when shown: False", "pydantic later: True"]
