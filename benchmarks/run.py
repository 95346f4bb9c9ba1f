"""The benchmark: page latency, figure size, memory and ingestion at 100k, 1M and 10M incidents, side by
side with a pandas baseline. ``make bench`` runs it and writes benchmarks/RESULTS.md.

Each size runs in its own process so peak memory (RSS) is that size's alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "artifacts" / "bench"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SIZES = (100_000, 1_000_000, 10_000_000)
COMPLAINTS = 1_000_000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def replay(db_path: Path, calls: list[tuple[str, dict]], runs: int, cold: bool) -> list[float]:
    """Seconds per page run: every recorded query once, in order, through the query layer."""
    from dashboard import db

    times = []
    con = None if cold else db.connect(db_path, read_only=True)
    if con is not None:
        for name, params in calls:  # warm-up: fill DuckDB's buffers
            db.run(con, name, **params)
    for _ in range(runs):
        connection = db.connect(db_path, read_only=True) if cold else con
        start = time.perf_counter()
        for name, params in calls:
            db.run(connection, name, **params)
        times.append(time.perf_counter() - start)
        if cold:
            connection.close()
    if con is not None:
        con.close()
    return times


def capture_pages(db_path: str, queue) -> None:
    """Child process: one AppTest run of each page, recording its queries and figure sizes."""
    from benchmarks.pages import filter_change, page_files, run_page

    rows = []
    for page in page_files():
        page_run = run_page(page, Path(db_path))
        rows.append({
            "page": page.removesuffix(".py"), "queries": len(page_run.calls), "apptest_s": page_run.seconds,
            "figure_kb": page_run.figure_bytes / 1024, "charts": page_run.charts,
            "exceptions": [str(e) for e in page_run.exceptions],
            "calls": [(name, filter_change(params)) for name, params in page_run.calls],
        })
    queue.put({"pages": rows, "peak_rss_mb": peak_rss_mb()})


def measure_ours(db_path: str, pages: list[dict], runs: int, queue) -> None:
    """Child process: each page's query set replayed cold and warm through the query layer."""
    result = {}
    for page in pages:
        cold = replay(Path(db_path), page["calls"], runs, cold=True)
        warm = replay(Path(db_path), page["calls"], runs, cold=False)
        result[page["page"]] = {"cold_p50": statistics.median(cold), "cold_p95": percentile(cold, 0.95),
                                "warm_p50": statistics.median(warm), "warm_p95": percentile(warm, 0.95)}
    queue.put({"pages": result, "peak_rss_mb": peak_rss_mb()})


def measure_pandas(db_path: str, pages: list[dict], runs: int, queue) -> None:
    """Child process: the same page computations in pandas, from frames loaded once."""
    from benchmarks.pandas_baseline import BASELINE, load_frames
    from dashboard import db

    con = db.connect(db_path, read_only=True)
    start = time.perf_counter()
    frames = load_frames(con)
    load_s = time.perf_counter() - start
    result = {}
    for page in pages:
        covered = [(n, p) for n, p in page["calls"] if n in BASELINE]
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            for name, params in covered:
                BASELINE[name](frames, params)
            times.append(time.perf_counter() - start)
        result[page["page"]] = {"pandas_p50": statistics.median(times) if covered else None,
                                "covered_calls": covered}
    queue.put({"pages": result, "load_s": load_s, "peak_rss_mb": peak_rss_mb()})


def profile_pages(db_path: str, queue) -> None:
    """Child process: where each page's script run spends its time (benchmarks/page_profile.py)."""
    from benchmarks.page_profile import profile_in_child

    profile_in_child(db_path, queue)


def measure_browser(db_path: Path, rounds: int, sessions: int) -> dict[str, Any]:
    """Settle times in Chromium: cold start, page switches and filter changes (benchmarks/browser.py)."""
    from benchmarks.browser import measure

    try:
        return measure(db_path, rounds, sessions, WORK)
    except Exception as exc:  # noqa: BLE001 - reported in the table, not hidden
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}


def covered_warm_p50(db_path: Path, calls: list, runs: int) -> float | None:
    """Our warm p50 for exactly the queries the pandas baseline covers (a like-for-like ratio)."""
    if not calls:
        return None
    return statistics.median(replay(db_path, calls, runs, cold=False))


class _Reporter:
    """Runs a measurement in the child and always answers the parent, with the error if it failed."""

    def __init__(self, target):
        self.target = target

    def __call__(self, *args):
        queue = args[-1]
        try:
            self.target(*args)
        except BaseException:  # noqa: BLE001 - sent to the parent, which raises it
            import traceback

            queue.put({"error": traceback.format_exc()})


