"""What a reader waits for, measured in a real browser: Playwright drives headless Chromium against
``streamlit run`` on a benchmark database, and times each page switch and each sidebar filter change until
the page has settled, alone and with several browser sessions at once, plus the cold start (server launch to
the Overview settled).

Settled means: the run the action started has finished (its last message came in on the websocket:
page_state.py says why not the stApp element's script state), Streamlit's status widget is gone, and every
Plotly chart on the page is drawn at its final size (maps loaded). Every wait is on that state, never a
fixed sleep. Each step is also split in two: action to script finished (the server's run, the transfer)
and script finished to charts drawn (the browser).

Each action meets filters no earlier action used (a Gray code over the regions: each filter change adds or
removes one region), so Streamlit's result cache never serves it: these are first views, the worst case a
reader meets. Sessions start at different places in the code, so ten sessions do not share results either.

``python -m benchmarks.browser --db artifacts/bench/scale_100000.duckdb`` prints one size's figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from benchmarks.page_state import RUN_AFTER, RUN_COUNTER, RUNS, SETTLED
from dashboard.page_models.violence import VIEWS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("OBSERVATORY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # software WebGL for the point map (maplibre) on a machine without a GPU
                 "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
                 # several readers' tabs at once: none may be throttled as a background or hidden window
                 "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                 "--disable-backgrounding-occluded-windows"]
# (navigation title, page key) in the order a reader might visit them; upload and admin are forms. The
# Violence page runs only its open tab: "violence" is its first (published reports), and "violence_events"
# the click on its "Event data" tab, then a filter change there; then (not timed) back to its first tab, which
# the page would otherwise keep open for the reader's next visit.
TABS = {"violence_events": (VIEWS[1], VIEWS[0])}
PAGES = (("Violence", "violence"), (VIEWS[1], "violence_events"), ("Online content", "online"),
         ("Links", "links"), ("Sources", "sources"), ("Briefing", "briefing"), ("Overview", "overview"))
REGIONS = ("Khyber Pakhtunkhwa", "Balochistan", "Sindh", "Punjab", "ex-FATA", "Gilgit-Baltistan",
           "Azad Jammu and Kashmir", "Islamabad Capital Territory")
TIMEOUT_S = 300.0

CHART_COUNT = "() => document.querySelectorAll('.js-plotly-plot').length"


@dataclass
class Step:
    """One timed action: what it was, on which page, and its seconds (total = script + drawing)."""

    kind: str  # "switch" (to ``page``) or "filter" (a region added or removed on ``page``)
    page: str
    seconds: float
    script_s: float
    charts: int
    session: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(db_path: Path, log_file: Path, timeout: float = TIMEOUT_S) -> Iterator[tuple[str, float]]:
    """``streamlit run`` on ``db_path``; yields (base URL, the moment it was launched). The server is
    stopped on leaving; one that dies or stays unhealthy raises with its log."""
    port = free_port()
    env = os.environ | {"OBSERVATORY_DB": str(db_path), "PYTHONPATH": str(ROOT)}
    launched = time.perf_counter()
    with open(log_file, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/serve.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = launched + timeout
        while True:  # the server's own health check
            if process.poll() is not None or time.perf_counter() > deadline:
                raise RuntimeError("streamlit did not start: " + log_file.read_text()[-2000:])
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.1)  # returns early only if the server died
        yield base, launched
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


# changes the app lost: a filter change the sidebar did not show when the next one came (_toggle_region), or a
# change that started no run (_timed); reported with the figures
LOST_INPUTS: list[str] = []
RERUN_GRACE_S = 60.0  # a change whose run has not finished by then never reached the server


class Settled(NamedTuple):
    script_s: float  # until the run finished
    seconds: float  # until every chart was drawn
    charts: int


async def _timed(tab: Any, action: Any) -> Settled | None:
    """Seconds from ``action`` to the page settled (script part, total) and the charts drawn; None when
    no run followed the action within RERUN_GRACE_S: that is counted in LOST_INPUTS and the step left out
    of the timings, instead of the session waiting for a run that never comes."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    before = await tab.evaluate(RUNS)
    started = time.perf_counter()
    await action()
    try:
        await tab.wait_for_function(RUN_AFTER, arg=before, timeout=RERUN_GRACE_S * 1000, polling=50)
    except PlaywrightTimeout:
        LOST_INPUTS.append(f"no run finished within {RERUN_GRACE_S:.0f} s of a change at {tab.url}")
        return None
    script = time.perf_counter() - started
    await tab.wait_for_function(SETTLED, timeout=TIMEOUT_S * 1000, polling=50)
    total = time.perf_counter() - started
    return Settled(script, total, await tab.evaluate(CHART_COUNT))


