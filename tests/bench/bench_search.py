"""Search p50/p95 on a generated 10,000-document library (~100 MB of text), against the raw
FTS5 query on the same file through plain sqlite3 (DESIGN §11: budget ≤ 1.3×).

Run: .venv/bin/python tests/bench/bench_search.py [--docs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from idm_desktop.core.documents import DocumentKind
from idm_desktop.core.search_query import to_fts
from idm_desktop.storage import documents, search
from idm_desktop.storage.database import open_database
from idm_desktop.storage.search import _DOCS_SQL, _SUBS_SQL

BUDGET = 1.3
SYLLABLES = ["mi", "gra", "tion", "po", "li", "cy", "de", "ve", "lop", "ment", "he", "al", "th",
             "wor", "ker", "in", "te", "ra", "ci", "on", "so", "ci", "e", "ty", "la", "bour",
             "re", "mit", "tan", "ce", "bor", "der", "ca", "pa", "ci", "ty", "part", "ner"]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


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
    # Queries: one to three words of middling frequency, as people search.
    queries = [" ".join(rng.sample(vocab[50:3000], rng.randint(1, 3))) for _ in range(60)]
    return folder / "library.sqlite3", queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="idm-bench-search-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "library.sqlite3"
    t0 = time.perf_counter()
    if not path.exists():
        path, queries = make_library(folder, args.docs, args.chars)
    else:
        _path, queries = make_library(Path(tempfile.mkdtemp()), 0, 0)
    print(f"library: {args.docs} documents, {path.stat().st_size / 1e6:.0f} MB "
          f"(built in {time.perf_counter() - t0:.0f} s)")

    db = open_database(path)
    raw = sqlite3.connect(path)
    limit = 20
    docs_sql, subs_sql = str(_DOCS_SQL), str(_SUBS_SQL)

    def ours(q: str) -> int:
        with db.session() as s:
            return len(search.search(s, q, limit))

    def floor(q: str) -> int:
        # The same FTS5 statements our search runs, straight through sqlite3.
        fts = to_fts(q)
        rows = raw.execute(docs_sql, {"q": fts.all_terms, "limit": limit}).fetchall()
        rows += raw.execute(subs_sql, {"q": fts.all_terms, "limit": limit}).fetchall()
        if not rows and fts.any_term:
            rows = raw.execute(docs_sql, {"q": fts.any_term, "limit": limit}).fetchall()
            rows += raw.execute(subs_sql, {"q": fts.any_term, "limit": limit}).fetchall()
        return len(rows[:limit])

    for q in queries:  # warm both caches the same way
        assert ours(q) == floor(q), q
    times: dict[str, list[float]] = {"ours": [], "floor": []}
    for _round in range(args.rounds):
        for q in queries:
            for name, fn in (("floor", floor), ("ours", ours)):
                start = time.perf_counter()
                fn(q)
                times[name].append(time.perf_counter() - start)
    p50 = {k: statistics.median(v) * 1000 for k, v in times.items()}
    p95 = {k: percentile(v, 95) * 1000 for k, v in times.items()}
    ratio = p95["ours"] / p95["floor"]
    print(f"{'':14}{'search':>12}{'raw FTS5':>12}{'ratio':>8}")
    print(f"{'p50 (ms)':14}{p50['ours']:>12.2f}{p50['floor']:>12.2f}{p50['ours'] / p50['floor']:>8.2f}")
    print(f"{'p95 (ms)':14}{p95['ours']:>12.2f}{p95['floor']:>12.2f}{ratio:>8.2f}")
    print(f"budget p95 ≤ {BUDGET}× raw: {'OK' if ratio <= BUDGET else 'OVER'}")
    db.close()
    raw.close()
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