def in_child(target, *args) -> dict:
    """Run ``target(*args, queue)`` in a fresh process (its own peak RSS and DuckDB instance)."""
    import benchmarks.run as module  # by its import name, so the child can unpickle it under `python -m`

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=module._Reporter(getattr(module, target.__name__)), args=(*args, queue))
    # A spawned child re-imports the parent's __main__; after an AppTest run in this process that can be a
    # page script (AppTest runs pages as __main__), which the child would then execute. Start it from a
    # neutral __main__ instead.
    real_main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        proc.start()
    finally:
        sys.modules["__main__"] = real_main
    while True:  # a child that dies without answering (a crash, an unpicklable result) must not hang us
        try:
            result = queue.get(timeout=5)
            break
        except Exception:  # noqa: BLE001 - queue.Empty, or a queue broken by the dying child
            if not proc.is_alive():
                raise RuntimeError(f"{target.__name__} died without a result (exit code {proc.exitcode})") from None
    proc.join()
    if "error" in result:
        raise RuntimeError(f"{target.__name__} failed in its process:\n{result['error']}")
    return result


def measure_size(incidents: int, complaints: int, runs: int, pandas_runs: int, browser_rounds: int = 5,
                 browser_sessions: int = 10) -> dict[str, Any]:
    from benchmarks.scale import build_scale_db

    WORK.mkdir(parents=True, exist_ok=True)
    db_path = WORK / f"scale_{incidents}.duckdb"
    start = time.perf_counter()
    build_scale_db(db_path, incidents, complaints)
    build_s = time.perf_counter() - start
    captured = in_child(capture_pages, str(db_path))
    ours = in_child(measure_ours, str(db_path), captured["pages"], runs)
    base = in_child(measure_pandas, str(db_path), captured["pages"], pandas_runs)
    for page in captured["pages"]:
        page.update(ours["pages"][page["page"]])
        extra = base["pages"][page["page"]]
        page["pandas_p50"] = extra["pandas_p50"]
        page["ours_covered_p50"] = covered_warm_p50(db_path, extra["covered_calls"], runs)
        del page["calls"]
    profiles = in_child(profile_pages, str(db_path))["profiles"]
    browser = measure_browser(db_path, browser_rounds, browser_sessions) if browser_rounds else None
    return {"incidents": incidents, "complaints": complaints, "build_s": build_s, "pages": captured["pages"],
            "profiles": profiles, "browser": browser,
            "ours_peak_rss_mb": max(ours["peak_rss_mb"], captured["peak_rss_mb"]), "pandas_peak_rss_mb": base["peak_rss_mb"],
            "pandas_load_s": base["load_s"]}


def measure_ingest(rows: int) -> dict[str, Any]:
    """The upload pipeline on an ACLED-format CSV of ``rows`` rows (its own process, for peak RSS)."""
    from benchmarks.ingest_bench import measure

    try:
        return measure(rows, WORK)
    except Exception as exc:  # noqa: BLE001 - reported in the table, not hidden
        return {"error": str(exc)}


def measure_names() -> dict[str, Any]:
    """A saved name pick on the upload page with a 10,000-row file of 300 unknown names (issue 11)."""
    from benchmarks.names_bench import measure_in_child

    try:
        return measure_in_child()
    except Exception as exc:  # noqa: BLE001 - reported in the table, not hidden
        return {"error": str(exc)}


def measure_cold_start(timeout: float = 120) -> dict[str, Any] | None:
    """Seconds from launching the server on a missing database (so it builds) to the first chart drawn."""
    from benchmarks.cold_start import cold_start_seconds

    try:
        return cold_start_seconds(timeout)
    except Exception as exc:  # noqa: BLE001 - reported in the table, not hidden
        return {"error": str(exc)}


def measure_first_load(timeout: float = 120) -> dict[str, Any] | None:
    """Bytes a fresh tab downloads and seconds to its first chart (see cold_start.first_load)."""
    from benchmarks.cold_start import first_load_measured

    try:
        return first_load_measured(timeout)
    except Exception as exc:  # noqa: BLE001 - reported in the table, not hidden
        return {"error": str(exc)}


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()}"


def _browser_only(res: dict) -> list[str]:
    """Pages the browser measured that the query-set table does not list (the briefing)."""
    from benchmarks.browser import PAGES

    browser = res.get("browser") or {}
    known = {page["page"] for page in res["pages"]}
    return [key for _, key in PAGES if key not in known and f"switch:{key}" in browser.get("one", {})]


def _browser_cells(res: dict, page: str) -> str:
    browser = res.get("browser") or {}
    one, many = browser.get("one", {}), browser.get("many", {})
    cells = []
    for kind in ("switch", "filter"):
        mine = one.get(f"{kind}:{page}")
        cells.append(f"{mine['p50']:.2f} ({mine['script_p50']:.2f})" if mine else "–")
    for kind in ("switch", "filter"):
        theirs = many.get(f"{kind}:{page}")
        cells.append(f"{theirs['p50']:.2f} / {theirs['p95']:.2f}" if theirs else "–")
    return " | ".join(cells)


