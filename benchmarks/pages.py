"""Run each page once in AppTest, recording the named queries it makes and the figure JSON it sends.

Recording the real page run (rather than a hand-kept list) keeps the benchmark in step with the pages:
a page that adds a query is measured with it.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard import db
from dashboard.page_models.violence import VIEW, VIEWS

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
PAGES_DIR = APP.parent / "app_pages"
# Pages that are forms rather than views of the data are not part of the latency benchmark.
SKIP_PAGES = {"upload.py", "admin.py", "briefing.py"}
# A page's tabs beyond its first (only the open tab runs): name in the results -> (page file, URL parameters)
TABS = {"violence_events.py": ("violence.py", {VIEW: VIEWS[1]})}


@dataclass
class PageRun:
    page: str
    seconds: float
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    figure_bytes: int = 0
    charts: int = 0
    exceptions: list[str] = field(default_factory=list)


def page_files() -> list[str]:
    """Every view page's file, and its further tabs under their own names (TABS)."""
    files = [p.name for p in PAGES_DIR.glob("*.py") if p.name not in SKIP_PAGES and not p.name.startswith("_")]
    return sorted(files + list(TABS))


@contextmanager
def recording_queries(calls: list):
    """Patch db.run so every named query a page makes is recorded (and still run)."""
    original = db.run

    def run(con, name, /, **params):
        calls.append((name, params))
        return original(con, name, **params)

    db.run = run
    try:
        yield
    finally:
        db.run = original


def run_page(page: str, db_path: Path) -> PageRun:
    """One full AppTest run of a page against ``db_path``, with cold Streamlit caches."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["OBSERVATORY_DB"] = str(db_path)
    st.cache_data.clear()
    st.cache_resource.clear()
    calls: list = []
    script, query = TABS.get(page, (page, {}))
    with recording_queries(calls):
        start = time.perf_counter()
        at = AppTest.from_file(str(APP), default_timeout=600)
        at.query_params = dict(query)
        at.run()
        if script != "overview.py":
            # AppTest starts on the default page: measure only the run of this page, from cold caches
            st.cache_data.clear()
            calls.clear()
            start = time.perf_counter()
            at.switch_page(f"app_pages/{script}")
            at.run()
        seconds = time.perf_counter() - start
    specs = [el.proto.spec for el in at.get("plotly_chart")]
    return PageRun(page, seconds, calls, sum(len(s.encode("utf-8")) for s in specs), len(specs),
                   [e.value for e in at.exception])


def filter_change(params: dict[str, Any]) -> dict[str, Any]:
    """The typical filter change a user makes: a ten-year window and two provinces."""
    changed = dict(params)
    if "filters" in changed:  # the global filters, one struct (dashboard/filters.py)
        changed["filters"] = changed["filters"] | {"date_from": dt.date(2010, 1, 1), "date_to": dt.date(2019, 12, 31),
                                                   "regions": ["Khyber Pakhtunkhwa", "Balochistan"]}
    return changed
