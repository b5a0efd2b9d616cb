"""Search on a generated 10,000-document library (~100 MB of text), held against its floors
in the same run (DESIGN §11):

- in process, p50/p95: the same FTS5 statements through plain sqlite3 (budget ≤ 1.3×), and
  recoll with abstracts on the same documents, through its own Python module (ours must be
  faster); the one-statement form that cut a snippet for every match is printed for reference;
- whole process, as a user meets it: the installed ``idm-desktop search`` against a bare
  ``python3`` running the FTS5 query on the same file (budget ≤ 3×) and ``recollq -A``;
- ``--grow N``: the same in-process p95 on a second library of N documents (budget: p95 grows
  by less than 1.5× from 10,000 to 50,000);
- ``--profile``: where the time goes, for each library: the slowest queries, the form that
  answered (every word, or any word when no document holds them all), how many documents
  match it, and the time of the ranking (bm25 over every match) apart from the snippets of
  the best 20.

The 60 queries are the same for every library size, whether it is built in this run or reused.

recollindex, recollq and python3-recoll are Debian's (``scripts/bootstrap --system-tools``).
Run: .venv/bin/python tests/bench/bench_search.py [--docs N] [--keep DIR] [--grow N] [--profile]
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from idm_desktop.core.documents import DocumentKind
from idm_desktop.core.search_query import to_fts
from idm_desktop.storage import documents, search
from idm_desktop.storage.database import open_database
from idm_desktop.storage.fts import DOCS_RANK_SQL as _DOCS_RANK_SQL
from idm_desktop.storage.fts import DOCS_SQL as _DOCS_SQL
from idm_desktop.storage.fts import SUBS_SQL as _SUBS_SQL

BUDGET = 1.3
PROCESS_BUDGET = 3.0
GROWTH_BUDGET = 1.5
ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"  # the one python3-recoll installs its module for
# What a search page did before ranking came first: a snippet cut for every match.
ONE_STATEMENT = (
    "SELECT d.id, d.title, d.symbol, snippet(documents_fts, 2, '[', ']', '…', 24), "
    "bm25(documents_fts, 10.0, 5.0, 1.0) AS score FROM documents_fts "
    "JOIN documents d ON d.pk = documents_fts.rowid WHERE documents_fts MATCH :q "
    "ORDER BY score LIMIT :limit")
# A bare process: Python, sqlite3 and the FTS5 query with snippets, printing the rows.
BARE = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for row in con.execute(
        "SELECT d.id, d.title, snippet(documents_fts, 2, '[', ']', '…', 24) FROM documents_fts "
        "JOIN documents d ON d.pk = documents_fts.rowid WHERE documents_fts MATCH ? "
        "ORDER BY bm25(documents_fts, 10.0, 5.0, 1.0) LIMIT 20", (sys.argv[2],)):
    print(*row)
"""
SYLLABLES = ["mi", "gra", "tion", "po", "li", "cy", "de", "ve", "lop", "ment", "he", "al", "th",
             "wor", "ker", "in", "te", "ra", "ci", "on", "so", "ci", "e", "ty", "la", "bour",
             "re", "mit", "tan", "ce", "bor", "der", "ca", "pa", "ci", "ty", "part", "ner"]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def bench_queries() -> list[str]:
    """One to three words of middling frequency, as people search; the same for every size."""
    rng = random.Random(2006)
    vocab = vocabulary(rng, 20_000)
    return [" ".join(rng.sample(vocab[50:3000], rng.randint(1, 3))) for _ in range(60)]


def make_library(folder: Path, n_docs: int, doc_chars: int) -> tuple[Path, list[str]]:
    rng = random.Random(2006)
    vocab = vocabulary(rng, 20_000)
    weights = [1.0 / (i + 1) for i in range(len(vocab))]  # Zipf-like, as real text is
    db = open_database(folder / "library.sqlite3")
    now = dt.datetime.now(dt.UTC)
    batch = 500
    for start in range(0, n_docs, batch):
        with db.session() as s:
            for i in range(start, min(start + batch, n_docs)):
                words: list[str] = []
                length = 0
                while length < doc_chars:
                    chunk = rng.choices(vocab, weights, k=200)
                    words += chunk
                    length += sum(len(w) + 1 for w in chunk)
                body = " ".join(words)[:doc_chars]
                documents.add_document(s, documents.NewDocument(
                    symbol=f"GEN/{i}", title=" ".join(rng.choices(vocab, weights, k=6)),
                    workshop_id=None, kind=DocumentKind.OTHER, language="en",
                    sha256=hashlib.sha256(str(i).encode()).hexdigest(), size=len(body),
                    mime="text/plain", filename=f"{i}.txt", page_count=4, text=body), now)
        print(f"  generated {min(start + batch, n_docs)}/{n_docs} documents", end="\r", flush=True)
    print()
    db.close()
    return folder / "library.sqlite3", bench_queries()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def require_recoll() -> None:
    missing = [tool for tool in ("recollindex", "recollq") if shutil.which(tool) is None]
    if missing or not Path(SYSTEM_PYTHON).exists() or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import recoll.recoll"], capture_output=True).returncode:
        sys.exit("bench_search: recoll is missing (recollcmd, python3-recoll): "
                 "run scripts/bootstrap --system-tools")


