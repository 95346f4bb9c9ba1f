"""The Online content page's EU statements of reasons in a real headless Chromium, screenshotted
(artifacts/screenshots/online_dsa.png), on the default data plus three synthetic DSA days."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

# the browser tests' fixtures and helpers: the server runs on this module's default_db_file below
from test_browser import ERRORS, browser, chromium_path, page, screenshot, server, settle  # noqa: F401

from dashboard import db
from dashboard.dsa import duckdb_import, generate, load_days

pytestmark = pytest.mark.browser
DSA_CHARTS = ("EU statements of reasons: terrorist content (keyword), per day", "Share decided fully automatically",
              "Visibility decisions", "Territorial scope")


@pytest.fixture(scope="module")
def default_db_file(default_db_file, tmp_path_factory):
    """The default database with three synthetic DSA days loaded as the one command loads them."""
    folder = tmp_path_factory.mktemp("dsa_browser")
    target = folder / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    dumps = folder / "dumps"
    dumps.mkdir()
    generate.mark_sample(dumps)
    for seed, day in enumerate((dt.date(2025, 7, 1), dt.date(2025, 7, 2), dt.date(2025, 7, 3))):
        generate.write_zip_dump(dumps, day, 3_000, seed=seed, per_part=1_000, parts_per_zip=2)
    duckdb_import.run(dumps, folder / "aggregates", progress=lambda m: None)
    con = db.connect(target)
    try:
        for day in load_days.aggregate_folders(folder / "aggregates"):
            load_days.load_day(con, day)
    finally:
        con.close()
    return target


def test_the_dsa_section_is_drawn_and_screenshotted(server, page):
    page.goto(f"{server}/online")
    settle(page, charts=10)
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).first.inner_text()
    section = page.get_by_role("heading", name="EU statements of reasons")
    assert section.count() == 1
    drawn = page.eval_on_selector_all(".js-plotly-plot .gtitle", "els => els.map(e => e.textContent)")
    # titles wrap to the chart's width: a wrapped line's text runs into the next without a space
    squeezed = ["".join(text.split()) for text in drawn]
    for title in DSA_CHARTS:
        assert any("".join(title.split()) in text for text in squeezed), (title, drawn)
    path = screenshot(page, "online_dsa")
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(path.with_name("online_dsa_section.png")))
    assert path.stat().st_size > 50_000
