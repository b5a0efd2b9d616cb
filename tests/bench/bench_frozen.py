"""The built desktop program: its size on disk, and its start against the unfrozen program's
(DESIGN §11: frozen start ≤ 1.5× unfrozen; packaging: bundle ≤ 160 MB).

Size: the disk space dist/idm-desktop/ takes (what ``du`` counts; 1 MB = 10^6 bytes).
Start, two ways, each from start to exit of a fresh process on the same library: the command
line (``idm-desktop workshops --json``) and the window (opened offscreen and closed as soon as it
is shown: ``IDM_DESKTOP_QUIT_AFTER_MS=0``). The built program (dist/idm-desktop/idm-desktop)
and the checkout's (.venv/bin/idm-desktop) alternate, several rounds; the medians are compared.

Builds the program first when dist/idm-desktop/ is missing (or with --build).
Run: .venv/bin/python tests/bench/bench_frozen.py [--rounds N] [--build]
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
BUNDLE = ROOT / "dist" / "idm-desktop"
FROZEN = BUNDLE / "idm-desktop"
UNFROZEN = ROOT / ".venv" / "bin" / "idm-desktop"
SIZE_BUDGET_MB = 160
START_BUDGET = 1.5


def disk_usage(folder: Path) -> int:
    """Bytes of disk the folder takes, as ``du`` counts them (blocks; links not followed)."""
    total = 0
    for path in [folder, *folder.rglob("*")]:
        total += path.lstat().st_blocks * 512
    return total


def timed_start(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    res = subprocess.run(command, env=env, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        sys.stderr.write(res.stderr.decode(errors="replace"))
        raise SystemExit(f"bench_frozen: {command[0]} failed (exit {res.returncode})")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--build", action="store_true", help="build the program first")
    args = parser.parse_args()
    if args.build or not FROZEN.is_file():
        print("building dist/idm-desktop/ (packaging/build.sh)", flush=True)
        subprocess.run([str(ROOT / "packaging" / "build.sh")], check=True, stdout=subprocess.DEVNULL)

    size = disk_usage(BUNDLE)
    files = sum(1 for p in BUNDLE.rglob("*") if p.is_file())

    with tempfile.TemporaryDirectory(prefix="idm-bench-frozen-") as tmp:
        env = dict(os.environ, IDM_DESKTOP_HOME=str(Path(tmp) / "home"), QT_QPA_PLATFORM="offscreen",
                   IDM_DESKTOP_QUIT_AFTER_MS="0")
        cases = {"command line, workshops --json": ["workshops", "--json"],
                 "window opened and closed": []}
        programs = {"frozen": str(FROZEN), "unfrozen": str(UNFROZEN)}
        for case_args in cases.values():  # the library's first start, a warm file cache for both
            for program in programs.values():
                timed_start([program, *case_args], env, Path(tmp))
        times: dict[tuple[str, str], list[float]] = {(c, n): [] for c in cases for n in programs}
        for _round in range(args.rounds):
            for case, case_args in cases.items():
                for name, program in programs.items():
                    times[case, name].append(timed_start([program, *case_args], env, Path(tmp)))

    size_mb = size / 1e6
    print(f"bundle: {BUNDLE.relative_to(ROOT)}/ — {files} files")
    print(f"{'start to exit, median (ms)':34}{'frozen':>10}{'unfrozen':>10}{'ratio':>8}{'budget':>9}")
    ok = True
    for case in cases:
        frozen = statistics.median(times[case, "frozen"]) * 1000
        unfrozen = statistics.median(times[case, "unfrozen"]) * 1000
        ratio = frozen / unfrozen
        ok &= ratio <= START_BUDGET
        print(f"{'  ' + case:34}{frozen:>10.0f}{unfrozen:>10.0f}{ratio:>8.2f}"
              f"{'≤ ' + str(START_BUDGET) + '×':>9}")
    ok_size = size_mb <= SIZE_BUDGET_MB
    print(f"{'bundle size on disk (MB)':34}{size_mb:>10.1f}{'':>18}{'≤ ' + str(SIZE_BUDGET_MB):>9}"
          f"   ({size / 2**20:.1f} MiB)")
    print(f"budget: start ≤ {START_BUDGET}× unfrozen: {'OK' if ok else 'OVER'}; "
          f"size ≤ {SIZE_BUDGET_MB} MB: {'OK' if ok_size else 'OVER'}")
    return 0 if ok and ok_size else 1


if __name__ == "__main__":
    sys.exit(main())