def gray_toggles(start: int, count: int) -> list[int]:
    """The region index each step toggles so that ``count`` steps from ``start`` visit distinct subsets
    (a reflected Gray code: step k flips the lowest set bit of k)."""
    return [((k & -k).bit_length() - 1) % len(REGIONS) for k in range(start + 1, start + count + 1)]


def gray_state(index: int) -> set[int]:
    code = index ^ (index >> 1)
    return {bit for bit in range(len(REGIONS)) if code >> bit & 1}


async def _chosen(box: Any) -> set[str]:
    """The regions the sidebar shows as chosen (its chips), read from the page."""
    labels = await box.locator('button[aria-label^="Remove "]').evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('aria-label'))")
    return {label.removeprefix("Remove ") for label in labels}


async def _toggle_region(tab: Any, region: str, selected: set[str]) -> None:
    """Add or remove one region in the sidebar. The page, not this session's bookkeeping, says what is
    chosen: when they differ, an earlier change did not stick (typed while the widget was busy, or undone
    by a rerun); that is counted in LOST_INPUTS, reported with the figures, and the bookkeeping follows
    the page so the session goes on instead of waiting for a chip that is not there."""
    box = tab.locator(".st-key-region")
    shown = await _chosen(box)
    if shown != selected:
        LOST_INPUTS.append(f"expected {sorted(selected)}, the sidebar showed {sorted(shown)}")
        selected.clear()
        selected.update(shown)
    if region in selected:
        await box.locator(f'button[aria-label="Remove {region}"]').click()
        selected.discard(region)
    else:
        field = box.locator("input")
        await field.click()
        await field.fill(region)
        await field.press("Enter")
        await field.press("Escape")
        selected.add(region)


async def session(browser: Any, base: str, rounds: int, number: int, steps: list[Step],
                  barrier: asyncio.Barrier | None = None, first_state: int = 0) -> float:
    """One reader: open the app, then ``rounds`` times visit every page, changing a filter on each.
    Returns the seconds the first tab took to settle; appends each timed step to ``steps``. With a
    ``barrier``, the timed actions start once every session's first tab is drawn."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    # a click waits for its element to be stable: on a machine this loaded that takes more than the 30 s default
    context.set_default_timeout(TIMEOUT_S * 1000)
    await context.add_init_script(RUN_COUNTER)
    tab = await context.new_page()
    try:
        offset = first_state + number * (rounds * len(PAGES) + 1)  # this session's own run of Gray code states
        selected = {REGIONS[i] for i in gray_state(offset)}
        query = "&".join(f"region={urllib.request.quote(r)}" for r in sorted(selected))
        started = time.perf_counter()
        await tab.goto(f"{base}/?{query}", timeout=TIMEOUT_S * 1000)
        await tab.wait_for_function("() => document.querySelector('[data-testid=stApp]')", timeout=TIMEOUT_S * 1000)
        await tab.wait_for_function(SETTLED, timeout=TIMEOUT_S * 1000, polling=50)
        first = time.perf_counter() - started
        if barrier is not None:
            await barrier.wait()
        toggles = iter(gray_toggles(offset, rounds * len(PAGES)))
        for _ in range(rounds):
            for title, key in PAGES:
                link = (tab.get_by_role("tab", name=TABS[key][0]) if key in TABS
                        else tab.locator("[data-testid=stSidebarNavLink]", has_text=title))
                region = REGIONS[next(toggles)]
                for kind, action in (("switch", link.click),
                                     ("filter", lambda r=region: _toggle_region(tab, r, selected))):
                    settled = await _timed(tab, action)
                    if settled:
                        steps.append(Step(kind, key, settled.seconds, settled.script_s, settled.charts, number))
                if key in TABS:
                    await _timed(tab, tab.get_by_role("tab", name=TABS[key][1]).click)
        return first
    except BaseException as exc:
        if barrier is not None:
            await barrier.abort()  # the other sessions stop waiting and fail too
        await _keep_failure(tab, number, exc)
        raise
    finally:
        await context.close()


FAILURES = Path(__file__).resolve().parent.parent / "artifacts" / "bench"


async def _keep_failure(tab: Any, number: int, exc: BaseException) -> None:
    """What a session saw when it failed (a screenshot, and Playwright's whole call log, which names the
    element it waited for), so a hang can be looked at afterwards."""
    FAILURES.mkdir(parents=True, exist_ok=True)
    (FAILURES / f"session_{number}_failure.txt").write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
    with contextlib.suppress(Exception):  # the tab may be gone with the browser
        await tab.screenshot(path=str(FAILURES / f"session_{number}_failure.png"), timeout=30_000)


async def _measure(base: str, rounds: int, sessions: int, first_state: int = 0) -> tuple[list[Step], list[float]]:
    from playwright.async_api import async_playwright

    steps: list[Step] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            barrier = asyncio.Barrier(sessions) if sessions > 1 else None
            firsts = await asyncio.gather(*(session(browser, base, rounds, n, steps, barrier, first_state)
                                            for n in range(sessions)))
        finally:
            await browser.close()
    return steps, list(firsts)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(steps: list[Step]) -> dict[str, dict[str, float]]:
    """Per page and kind: median, p95 and max seconds, and the median script part; plus "all"."""
    groups: dict[str, list[Step]] = {}
    for step in steps:
        groups.setdefault(f"{step.kind}:{step.page}", []).append(step)
        groups.setdefault(f"{step.kind}:all", []).append(step)
    groups["all"] = list(steps)
    return {key: {"n": len(group), "p50": statistics.median(s.seconds for s in group),
                  "p95": percentile([s.seconds for s in group], 0.95), "max": max(s.seconds for s in group),
                  "script_p50": statistics.median(s.script_s for s in group),
                  "charts": max(s.charts for s in group)}
            for key, group in groups.items()}


def load_average() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return float("nan")


def measure(db_path: Path, rounds: int = 5, sessions: int = 10, work: Path | None = None) -> dict[str, Any]:
    """Everything for one database: cold start (server launch to the Overview settled), one reader
    (``rounds`` visits of every page, each with a filter change), and ``sessions`` readers at once."""
    work = work or db_path.parent
    log = work / f"{db_path.stem}.browser.log"
    result: dict[str, Any] = {"db": db_path.name, "load_before": load_average()}
    with serve(db_path, log) as (base, launched):
        _, firsts = asyncio.run(_measure(base, 0, 1))  # the cold start: launch to the first tab drawn
        result["cold_start_s"] = time.perf_counter() - launched
        result["first_tab_s"] = firsts[0]
        try:
            LOST_INPUTS.clear()
            steps, firsts = asyncio.run(_measure(base, rounds, 1))
            result["one_lost_inputs"] = len(LOST_INPUTS)
            if steps:  # rounds=0: the sessions only
                result["one"] = summarise(steps)
            result["one_first_tab_s"] = firsts[0]
        except Exception as exc:  # noqa: BLE001 - reported in the table; the sessions are still measured
            result["one_error"] = _error(exc)
        result["load_mid"] = load_average()
        if sessions > 1:
            try:
                LOST_INPUTS.clear()  # the sessions' own count
                # Gray code states after the single reader's, so no session meets a result it cached
                steps, firsts = asyncio.run(_measure(base, 1, sessions, first_state=rounds * len(PAGES) + 1))
                result["many"] = summarise(steps)
                result["many_first_tab_p50"] = statistics.median(firsts)
                result["many_lost_inputs"] = len(LOST_INPUTS)
                result["many_lost_examples"] = LOST_INPUTS[:3]
            except Exception as exc:  # noqa: BLE001 - reported in the table
                result["many_error"] = _error(exc)
            result["many_sessions"] = sessions
    result["load_after"] = load_average()
    result["steps_one"] = rounds
    return result


def _error(exc: BaseException) -> str:
    """The first line of an error (Playwright's carry a long call log)."""
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]


