"""Present-day violence from published reports: the researched series on a fresh build, restatements and lower
bounds, "What changed", the pages that show them, and the fixes a policymaker asked for (one colour per group,
the catalog CSV's sample flags)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil

import pandas as pd
import pytest
from test_pages import charts as figures
from test_pages import open_page

from dashboard import changes, charts, db, published, ui
from dashboard.charts import ChartText
from dashboard.filters import Filters
from dashboard.ingest import pipeline
from dashboard.ingest.load import load

WIDE = Filters(date_from=dt.date(2022, 1, 1), date_to=dt.date(2026, 12, 31))


def run(con):
    return functools.partial(db.run, con)


# --- the researched dataset on a fresh build ---------------------------------------------------------


def test_2024_is_covered_month_by_month_and_province_by_province_by_two_sources(con):
    monthly = db.run(con, "published_monthly", metrics=["attacks", "deaths", "injured"], **WIDE.params())
    in_2024 = monthly[pd.to_datetime(monthly["month"]).dt.year == 2024]
    assert len(in_2024) >= 24 and in_2024["source"].nunique() >= 2
    assert in_2024["citation_url"].str.startswith("http").all()
    for province in ("Khyber Pakhtunkhwa", "Balochistan"):
        rows = db.run(con, "published_figures_by_period", metrics=[], sources=[], region=province, group="")
        whole_year = rows[(rows["period_label"] == "2024") & ~rows["metric"].str.endswith("__kp_mainland")
                          & (rows["unit"] == "count")]
        assert whole_year["source"].nunique() >= 2, province
        assert whole_year["citation_url"].str.startswith("http").all()


def test_the_sources_chart_shows_picss_2024_as_restated(con):
    """PICSS first said '>800' attacks in 2024, then restated 908: charts show 908, the bound stays on file."""
    annual = db.run(con, "published_figures_annual", metric="attacks", region="", **WIDE.params())
    picss = annual[(annual["source"] == "PICSS") & (annual["year"] == 2024)].iloc[0]
    assert picss["value_kind"] == "exact" and picss["value"] > 800
    assert picss["figures_this_year"] >= 2  # the lower bound is kept, not shown


def test_lower_bounds_are_marked_for_charts_and_tables():
    frame = published.with_marks(pd.DataFrame({"value_kind": ["exact", "lower_bound", "approximate", None]}))
    assert frame["mark"].tolist() == ["", "≥", "≈", ""]


def test_quarters_from_monthly_figures_need_all_three_exact_months():
    frame = pd.DataFrame({
        "source": "PICSS", "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01",
                                                   "2024-05-01", "2024-07-01", "2024-08-01", "2024-09-01"]),
        "value": [10.0, 20, 30, 5, 5, 1, 1, 1],
        "value_kind": ["exact"] * 5 + ["exact", "lower_bound", "exact"],
    })
    assert published.quarterly(frame, "PICSS").to_dict() == {pd.Timestamp("2024-01-01"): 60.0}


# --- what changed ------------------------------------------------------------------------------------


def series(values: list[float], *, grain: str = "month", kinds: list[str] | None = None) -> pd.DataFrame:
    periods = pd.date_range("2025-01-01", periods=len(values), freq="MS" if grain == "month" else "YS")
    return pd.DataFrame({"series": "Attacks", "source": "Test", "grain": grain, "period": periods,
                         "period_label": [changes.period_label(p, grain) for p in periods], "value": values,
                         "value_kind": kinds or ["exact"] * len(values), "citation_url": "", "synthetic": False})


def test_a_change_beyond_the_threshold_is_flagged_and_a_small_count_is_not():
    rule = changes.ChangeRule(threshold=0.25, min_count=10)
    rise = changes.notable_changes(series([40, 41, 60]), rule)
    assert len(rise) == 1 and rise.iloc[0]["change"] == pytest.approx(60 / 41 - 1)
    assert changes.describe_change(rise.iloc[0]) == "rose 46.3% (41 → 60), Mar 2025 against Feb 2025"
    assert changes.notable_changes(series([3, 5]), rule).empty  # +67%, but 3 -> 5 is no news
    assert changes.notable_changes(series([40, 45]), rule).empty  # +12.5%: below the threshold
    assert changes.notable_changes(series([40, 60], kinds=["lower_bound", "exact"]), rule).empty  # a bound is no count
    gap = series([40, 41, 60]).drop(index=1)  # February missing: March is not compared with January
    assert changes.notable_changes(gap, rule).empty
    assert len(changes.notable_changes(series([40, 41, 60]), changes.ChangeRule(threshold=0.5, min_count=10))) == 0


def upload(con, path, name: str) -> int:
    """An analyst's file through the upload pipeline (detection, validation, one-transaction load)."""
    prepared = pipeline.prepare(path.read_bytes(), path.name)
    meta = pipeline.meta_for(prepared, name=name, source="own", licence="own", attribution="own", loaded_by="tester")
    return load(con, meta, prepared.parsed)