def _browser_summary(results: list[dict]) -> list[str]:
    lines = ["", "| incidents | cold start s | reader: all steps p50 / p95 s | sessions | sessions: all steps "
             "p50 / p95 s | load average before / during / after |", "|---:|---:|---:|---:|---:|---|"]
    for res in results:
        browser = res.get("browser")
        if not browser:
            continue
        if "error" in browser:
            lines.append(f"| {res['incidents']:,} | not measured: {browser['error']} | | | | |")
            continue
        one, many = browser.get("one", {}).get("all"), browser.get("many", {}).get("all")
        lines.append(
            f"| {res['incidents']:,} | {browser['cold_start_s']:.1f} | "
            + (f"{one['p50']:.2f} / {one['p95']:.2f}" if one else f"failed: {browser.get('one_error')}")
            + _lost(browser.get("one_lost_inputs"))
            + f" | {browser.get('many_sessions', 1)} | "
            + (f"{many['p50']:.2f} / {many['p95']:.2f}" if many else f"failed: {browser.get('many_error', '–')}")
            + _lost(browser.get("many_lost_inputs"))
            + f" | {browser['load_before']:.1f} / {browser['load_mid']:.1f} / {browser['load_after']:.1f} |")
    lines += ["", "Cold start here: `streamlit run` launched on the scale database (already built) to the Overview "
              "settled in Chromium, browser launch included. Lost: changes the app never ran (the sidebar did not "
              "show them, or no run finished within a minute); they are counted, not timed."]
    return lines


def _lost(count: int | None) -> str:
    return f" (lost: {count})" if count else ""


def _profile_table(results: list[dict]) -> list[str]:
    from benchmarks.page_profile import HEADER, Profile, markdown_rows

    lines = ["", "Where a page run's time goes on the server (benchmarks/page_profile.py: AppTest, a region added "
             "so no cached result serves it, one run). Chart build: our pure builders in dashboard/charts.py; "
             "Plotly: Streamlit's figure validation and JSON; rest: Streamlit elements, pandas shaping, caches. "
             "The browser's share is the settle time above minus the script part.", "", *HEADER]
    for res in results:
        lines += markdown_rows(res["incidents"], [Profile(**p) for p in res.get("profiles", [])])
    return lines


