"""Importing text documents, as a user meets it: the installed ``idm-desktop docs import`` (whole
process, a fresh library) against ``recollindex`` indexing the same files from scratch, in the
same run (DESIGN §11: at least recollindex's documents per second).

Ours does more per file than recoll: the original is kept in the library (written, flushed to
disk, renamed), the text is read in a separate reader process, and the library's transaction
is flushed to disk before a file is reported imported (a kill never loses one that was).

recollindex is Debian's (``scripts/bootstrap --system-tools``).
Run: .venv/bin/python tests/bench/bench_import.py [--docs N] [--rounds N]
"""

from __future__ import annotations

import argparse
import compileall
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import vocabulary  # the same generated text as the search bench

BUDGET = 1.0


def make_corpus(folder: Path, n_docs: int, chars: int) -> list[Path]:
    rng = random.Random(2006)
    vocab = vocabulary(rng, 20_000)
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n_docs):
        words: list[str] = []
        length = 0
        while length < chars:
            chunk = rng.choices(vocab, weights, k=200)
            words += chunk
            length += sum(len(w) + 1 for w in chunk)
        title = " ".join(rng.choices(vocab, weights, k=6))
        path = folder / f"GEN-{i}.en.txt"
        path.write_text(f"{title}\n\n{' '.join(words)[:chars]}\n", encoding="utf-8")
        files.append(path)
    return files


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2_000)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    # Compiled to bytecode first, as an installed program is: a module edited since the last run
    # (or PYTHONDONTWRITEBYTECODE) would be compiled from source at each timed start.
    compileall.compile_dir(Path(__file__).resolve().parents[2] / "idm_desktop", quiet=1)
    command = shutil.which("idm-desktop", path=str(Path(sys.executable).parent))
    if command is None or shutil.which("recollindex") is None:
        sys.exit("bench_import: needs the installed idm-desktop command and recollindex "
                 "(scripts/bootstrap --system-tools)")
    work = Path(tempfile.mkdtemp(prefix="idm-bench-import-"))
    try:
        files = make_corpus(work / "corpus", args.docs, args.chars)
        size = sum(f.stat().st_size for f in files)
        print(f"corpus: {len(files)} text files, {size / 1e6:.0f} MB")
        times: dict[str, list[float]] = {"ours": [], "recollindex": []}
        for round_ in range(args.rounds):  # alternating, each from an empty library / index
            home, confdir = work / f"home-{round_}", work / f"recoll-{round_}"
            confdir.mkdir()
            (confdir / "recoll.conf").write_text(
                f"topdirs = {work / 'corpus'}\nnoaspell = 1\nloglevel = 1\n")
            start = time.perf_counter()
            subprocess.run(["recollindex", "-c", str(confdir), "-z"], check=True,
                           capture_output=True)
            times["recollindex"].append(time.perf_counter() - start)
            start = time.perf_counter()
            done = subprocess.run([command, "--home", str(home), "docs", "import", "--json",
                                   *map(str, files)], check=True, capture_output=True, text=True)
            times["ours"].append(time.perf_counter() - start)
            imported = len(json.loads(done.stdout)["imported"])
            assert imported == len(files), f"imported {imported} of {len(files)}"
        rate = {k: len(files) / statistics.median(v) for k, v in times.items()}
        ratio = rate["ours"] / rate["recollindex"]
        print(f"{'':38}{'documents/s':>12}")
        print(f"{'idm-desktop docs import (whole process)':38}{rate['ours']:>12.0f}")
        print(f"{'recollindex -z, same files':38}{rate['recollindex']:>12.0f}")
        print(f"ratio {ratio:.2f}× (budget ≥ {BUDGET}×): {'OK' if ratio >= BUDGET else 'UNDER'}")
        return 0 if ratio >= BUDGET else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