def test_what_changed_flags_a_rise_in_an_uploaded_series(rw_con, tmp_path):
    rows = ["event_date,region,group,killed"]
    rows += [f"2025-01-{d:02d},Sindh,,1" for d in range(1, 21)]     # 20 events in January
    rows += [f"2025-02-{d:02d},Sindh,,1" for d in range(1, 29)]     # 28 in February
    rows += [f"2025-03-{d:02d},Sindh,,1" for d in range(1, 31)] * 2  # 60 in March: +114%
    rows += ["2025-03-31,Sindh,,1"] * 2                             # (the file covers March to its last day)
    path = tmp_path / "analyst_log.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    upload(rw_con, path, "Analyst's own log")
    found = changes.gather(run(rw_con), Filters(date_to=dt.date(2026, 12, 31)), db.run(rw_con, "datasets_catalog"))
    mine = found[found["source"] == "Analyst's own log"]
    assert "Events per month (Analyst's own log)" in set(mine["series"])
    row = mine[mine["series"] == "Events per month (Analyst's own log)"].iloc[0]
    assert (row["previous"], row["value"], row["period_label"]) == (28, 62, "Mar 2025")
    # the same rise under a stricter rule is no news
    strict = changes.gather(run(rw_con), Filters(date_to=dt.date(2026, 12, 31)), db.run(rw_con, "datasets_catalog"),
                            changes.ChangeRule(threshold=2.0, min_count=10))
    assert "Events per month (Analyst's own log)" not in set(strict["series"])


def test_a_partly_covered_last_month_is_not_read_as_a_fall(rw_con, tmp_path):
    rows = ["event_date,region,group,killed"] + [f"2025-01-{d:02d},Sindh,,1" for d in range(1, 32)]
    rows += ["2025-02-01,Sindh,,1", "2025-02-02,Sindh,,1"]  # the export ends on 2 February
    path = tmp_path / "partial.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    upload(rw_con, path, "Partial export")
    found = changes.gather(run(rw_con), Filters(date_to=dt.date(2026, 12, 31)), db.run(rw_con, "datasets_catalog"))
    assert found[found["source"] == "Partial export"].empty


# --- colours and exports -----------------------------------------------------------------------------


def test_a_group_keeps_its_colour_whatever_the_view_shows():
    palette = charts.group_palette(["Tehrik-i-Taliban Pakistan", "al-Qaida", "Lashkar-e-Islam"])
    everything = charts.resolve_colours(["Tehrik-i-Taliban Pakistan", "al-Qaida", "Other groups"], palette)
    one_province = charts.resolve_colours(["al-Qaida", "Tehrik-i-Taliban Pakistan"], palette)
    assert everything["Tehrik-i-Taliban Pakistan"] == one_province["Tehrik-i-Taliban Pakistan"] == charts.OKABE_ITO[0]
    assert everything["al-Qaida"] == one_province["al-Qaida"]
    assert charts.group_palette([])["State forces"] == charts.STATE_COLOUR
    # more groups than colours: two groups on one chart never share a colour
    many = charts.group_palette([f"g{i}" for i in range(12)])
    shown = charts.resolve_colours(["g0", "g8"], many)
    assert shown["g0"] != shown["g8"]


