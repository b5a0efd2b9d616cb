"""Time to a usable main window on a 10,000-document library, against a bare PySide6
QMainWindow shown and closed (DESIGN §11: budget ≤ 2×, aim 1.5×); and the peak memory of both.

"Usable" means the window is shown and the first view's data has arrived (no background task
left). Each figure is measured in a fresh process, several times, alternating, and the median
is kept; both include starting Python and importing Qt.

Run: .venv/bin/python tests/bench/bench_window.py [--docs N] [--rounds N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 2.0
AIM = 1.5

# A bare window: the least any Qt desktop program pays to put a window on the screen.
FLOOR = """
import resource, sys
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow
qapp = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 800)
window.show()
QTest.qWaitForWindowExposed(window)
qapp.processEvents()
print("ready", flush=True)
window.close()
qapp.processEvents()
print("maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""

# The real start-up, as the window's entry point does it (idm_desktop.cli.main.open_window:
# the library opens on the storage worker), to the window on the screen ("shown") and on to
# the first view's data and the status bar's counts ("ready").
OURS = """
import resource, sys
from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import set_ui_language
app = DesktopApp.open(sys.argv[1], lazy=True)
lang = app.settings.ui_language
set_ui_language(lang)
from PySide6.QtTest import QTest
from idm_desktop.ui.main_window import MainWindow
from idm_desktop.ui.qt_i18n import route_qt_messages
from idm_desktop.ui.run import make_qapplication
from idm_desktop.ui.tasks import TaskManager
route_qt_messages()
qapp = make_qapplication(sys.argv[:1], lang)
tasks = TaskManager()
window = MainWindow(app, tasks)
window.show()
QTest.qWaitForWindowExposed(window)
qapp.processEvents()
print("shown", flush=True)
while True:  # the first view's data (and the status bar's counts) arrive
    tasks.wait_idle()
    qapp.processEvents()
    if tasks.active() == 0:
        break
print("ready", flush=True)
window.close()
tasks.shutdown()
app.close()
print("maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""


def build_library(home: Path, n_docs: int, chars: int) -> None:
    """A library home with ``n_docs`` generated documents of ``chars`` characters each."""
    sys.path.insert(0, str(ROOT))
    from idm_desktop.app import DesktopApp
    from tests.bench.bench_search import make_library

    home.mkdir(parents=True, exist_ok=True)
    make_library(home, n_docs, chars)  # writes home/library.sqlite3, the library's database
    DesktopApp.open(home).close()  # the bundled catalog, as on a first start


def measure(code: str, *args: str) -> tuple[float, float, int]:
    """Seconds from starting a fresh process to its "shown" and "ready" lines (the floor prints
    only "ready": its window is shown and ready at once), and its peak RSS (KB)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    with tempfile.TemporaryFile("w+") as errors:  # shown only if the process fails
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                                stderr=errors, text=True, env=env, cwd=ROOT)
        assert proc.stdout is not None
        ready = shown = None
        maxrss = 0
        for line in proc.stdout:
            if line.startswith("shown") and shown is None:
                shown = time.perf_counter() - start
            elif line.startswith("ready") and ready is None:
                ready = time.perf_counter() - start
            elif line.startswith("maxrss"):
                maxrss = int(line.split()[1])
        if proc.wait() != 0 or ready is None:
            errors.seek(0)
            sys.stderr.write(errors.read())
            raise SystemExit(f"bench_window: the measured process failed (exit {proc.returncode})")
    return (shown if shown is not None else ready), ready, maxrss


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the library here once and reuse it")
    args = parser.parse_args()
    if args.keep:
        return run(args, args.keep)
    with tempfile.TemporaryDirectory(prefix="idm-bench-window-") as tmp:
        return run(args, Path(tmp) / "home")


def run(args: argparse.Namespace, home: Path) -> int:
    if not (home / "library.sqlite3").exists():
        t0 = time.perf_counter()
        build_library(home, args.docs, args.chars)
        print(f"library: {args.docs} documents built in {time.perf_counter() - t0:.0f} s")
    size = (home / "library.sqlite3").stat().st_size
    print(f"library: {home} ({size / 1e6:.0f} MB)")

    measure(FLOOR)  # warm the file cache the same way for both
    measure(OURS, str(home))
    shown: dict[str, list[float]] = {"ours": [], "floor": []}
    ready: dict[str, list[float]] = {"ours": [], "floor": []}
    rss: dict[str, list[int]] = {"ours": [], "floor": []}
    for _round in range(args.rounds):
        for name, code, extra in (("floor", FLOOR, ()), ("ours", OURS, (str(home),))):
            t_shown, t_ready, kb = measure(code, *extra)
            shown[name].append(t_shown)
            ready[name].append(t_ready)
            rss[name].append(kb)
    s_med = {k: statistics.median(v) * 1000 for k, v in shown.items()}
    r_med = {k: statistics.median(v) * 1000 for k, v in ready.items()}
    m = {k: max(v) / 1024 for k, v in rss.items()}
    ratio = s_med["ours"] / s_med["floor"]
    print(f"{'':30}{'main window':>12}{'bare QMainWindow':>18}{'ratio':>8}")
    print(f"{'window shown, median (ms)':30}{s_med['ours']:>12.0f}{s_med['floor']:>18.0f}{ratio:>8.2f}")
    print(f"{'data in, median (ms)':30}{r_med['ours']:>12.0f}{r_med['floor']:>18.0f}"
          f"{r_med['ours'] / r_med['floor']:>8.2f}")
    print(f"{'peak memory (MB)':30}{m['ours']:>12.0f}{m['floor']:>18.0f}{m['ours'] / m['floor']:>8.2f}")
    verdict = "OK" if ratio <= BUDGET else "OVER"
    aim = " (within the aim)" if ratio <= AIM else f" (aim {AIM}×)"
    print(f"budget: window shown ≤ {BUDGET}× bare window: {verdict}{aim if ratio <= BUDGET else ''}")
    print("(\"data in\" is reported, not budgeted: it includes opening the 10,000-document library)")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
