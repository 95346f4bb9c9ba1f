"""Where a page run's time goes on the server: named queries, data-version reads, chart building (our
pure builders), Streamlit's Plotly step (figure validation and JSON), and the rest of the script (Streamlit
elements, pandas shaping, caches). Measured in AppTest on a filter change (a region added, so the result
cache misses), one page at a time; the browser's own share (drawing after the run) comes from
benchmarks/browser.py.

``python -m benchmarks.page_profile artifacts/bench/scale_100000.duckdb`` prints one line per page.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
PAGES = ("overview", "violence", "violence_events", "online", "links", "sources", "briefing")
FILTER_REGION = "Balochistan"


@dataclass
class Profile:
    """Seconds per part of one page run (``other`` is the script's time outside the named parts)."""

    page: str
    total_s: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def other_s(self) -> float:
        return self.total_s - sum(self.parts.values())


@contextmanager
def _timing(owner: Any, name: str, part: str, profile: Profile) -> Iterator[None]:
    """Replace ``owner.name`` by a wrapper that adds its seconds to ``profile.parts[part]`` (outermost
    call only, so a wrapped function calling another wrapped one is not counted twice)."""
    original: Callable[..., Any] = getattr(owner, name)
    depth = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                profile.parts[part] = profile.parts.get(part, 0.0) + time.perf_counter() - start
                profile.counts[part] = profile.counts.get(part, 0) + 1

    setattr(owner, name, wrapper)
    try:
        yield
    finally:
        setattr(owner, name, original)


def _instrumented(profile: Profile) -> ExitStack:
    import plotly.io
    import plotly.tools

    from dashboard import charts, db

    stack = ExitStack()
    stack.enter_context(_timing(db, "run", "queries", profile))
    stack.enter_context(_timing(db, "data_version", "data_version", profile))
    for name in dir(charts):  # every public builder the pages call as charts.<name>(...)
        value = getattr(charts, name)
        if callable(value) and not name.startswith("_") and getattr(value, "__module__", "") == charts.__name__:
            stack.enter_context(_timing(charts, name, "chart_build", profile))
    stack.enter_context(_timing(plotly.tools, "return_figure_from_figure_or_data", "plotly_validate", profile))
    stack.enter_context(_timing(plotly.io, "to_json", "plotly_json", profile))
    return stack


def profile_page(page: str, db_path: Path) -> Profile:
    """One AppTest run of ``page`` after a filter change, instrumented; cold Streamlit caches."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from benchmarks.pages import TABS

    os.environ["OBSERVATORY_DB"] = str(db_path)
    st.cache_data.clear()
    script, query = TABS.get(f"{page}.py", (f"{page}.py", {}))
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.query_params = dict(query)
    at.run()
    if script != "overview.py":
        at.switch_page(f"app_pages/{script}")
        at.run()
    st.cache_data.clear()  # the measured run meets no cached result
    result = Profile(page)
    with _instrumented(result):  # patched module-wide: AppTest runs the script in its own thread
        start = time.perf_counter()
        at.sidebar.multiselect(key="region").set_value([FILTER_REGION]).run()
        result.total_s = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return result


def profile_all(db_path: Path) -> list[Profile]:
    return [profile_page(page, db_path) for page in PAGES]


def profile_in_child(db_path: str, queue: Any) -> None:
    """benchmarks.run's child-process entry: the profiles as plain dicts."""
    queue.put({"profiles": [{"page": p.page, "total_s": p.total_s, "parts": p.parts, "counts": p.counts}
                            for p in profile_all(Path(db_path))]})


def markdown_rows(size: int, profiles: list[Profile]) -> list[str]:
    lines = []
    for prof in profiles:
        part = prof.parts.get
        lines.append(
            f"| {size:,} | {prof.page} | {prof.total_s * 1000:.0f} | "
            f"{part('queries', 0) * 1000:.0f} ({prof.counts.get('queries', 0)}) | "
            f"{part('data_version', 0) * 1000:.0f} ({prof.counts.get('data_version', 0)}) | "
            f"{part('chart_build', 0) * 1000:.0f} | "
            f"{(part('plotly_validate', 0) + part('plotly_json', 0)) * 1000:.0f} ({prof.counts.get('plotly_json', 0)}) | "
            f"{prof.other_s * 1000:.0f} |")
    return lines


HEADER = [
    "| incidents | page | script run ms | queries ms (n) | data_version ms (n) | chart build ms | "
    "Plotly validate + JSON ms (charts) | rest of script ms |",
    "|---:|---|---:|---:|---:|---:|---:|---:|",
]


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve()
    print("\n".join(HEADER + markdown_rows(0, profile_all(target))))