def test_the_catalog_csv_marks_only_synthetic_datasets_as_samples():
    table = pd.DataFrame({"name": ["UCDP GED", "Sample complaints"], "sample_data": [False, True]})
    out = ui.export_frame(table, ChartText("Datasets loaded", "", "catalog", synthetic=True))
    assert out["sample_data"].tolist() == ["", "synthetic sample, not real data"]
    plain = ui.export_frame(pd.DataFrame({"x": [1]}), ChartText("t", synthetic=True))
    assert plain["sample_data"].tolist() == ["synthetic sample, not real data"]


# --- pages -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_db(default_db_file, tmp_path_factory):
    target = tmp_path_factory.mktemp("published") / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OBSERVATORY_DB", str(target))
        yield target


def test_violence_draws_the_published_months_through_the_latest_and_the_latest_year_by_province(app_db, con):
    at = open_page("app_pages/violence.py")
    drawn = figures(at)
    monthly = db.run(con, "published_monthly", metrics=["attacks"], **Filters(date_to=dt.date(2026, 12, 31)).params())
    latest = pd.to_datetime(monthly["month"]).max()
    trend = drawn["published_monthly"]
    last_x = max(pd.Timestamp(x) for trace in trend["data"] if trace.get("mode") == "lines+markers" for x in trace["x"])
    assert last_x == latest
    assert {t["name"] for t in trend["data"]} >= {"PICSS", "PIPS"}  # sources side by side, never one summed line
    provinces = drawn["published_provinces"]
    regions = db.run(con, "published_regions", metric="attacks", **Filters(date_to=dt.date(2026, 12, 31)).params())
    year = published.latest_year(regions, min_sources=2)
    assert f"in {year}" in provinces["layout"]["title"]["text"]
    assert "Source: " in " ".join(a["text"] for a in provinces["layout"]["annotations"])
    assert "How each source counts" in [e.label for e in at.expander]


def test_overview_names_the_year_of_its_regional_view_and_sets_event_data_apart(app_db):
    at = open_page("app_pages/overview.py")
    headings = [h.value for h in at.subheader]
    assert any(h.startswith("Where and who in 20") and h.endswith("from published reports") for h in headings)
    event_heading = next(h for h in headings if h.startswith("Where and who in the event data"))
    assert "1989–2021" in event_heading
    labels = [m.label.replace("\\", "") for m in at.metric]  # labels are Markdown-escaped
    assert not any("(event data)" in label for label in labels)  # no 2021 event count beside a 2024 headline
    assert any("(national, monthly)" in label for label in labels)
    assert at.slider(key="change_threshold").value == 25
    groups = figures(at)["overview_groups"]
    assert "India state" not in groups["data"][0]["y"] and "Pakistan state" not in groups["data"][0]["y"]


def test_what_changed_follows_the_readers_threshold(app_db):
    at = open_page("app_pages/overview.py")
    assert not at.dataframe  # the table of every change is drawn only when its expander is opened
    at.session_state["changes_table"] = True
    before = len(at.run().dataframe[0].value)
    at.slider(key="change_threshold").set_value(100).run()
    assert not at.exception
    after = at.dataframe[0].value if at.dataframe else pd.DataFrame()
    assert len(after) < before


def test_links_offers_the_published_monthly_series(app_db):
    at = open_page("app_pages/links.py")
    options = at.selectbox(key="links_source").options
    assert "PICSS: published monthly figures" in options
    at.selectbox(key="links_source").set_value("PICSS: published monthly figures").run()
    assert not at.exception
    text = json.dumps(figures(at).get("links_indexed", {})) + " ".join(i.value for i in at.info)
    assert "PICSS" in text


def test_trend_charts_star_the_change_what_changed_lists():
    frame = pd.DataFrame({"month": pd.date_range("2025-01-01", periods=3, freq="MS"), "events": [40, 41, 60]})
    found = changes.flags(frame, period="month", value="events", source="Analyst's log",
                          rule=changes.ChangeRule(0.25, 10))
    assert found[["value", "label"]].values.tolist() == [[60.0, "+46%"]]
    figure = charts.line_chart(frame, x="month", y="events", text=ChartText("Events per month"), flags=found)
    stars = [t for t in figure.data if t.name == "notable change"]
    assert len(stars) == 1 and list(stars[0].text) == ["+46%"]
    quiet = changes.flags(frame.assign(events=[40, 41, 45]), period="month", value="events", source="x",
                          rule=changes.ChangeRule(0.25, 10))
    assert quiet.empty
