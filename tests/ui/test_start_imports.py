"""The window's modules load without the storage layer: SQLAlchemy (a third of a second) loads
with the library, on a worker, after the window is up (README, "Start-up without SQLAlchemy")."""

from __future__ import annotations

import subprocess
import sys


def test_the_window_s_modules_do_not_load_sqlalchemy() -> None:
    code = ("import sys\nimport idm_desktop.ui.main_window, idm_desktop.ui.window\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == "[]"
