"""Recoll's in-process query time with abstracts, the floor bench_search.py holds ours against.

Run by bench_search.py with Debian's python3 (the recoll module is python3-recoll's):
  /usr/bin/python3 tests/bench/recoll_query.py CONFDIR QUERIES.json LIMIT ROUNDS
Prints the list of per-query times in seconds as JSON.
"""

import json
import sys
import time

from recoll import recoll  # type: ignore[import-not-found]


def main() -> None:
    confdir, queries_file, limit, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(queries_file, encoding="utf-8") as f:
        queries = json.load(f)
    db = recoll.connect(confdir=confdir)

    def one(text: str) -> int:
        # The best `limit` documents with an abstract each, as a search page shows them.
        query = db.query()
        found = query.execute(text)
        for _ in range(min(limit, found)):
            query.makedocabstract(query.fetchone())
        return found

    for text in queries:  # warm the caches, as the other side is warmed
        one(text)
    times = []
    for _ in range(rounds):
        for text in queries:
            start = time.perf_counter()
            one(text)
            times.append(time.perf_counter() - start)
    print(json.dumps(times))


if __name__ == "__main__":
    main()