def report_lines(size: int, res: dict[str, Any]) -> list[str]:
    """Markdown rows for one size: per page, switch and filter change, one reader and many."""
    lines = []
    one, many = res["one"], res.get("many", {})
    for _, key in PAGES:
        cells = []
        for kind in ("switch", "filter"):
            mine = one.get(f"{kind}:{key}")
            cells.append(f"{mine['p50']:.2f} ({mine['script_p50']:.2f})" if mine else "–")
        for kind in ("switch", "filter"):
            theirs = many.get(f"{kind}:{key}")
            cells.append(f"{theirs['p50']:.2f} / {theirs['p95']:.2f}" if theirs else "–")
        lines.append(f"| {size:,} | {key} | {one.get(f'switch:{key}', {}).get('charts', 0)} | " + " | ".join(cells) + " |")
    allmany = many.get("all")
    lines.append(f"| {size:,} | **all steps** | | {one['switch:all']['p50']:.2f} | {one['filter:all']['p50']:.2f} | "
                 + (f"{allmany['p50']:.2f} / {allmany['p95']:.2f} | (all {allmany['n']} steps)" if allmany else "– | –")
                 + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--merge", type=Path, help="a size's saved figures (benchmarks.run) to put the sessions into")
    args = parser.parse_args(argv)
    result = measure(args.db.resolve(), args.rounds, args.sessions)
    print(json.dumps(result, indent=1, default=str))
    if args.merge:  # the sessions measured again on their own (a later run), kept beside the reader's figures
        saved = json.loads(args.merge.read_text())
        browser = saved.setdefault("browser", {})
        browser.pop("many_error", None)
        browser.update({key: value for key, value in result.items() if key.startswith("many")})
        browser["load_after"] = max(browser.get("load_after", 0), result["load_mid"], result["load_after"])
        args.merge.write_text(json.dumps(saved, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
