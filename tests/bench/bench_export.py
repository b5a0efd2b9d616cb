"""PDF export of a three-page submission, against reportlab building the same flowables.

Run: ``.venv/bin/python tests/bench/bench_export.py [--repeat N]``. Budget (DESIGN §11):
our ``render_pdf`` takes at most 1.25 times the floor. Exits 1 when over budget.

The floor is what reportlab itself needs for this document: the flowables are built
beforehand with ``build_flowables`` (outside the clock), then one plain ``build`` into a
BytesIO of the same document template (``doc_template``: size, margins, metadata, embedded
fonts, compression, the running head on later pages) with reportlab's plain canvas. (The
template is a BaseDocTemplate rather than a SimpleDocTemplate only because the latter pads
its frame by 6 pt, which would move the text off the margins the DOCX shares.)

``render_pdf`` pays on top: turning the Markdown into flowables, and the footer's
"Page X of Y". The footer needs the page total, but not a second pass: our canvas holds the
finished pages and stamps them when the last one is laid out, so one build against one
build is the fair comparison. The "cold" line also clears the Markdown cache before each run,
for an export whose text has not been seen yet (the editor's gauge mostly re-renders sections
it has parsed already); it is shown for information.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from idm_desktop.export import build_flowables, count_pages, render_pdf  # noqa: E402
from idm_desktop.export.markup import parse  # noqa: E402
from idm_desktop.export.pdf import doc_template  # noqa: E402
from tests.export import export_samples as samples  # noqa: E402

BUDGET = 1.25


def _median_ms(samples_s: list[float]) -> float:
    return statistics.median(samples_s) * 1000


def _timed(run: Callable[[], object], prepare: Callable[[], object] | None = None) -> float:
    if prepare is not None:
        prepare()
    gc.collect()  # a collection triggered by the previous run should not land on this one
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=60, help="runs of each (median taken)")
    args = parser.parse_args()

    ctx = samples.context(
        "en", samples.three_page_body(), title="Integration policy: partnerships that work"
    )
    pages = render_pdf(ctx).page_count  # also warms fonts and styles, once per process
    if pages != 3:
        print(f"the sample should fill 3 pages, it fills {pages}", file=sys.stderr)
        return 2

    def floor_once() -> float:
        flowables = build_flowables(ctx)
        buf = io.BytesIO()

        def build() -> None:
            doc_template(ctx, buf).build(flowables)

        return _timed(build)

    ours: list[float] = []
    cold: list[float] = []
    floor: list[float] = []
    gauge: list[float] = []
    # Interleaved, so a change in machine load affects every figure alike.
    for _ in range(args.repeat):
        floor.append(floor_once())
        ours.append(_timed(lambda: render_pdf(ctx)))
        cold.append(_timed(lambda: render_pdf(ctx), prepare=parse.cache_clear))
        gauge.append(_timed(lambda: count_pages(ctx)))

    floor_ms, ours_ms, cold_ms = _median_ms(floor), _median_ms(ours), _median_ms(cold)
    ratio, cold_ratio = ours_ms / floor_ms, cold_ms / floor_ms
    print(f"PDF export, {pages}-page submission, median of {args.repeat} runs")
    print(f"  {'':34}{'ours':>9}{'floor':>9}{'ratio':>8}{'budget':>9}")
    print(
        f"  {'render_pdf':34}{ours_ms:8.1f}ms{floor_ms:7.1f}ms{ratio:7.2f}x{BUDGET:8.2f}x"
    )
    print(
        f"  {'render_pdf, Markdown not cached':34}{cold_ms:8.1f}ms{floor_ms:7.1f}ms"
        f"{cold_ratio:7.2f}x{'(info)':>9}"
    )
    print(f"  {'count_pages (the editor gauge)':34}{_median_ms(gauge):8.1f}ms")
    if ratio > BUDGET:
        print(f"OVER BUDGET: {ratio:.2f}x > {BUDGET:.2f}x", file=sys.stderr)
        return 1
    print("within budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
