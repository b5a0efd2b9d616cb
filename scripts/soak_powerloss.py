"""Copies taken during bursts of saves, counted (scripts/soak-powerloss).

The same as tests/storage/test_powerloss_copies.py, many more times: each burst is a new child
process saving as fast as it can into one library; at random instants it is frozen, the library's
``library.sqlite3`` and ``-wal`` are copied as they are on disk, and it goes on. Each copy is
opened as the next start would and counted:

- **torn**: the copy does not open, or fails ``PRAGMA integrity_check``;
- **lost**: a save that had returned before the copy was taken is not in the copy.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.storage.test_powerloss_copies import check_copy, new_library, take_copies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=1000, help="copies to take in all")
    parser.add_argument("--per-burst", type=int, default=50, help="copies taken during one burst")
    parser.add_argument("--seed", type=int, default=20061213)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = time.monotonic()
    figures = {"bursts": 0, "copies": 0, "opened": 0, "integrity_ok": 0, "torn": 0, "lost": 0,
               "largest_save": 0}
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="idm-soak-powerloss-") as tmp:
        while figures["copies"] < args.copies:
            # A library of its own for each burst: the child numbers its saves from 1.
            home = Path(tmp) / f"home-{figures['bursts']}"
            sid = new_library(home)
            n = min(args.per_burst, args.copies - figures["copies"])
            out = Path(tmp) / f"burst-{figures['bursts']}"
            copies = take_copies(home, sid, n, rng, out)
            figures["bursts"] += 1
            for copy in copies:
                figures["copies"] += 1
                verdict = check_copy(copy, sid)
                figures["opened"] += verdict.opens
                figures["integrity_ok"] += verdict.integrity
                figures["largest_save"] = max(figures["largest_save"], copy.returned)
                if not verdict.opens or not verdict.integrity:
                    figures["torn"] += 1
                    problems.append(f"{out.name}/{copy.home.name}: torn ({verdict})")
                elif verdict.saved < copy.returned:
                    figures["lost"] += 1
                    problems.append(f"{out.name}/{copy.home.name}: save {copy.returned} returned, "
                                    f"the copy holds {verdict.saved}")
            shutil.rmtree(out)
            shutil.rmtree(home)
    f = figures
    print(f"copies during saves: bursts {f['bursts']}, copies {f['copies']}, opened {f['opened']}, "
          f"integrity_check ok {f['integrity_ok']}/{f['copies']}, torn {f['torn']}, lost {f['lost']} "
          f"(up to {f['largest_save']} saves returned in a burst)")
    print(f"{time.monotonic() - start:.0f} s")
    print(json.dumps(figures))
    for problem in problems:
        print("problem:", problem)
    return 1 if f["torn"] or f["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
