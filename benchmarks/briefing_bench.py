"""Benchmark: export of a six-chart briefing (16:9 slide PNG and A4 PDF) with a warm renderer.

The six charts are the ones the app draws: the Overview and Violence pages run in AppTest on the
default data, and the briefing takes the first six charts they drew, as the Briefing page does. Each
run starts from an empty image cache, so every chart is rendered again. Target: under 5 s a briefing.

    python -m benchmarks.briefing_bench --runs 5
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0
PAGES = ("app_pages/violence.py",)  # after the Overview, which the app opens first


def view_charts_from_app(db_file: Path, query: dict | None = None):
    """Run the app in AppTest (Overview, then Violence) with ``query`` as the URL and return the charts
    it drew, as view_charts keeps them for the Briefing page."""
    from streamlit.testing.v1 import AppTest

    from dashboard import view_charts

    previous = os.environ.get("OBSERVATORY_DB")
    os.environ["OBSERVATORY_DB"] = str(db_file)
    try:
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
        at.query_params = dict(query or {})
        at.run()
        for page in PAGES:
            at.switch_page(page).run()
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
        return sorted(at.session_state[view_charts._CHARTS].values(), key=lambda c: c.order)
    finally:
        if previous is None:
            os.environ.pop("OBSERVATORY_DB", None)
        else:
            os.environ["OBSERVATORY_DB"] = previous


def six_chart_briefing(db_file: Path, permalink: str = "http://127.0.0.1:8501/violence"):
    """The briefing the benchmark exports: findings from the default data, the first six charts drawn."""
    from dashboard import briefing, db
    from dashboard.filters import Filters

    drawn = view_charts_from_app(db_file)[: briefing.MAX_CHARTS]
    con = db.connect(db_file)  # read-write, like the app's cached connection in this process
    try:
        query = functools.partial(db.run, con)
        catalog = query("datasets_catalog")
        filters = Filters()
        return briefing.make_briefing(
            title="Militant violence and platform enforcement", note="Benchmark briefing.",
            filters_text=filters.describe(), findings=briefing.gather_findings(query, filters, catalog),
            charts=[briefing.BriefingChart(c.key, c.figure, c.text, c.page, c.link) for c in drawn],
            catalog=catalog, data_version=db.data_version(con), permalink=permalink,
        )
    finally:
        con.close()


def measure(the_briefing, runs: int) -> dict[str, float]:
    """Seconds to start the renderer, then per export of the slide and the PDF with a warm renderer."""
    from dashboard import briefing_render, export

    start = time.perf_counter()
    export.renderer()
    started = time.perf_counter() - start
    briefing_render.export_briefing(the_briefing)  # warm-up: Chromium's first page load
    times = []
    for _ in range(runs):
        export._cache.clear()
        start = time.perf_counter()
        briefing_render.export_briefing(the_briefing)
        times.append(time.perf_counter() - start)
    return {"renderer_start": started, "median": statistics.median(times), "max": max(times),
            "charts": len(the_briefing.charts), "runs": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=ROOT / "artifacts" / "bench" / "briefing.duckdb",
                        help="built from the shipped data if missing")
    args = parser.parse_args(argv)
    from dashboard.warehouse import ensure_database

    args.db.parent.mkdir(parents=True, exist_ok=True)
    result = measure(six_chart_briefing(ensure_database(args.db)), args.runs)
    print(f"renderer start (once per process): {result['renderer_start']:.2f} s")
    print(f"six-chart briefing, slide PNG + A4 PDF, warm renderer: median {result['median']:.2f} s, "
          f"max {result['max']:.2f} s over {result['runs']} runs ({result['charts']} charts; target < {TARGET_SECONDS:.0f} s)")
    return 0 if result["max"] < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