def markdown(results: list[dict], ingest: dict | None, cold: dict | None, runs: int,
             names: dict | None = None, first: dict | None = None) -> str:
    lines = [
        f"Benchmark run {dt.datetime.now():%Y-%m-%d %H:%M}, on {machine()}.",
        f"Query-set times are p50/p95 over {runs} runs of every named query a page makes, after a typical "
        "filter change (2010-2019, Khyber Pakhtunkhwa + Balochistan), through `dashboard.db.run`. "
        "Cold: a fresh connection each run. Warm: one connection, DuckDB buffers warm (the Streamlit result "
        "cache, which serves repeat views in under a millisecond, is not counted). pandas: the same "
        "computations on DataFrames loaded once (boolean masks, groupby); ratio = pandas / ours on the "
        "queries both compute.",
        "",
        "Browser columns (benchmarks/browser.py): seconds from the click to the page settled in headless "
        "Chromium (run finished, status widget gone, every chart drawn), median of the reader's visits; in "
        "brackets the part until the script finished. Each visit meets filters no earlier one used (a region "
        "added or removed), so no cached result serves it. Sessions: the same steps by several readers at once, "
        "p50 / p95 over all their steps of that page.",
        "",
        "| incidents | page | queries | cold p50 / p95 ms | warm p50 / p95 ms | pandas p50 ms | pandas ÷ ours | "
        "AppTest run s | figure JSON KB | browser switch s | browser filter s | sessions switch s | "
        "sessions filter s |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for res in results:
        for page in res["pages"] + [{"page": extra} for extra in _browser_only(res)]:
            if "queries" not in page:
                lines.append(f"| {res['incidents']:,} | {page['page']} | – | – | – | – | – | – | – | "
                             + _browser_cells(res, page["page"]) + " |")
                continue
            ratio = (page["pandas_p50"] / page["ours_covered_p50"]
                     if page.get("pandas_p50") and page.get("ours_covered_p50") else None)
            lines.append(
                f"| {res['incidents']:,} | {page['page']} | {page['queries']} | "
                f"{page['cold_p50'] * 1000:.0f} / {page['cold_p95'] * 1000:.0f} | "
                f"{page['warm_p50'] * 1000:.0f} / {page['warm_p95'] * 1000:.0f} | "
                + (f"{page['pandas_p50'] * 1000:.0f} | " if page.get("pandas_p50") else "– | ")
                + (f"{ratio:.1f}× | " if ratio else "– | ")
                + f"{page['apptest_s']:.1f} | {page['figure_kb']:.0f} | "
                + _browser_cells(res, page["page"]) + " |"
                + (" ⚠ exception" if page["exceptions"] else "")
            )
    lines += _browser_summary(results) + _profile_table(results)
    lines += ["", "| incidents | complaints | build s | peak RSS ours MB | peak RSS pandas MB | pandas load s |",
              "|---:|---:|---:|---:|---:|---:|"]
    for res in results:
        lines.append(f"| {res['incidents']:,} | {res['complaints']:,} | {res['build_s']:.1f} | "
                     f"{res['ours_peak_rss_mb']:.0f} | {res['pandas_peak_rss_mb']:.0f} | {res['pandas_load_s']:.1f} |")
    lines.append("")
    if ingest:
        if "error" in ingest:
            lines.append(f"Ingest: failed ({ingest['error']}).")
        else:
            lines.append(f"Ingest of a {ingest['rows']:,}-row ACLED-format CSV through the upload pipeline "
                         f"(read, detect, validate, harmonise, load): {ingest['seconds']:.1f} s, peak RSS "
                         f"{ingest['peak_rss_mb']:.0f} MB.")
    if names:
        if "error" in names:
            lines.append(f"Name pick: not measured ({names['error']}).")
        else:
            lines.append(f"Name pick on the upload page ({names['rows']:,}-row file, {names['unknown_names']} unknown "
                         f"names, saved through the names form): median {names['pick_median_s']:.2f} s, max "
                         f"{names['pick_max_s']:.2f} s (target {names['target_s']:.0f} s).")
    if cold:
        if "error" in cold:
            lines.append(f"Cold start: not measured ({cold['error']}).")
        else:
            lines.append(f"Cold start (server launch on a missing database, build included, to the first chart "
                         f"drawn in headless Chromium): {cold['seconds']:.1f} s; with the database already "
                         f"built: {cold['warm_seconds']:.1f} s.")
    if first:
        if "error" in first:
            lines.append(f"First load: not measured ({first['error']}).")
        else:
            lines.append(
                f"First load of a fresh tab (empty cache) to the first chart drawn, median of {first['runs']}: "
                f"{first['seconds']:.1f} s (max {first['seconds_max']:.1f} s, load average {first['load']} "
                f"when measured); {first['requests']} requests, {first['mb']:.1f} MB on the wire "
                f"({first['js_mb']:.1f} MB of it JavaScript; static bundles gzip-compressed by dashboard/serve.py, "
                f"{first['plain_static_files']} sent plain), {first['raw_mb']:.1f} MB decoded; Plotly in "
                f"{first['plotly_files']} script file; a small reply on a kept-alive connection "
                f"{first.get('keepalive_ms', float('nan')):.1f} ms. "
                "Targets: at most 5 MB, at most 3 s on a quiet machine.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--complaints", type=int, default=COMPLAINTS)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pandas-runs", type=int, default=5)
    parser.add_argument("--ingest-rows", type=int, default=1_000_000)
    parser.add_argument("--no-cold-start", action="store_true")
    parser.add_argument("--browser-rounds", type=int, default=5, help="visits of every page by one reader (0: none)")
    parser.add_argument("--browser-sessions", type=int, default=10, help="readers at once (1: none)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--report-only", action="store_true",
                        help="write the tables from the sizes' saved figures (artifacts/bench/results_<size>.json)")
    args = parser.parse_args(argv)
    if args.report_only:
        saved = [json.loads((WORK / f"results_{size}.json").read_text()) for size in args.sizes]
        text = markdown(saved, None, None, args.runs)
        args.output.write_text(text, encoding="utf-8")
        print(text)
        return 0
    results = []
    for size in args.sizes:
        print(f"measuring {size:,} incidents…", flush=True)
        results.append(measure_size(size, args.complaints, args.runs, args.pandas_runs, args.browser_rounds,
                                    args.browser_sessions))
        # each size's figures kept as measured: a long run that fails later still leaves them
        (WORK / f"results_{size}.json").write_text(json.dumps(results[-1], indent=1, default=str))
        print(markdown(results[-1:], None, None, args.runs), flush=True)
    ingest = measure_ingest(args.ingest_rows) if args.ingest_rows else None
    names = measure_names()
    cold = None if args.no_cold_start else measure_cold_start()
    first = None
    if not args.no_cold_start:
        load = load_average()
        first = measure_first_load()
        first = first | {"load": load} if first else first
    text = markdown(results, ingest, cold, args.runs, names, first)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
