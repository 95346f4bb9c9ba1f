"""The browser benchmark runs against a real server and Chromium at a tiny size and times every step it
claims to (speed is not judged here: that is the benchmark's job)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_browser_benchmark_times_every_page_switch_and_filter_change(tmp_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing")
    from benchmarks import browser
    from benchmarks.scale import build_scale_db

    db_path = tmp_path / "scale.duckdb"
    build_scale_db(db_path, 1500, 1500)
    result = browser.measure(db_path, rounds=1, sessions=2, work=tmp_path)
    for _, page in browser.PAGES:
        for kind in ("switch", "filter"):
            assert result["one"][f"{kind}:{page}"]["n"] == 1
            assert result["many"][f"{kind}:{page}"]["n"] == 2  # both sessions took the step
    assert result["one"]["switch:violence"]["charts"] > 0  # the settle waited for drawn charts
    assert 0 < result["one"]["all"]["script_p50"] <= result["one"]["all"]["p50"]
    assert result["cold_start_s"] > result["first_tab_s"] > 0
