"""The read-only commands of ``idm-desktop`` as a user meets them (DESIGN §11): whole processes
started from the installed command on a 10,000-document library, each held against a bare
``python3`` running an FTS5 query with snippets on the same file, in the same run (budget ≤ 3×).

The commands and the bare process run in turn, round after round; each figure is the median of
its rounds. The ratio is taken on CPU time (user + system, from ``getrusage`` of the children):
on a busy machine wall times swing with what else runs, CPU time much less. Wall times are
printed beside it.

The library is the one ``bench_search.py`` builds (``--keep DIR`` reuses it); a submission in
review, its request for review still in the outbox, is added for ``submission show``.
Run: .venv/bin/python tests/bench/bench_cli.py [--docs N] [--keep DIR] [--rounds N]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 3.0


def run(argv: list[str], env: dict[str, str], check: bool = True) -> str:
    return subprocess.run(argv, check=check, capture_output=True, text=True, env=env).stdout


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """One whole process, exec to exit: (CPU seconds, wall seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def prepare(folder: Path, docs: int, chars: int, command: str, env: dict[str, str]) -> tuple[Path, str, str]:
    """The library (built when missing), opened once the full way, with a submission in review:
    (file, a word to search, the submission's id)."""
    sys.path.insert(0, str(ROOT))
    from tests.bench.bench_search import ensure_library

    path, queries = ensure_library(folder, docs, chars)
    run([command, "workshops"], env)  # brings the file up to date (catalog, migrations), untimed
    subs = json.loads(run([command, "submission", "list", "--json"], env))["submissions"]
    if subs:
        sub_id = subs[0]["id"]
    else:
        sub_id = run([command, "submission", "new", "--workshop", "idm2006-integration", "--country",
                      "MEX", "--language", "es"], env).strip()
        run([command, "submission", "edit", sub_id, "national_context", "--text",
             "Nuestro contexto nacional: " + " ".join(queries[:40])], env)
        run([command, "submission", "request-review", sub_id], env)  # waits in the outbox
    return path, queries[0].split()[0], sub_id


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the library in this folder")
    args = parser.parse_args()
    # Compiled to bytecode first, as an installed program is: a module edited since the last run
    # (or PYTHONDONTWRITEBYTECODE) would be compiled from source at each timed start.
    compileall.compile_dir(Path(__file__).resolve().parents[2] / "idm_desktop", quiet=1)
    command = shutil.which("idm-desktop", path=str(Path(sys.executable).parent))
    if command is None:
        sys.exit("bench_cli: the idm-desktop command is not installed in this environment")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="idm-bench-cli-"))
    env = dict(os.environ, IDM_DESKTOP_HOME=str(folder))
    # As an installed program runs: with its modules compiled (the untimed first runs write them).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    path, word, sub_id = prepare(folder, args.docs, args.chars, command, env)

    commands = {
        "search": [command, "search", word, "--limit", "20"],
        "status": [command, "status"],
        "workshops": [command, "workshops"],
        "docs list": [command, "docs", "list"],
        "submission show": [command, "submission", "show", sub_id],
    }
    from tests.bench.bench_search import BARE  # the floor: the same bare FTS5 process as search's

    bare = [sys.executable, "-c", BARE, str(path), word]
    cpu: dict[str, list[float]] = {name: [] for name in ("bare", *commands)}
    wall: dict[str, list[float]] = {name: [] for name in cpu}
    for argv in (bare, *commands.values()):  # warm the file cache once, untimed
        timed(argv, env)
    for _round in range(args.rounds):
        for name, argv in commands.items():  # each command right after a bare process
            for who, line in (("bare", bare), (name, argv)):
                c, w = timed(line, env)
                cpu[who].append(c)
                wall[who].append(w)

    med_cpu = {k: statistics.median(v) * 1000 for k, v in cpu.items()}
    med_wall = {k: statistics.median(v) * 1000 for k, v in wall.items()}
    floor = med_cpu["bare"]
    print(f"whole processes, median of {args.rounds} rounds; floor: bare python3 + FTS5 query "
          f"{floor:.0f} ms CPU ({med_wall['bare']:.0f} ms wall)")
    print(f"{'idm-desktop …':22}{'CPU ms':>9}{'floor':>8}{'ratio':>8}{'wall ms':>10}  budget ≤ {BUDGET}×")
    ok = True
    for name in commands:
        ratio = med_cpu[name] / floor
        ok &= ratio <= BUDGET
        print(f"{name:22}{med_cpu[name]:>9.0f}{floor:>8.0f}{ratio:>7.2f}×{med_wall[name]:>10.0f}  "
              f"{'OK' if ratio <= BUDGET else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