def recoll_index(folder: Path, path: Path) -> tuple[Path, float, int]:
    """The library's documents as text files, indexed by recollindex: (confdir, seconds, files)."""
    corpus, confdir = folder / "corpus", folder / "recoll"
    if not (confdir / "xapiandb").exists():
        corpus.mkdir(exist_ok=True)
        with sqlite3.connect(path) as con:
            for pk, title, body in con.execute("SELECT pk, title, text FROM documents"):
                (corpus / f"{pk}.txt").write_text(f"{title}\n\n{body}", encoding="utf-8")
        confdir.mkdir(exist_ok=True)
        (confdir / "recoll.conf").write_text(f"topdirs = {corpus}\nnoaspell = 1\nloglevel = 1\n")
    files = sum(1 for _ in corpus.iterdir())
    start = time.perf_counter()
    subprocess.run(["recollindex", "-c", str(confdir), "-z"], check=True, capture_output=True)
    return confdir, time.perf_counter() - start, files


def recoll_times(confdir: Path, queries: list[str], limit: int, rounds: int) -> list[float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(queries, f)
    try:
        done = subprocess.run(
            [SYSTEM_PYTHON, str(ROOT / "tests/bench/recoll_query.py"), str(confdir), f.name,
             str(limit), str(rounds)], check=True, capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    return list(json.loads(done.stdout))


def process_times(commands: dict[str, list[str]], rounds: int, env: dict[str, str]
                  ) -> dict[str, list[float]]:
    """Whole processes, started alternately, each timed from exec to exit."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _round in range(rounds):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - start)
    return times


def in_process(path: Path, queries: list[str], rounds: int, limit: int = 20
               ) -> dict[str, list[float]]:
    db = open_database(path)
    raw = sqlite3.connect(path)
    docs_sql, subs_sql = _DOCS_SQL, _SUBS_SQL

    def ours(q: str) -> int:
        with db.session() as s:
            return len(search.search(s, q, limit))

    def run_raw(q: str, first: str, second: str) -> int:
        fts = to_fts(q)
        rows = raw.execute(first, {"q": fts.all_terms, "limit": limit}).fetchall()
        rows += raw.execute(second, {"q": fts.all_terms, "limit": limit}).fetchall()
        if not rows and fts.any_term:
            rows = raw.execute(first, {"q": fts.any_term, "limit": limit}).fetchall()
            rows += raw.execute(second, {"q": fts.any_term, "limit": limit}).fetchall()
        return len(rows[:limit])

    def floor(q: str) -> int:
        # The same FTS5 statements our search runs, straight through sqlite3.
        return run_raw(q, docs_sql, subs_sql)

    def one_statement(q: str) -> int:
        return run_raw(q, ONE_STATEMENT, subs_sql)

    for q in queries:  # warm both caches the same way
        assert ours(q) == floor(q), q
    runs = (("floor", floor), ("ours", ours), ("one statement", one_statement))
    times: dict[str, list[float]] = {name: [] for name, _fn in runs}
    for _round in range(rounds):
        for q in queries:
            for name, fn in runs:
                start = time.perf_counter()
                fn(q)
                times[name].append(time.perf_counter() - start)
    db.close()
    raw.close()
    return times


def ensure_library(folder: Path, docs: int, chars: int) -> tuple[Path, list[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "library.sqlite3"
    t0 = time.perf_counter()
    if not path.exists():
        path, queries = make_library(folder, docs, chars)
    else:
        queries = bench_queries()
    print(f"library: {docs} documents, {path.stat().st_size / 1e6:.0f} MB "
          f"(ready in {time.perf_counter() - t0:.0f} s)")
    return path, queries


def profile(path: Path, queries: list[str], rounds: int, limit: int = 20, slowest: int = 6) -> None:
    """The slowest queries through plain sqlite3 (medians of ``rounds``), split into ranking and
    snippets, with the form that answered and its number of matches."""
    con = sqlite3.connect(path)
    count_sql = "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH :q"

    def median_ms(sql: str, params: dict[str, object]) -> float:
        times = []
        for _round in range(rounds):
            start = time.perf_counter()
            con.execute(sql, params).fetchall()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    lines = []
    for q in queries:
        fts = to_fts(q)
        params: dict[str, object] = {"q": fts.all_terms, "limit": limit}
        whole, ranking, form = median_ms(_DOCS_SQL, params), median_ms(_DOCS_RANK_SQL, params), "all"
        if not con.execute(_DOCS_RANK_SQL, params).fetchone() and fts.any_term:
            params = {"q": fts.any_term, "limit": limit}
            whole += median_ms(_DOCS_SQL, params)
            ranking += median_ms(_DOCS_RANK_SQL, params)
            form = "any"
        matches = con.execute(count_sql, params).fetchone()[0]
        lines.append((whole, q, form, matches, ranking))
    con.close()
    lines.sort(reverse=True)
    print(f"  {'slowest queries':36}{'words':>6}{'matches':>9}{'ranking':>9}{'snippets':>10}{'whole':>8}")
    for whole, q, form, matches, ranking in lines[:slowest]:
        print(f"  {q[:36]:36}{form:>6}{matches:>9,}{ranking:>7.1f}ms{whole - ranking:>8.1f}ms"
              f"{whole:>6.1f}ms")
    fallbacks = sum(1 for line in lines if line[2] == "any")
    print(f"  {fallbacks} of {len(lines)} queries fell back to any word")


def row(label: str, ours: float, floor: float, unit: str = "ms") -> None:
    print(f"{label:46}{ours:>10.1f}{floor:>10.1f} {unit}{ours / floor:>8.2f}×")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the library in this folder")
    parser.add_argument("--grow", type=int, metavar="N", help="also measure a library of N documents")
    parser.add_argument("--profile", action="store_true",
                        help="print the slowest queries with their matches, ranking and snippet times")
    args = parser.parse_args()
    # Compiled to bytecode first, as an installed program is: a module edited since the last run
    # (or PYTHONDONTWRITEBYTECODE) would be compiled from source at each timed start.
    compileall.compile_dir(Path(__file__).resolve().parents[2] / "idm_desktop", quiet=1)
    require_recoll()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="idm-bench-search-"))
    path, queries = ensure_library(folder, args.docs, args.chars)
    confdir, index_s, files = recoll_index(folder, path)
    print(f"recollindex: {files} files in {index_s:.0f} s ({files / index_s:.0f} documents/s)")

    ok = True
    times = in_process(path, queries, args.rounds)
    times["recoll"] = recoll_times(confdir, queries, 20, args.rounds)
    p50 = {k: statistics.median(v) * 1000 for k, v in times.items()}
    p95 = {k: percentile(v, 95) * 1000 for k, v in times.items()}
    print(f"{'in process, 20 hits with snippets':46}{'ours':>10}{'floor':>10}{'ratio':>11}")
    row("p50 vs the same FTS5 statements (sqlite3)", p50["ours"], p50["floor"])
    row("p95 vs the same FTS5 statements (sqlite3)", p95["ours"], p95["floor"])
    row("p50 vs recoll with abstracts", p50["ours"], p50["recoll"])
    row("p95 vs recoll with abstracts", p95["ours"], p95["recoll"])
    row("p95 of a snippet for every match (reference)", p95["one statement"], p95["floor"])
    ratio = p95["ours"] / p95["floor"]
    print(f"budget p95 ≤ {BUDGET}× raw: {'OK' if ratio <= BUDGET else 'OVER'}; "
          f"faster than recoll: {'OK' if p95['ours'] < p95['recoll'] else 'NO'}")
    ok &= ratio <= BUDGET and p95["ours"] < p95["recoll"]
    if args.profile:
        profile(path, queries, args.rounds)

    # Whole processes, as a user meets them: the installed command against bare python3.
    command = shutil.which("idm-desktop", path=str(Path(sys.executable).parent))
    if command is None:
        sys.exit("bench_search: the idm-desktop command is not installed in this environment")
    word = queries[0].split()[0]
    env = dict(os.environ, IDM_DESKTOP_HOME=str(folder))
    whole = process_times({
        "bare": [SYSTEM_PYTHON, "-c", BARE, str(path), word],
        "ours": [command, "search", word, "--limit", "20"],
        "recollq": ["recollq", "-c", str(confdir), "-A", "-n", "20", word],
    }, max(5, args.rounds * 2), env)
    med = {k: statistics.median(v) * 1000 for k, v in whole.items()}
    print(f"{'whole process, exec to exit (median)':46}{'ours':>10}{'floor':>10}{'ratio':>11}")
    row("idm-desktop search vs bare python3 + FTS5", med["ours"], med["bare"])
    row("idm-desktop search vs recollq -A", med["ours"], med["recollq"])
    process_ratio = med["ours"] / med["bare"]
    print(f"budget ≤ {PROCESS_BUDGET}× bare: {'OK' if process_ratio <= PROCESS_BUDGET else 'OVER'}")
    ok &= process_ratio <= PROCESS_BUDGET

    if args.grow:
        big_path, big_queries = ensure_library(folder / f"grow-{args.grow}", args.grow, args.chars)
        big = in_process(big_path, big_queries, args.rounds)
        small_p95 = p95["ours"]
        big_p95 = percentile(big["ours"], 95) * 1000
        growth = big_p95 / small_p95
        big_floor = percentile(big["floor"], 95) * 1000
        row(f"p95 at {args.grow:,}, the same FTS5 statements", big_p95, big_floor)
        row(f"p95 at {args.grow:,} vs {args.docs:,} documents", big_p95, small_p95)
        row(f"floor's p95 at {args.grow:,} vs {args.docs:,} documents", big_floor, p95["floor"])
        print(f"budget growth < {GROWTH_BUDGET}×: {'OK' if growth < GROWTH_BUDGET else 'OVER'}")
        if args.profile:
            profile(big_path, big_queries, args.rounds)
        ok &= growth < GROWTH_BUDGET
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
