"""Chart builders are pure: frames in, figures out. Trace types, columns, the text around the numbers,
one source per chart, and empty frames."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.charts import ChartText
from dashboard.series import change, format_change, indexed, lagged_correlation, latest_two
from dashboard.ui import GEOJSON_PATH

TEXT = ChartText("Events per month", "1 Jan 2020 – 31 Dec 2021 · all regions", "UCDP GED (CC BY 4.0)")
SAMPLE = ChartText("Compliance", "2023 – 2025", "Sample: complaints log", synthetic=True)
MONTHS = pd.DataFrame({"source": "UCDP", "month": pd.date_range("2020-01-01", periods=24, freq="MS"),
                       "events": np.arange(24), "killed": np.arange(24) * 2})


def annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_line_chart_draws_one_scatter_per_series_with_the_frame_columns():
    frame = pd.concat([MONTHS.assign(platform="Facebook"), MONTHS.assign(platform="Instagram")])
    fig = charts.line_chart(frame, x="month", y="events", color="platform", text=TEXT)
    assert [t.type for t in fig.data] == ["scatter", "scatter"]
    assert [t.name for t in fig.data] == ["Facebook", "Instagram"]
    assert list(fig.data[0].y) == list(MONTHS["events"])


def test_every_figure_carries_title_subtitle_source_and_the_theme():
    fig = charts.line_chart(MONTHS, x="month", y="events", text=TEXT)
    assert fig.layout.title.text == TEXT.title
    assert fig.layout.title.subtitle.text == TEXT.subtitle
    assert any(t.startswith("Source: UCDP GED") for t in annotation_texts(fig))
    assert fig.layout.template.layout.colorway == charts.OKABE_ITO


def test_sample_data_is_marked_on_the_figure_itself():
    fig = charts.line_chart(MONTHS, x="month", y="events", text=SAMPLE)
    assert "SAMPLE DATA" in fig.layout.title.text
    assert any("Synthetic sample data" in t for t in annotation_texts(fig))
    assert "SAMPLE DATA" not in charts.line_chart(MONTHS, x="month", y="events", text=TEXT).layout.title.text


def test_long_subtitles_wrap_and_the_margin_grows_with_them():
    long = ChartText("t", " · ".join(["regions: Balochistan, Sindh, Punjab +2 more"] * 3), "s")
    short = charts.line_chart(MONTHS, x="month", y="events", text=TEXT)
    wrapped = charts.line_chart(MONTHS, x="month", y="events", text=long)
    assert wrapped.layout.title.subtitle.text.count("<br>") == 2
    assert wrapped.layout.margin.t > short.layout.margin.t and wrapped.layout.height > short.layout.height


def test_key_events_inside_the_period_become_numbered_lines_listed_under_the_axis():
    events = pd.DataFrame({"event_date": pd.to_datetime(["2020-06-15", "1999-01-01"]), "label": ["In", "Out"]})
    fig = charts.line_chart(MONTHS, x="month", y="events", text=TEXT, annotations=events)
    texts = annotation_texts(fig)
    assert "<b>1</b>" in texts and not any("Out" in t for t in texts)
    assert any(t.startswith("Key events · 1 In (Jun 2020)") for t in texts)
    assert len(fig.layout.shapes) == 1


def test_event_numbers_close_in_time_are_staggered_and_never_overlap():
    """Events weeks apart (the monthly chart's 2014 cluster): numbers step down a row instead of piling up."""
    dates = pd.to_datetime(["2020-03-01", "2020-03-20", "2020-04-10", "2020-05-01", "2021-06-01"])
    events = pd.DataFrame({"event_date": dates, "label": [f"event {i}" for i in range(5)]})
    fig = charts.line_chart(MONTHS, x="month", y="events", text=TEXT, annotations=events)
    numbers = [a for a in fig.layout.annotations if a.text.startswith("<b>")]
    assert len(numbers) == 5
    span = (MONTHS["month"].max() - MONTHS["month"].min()).total_seconds()
    for i, one in enumerate(numbers):
        for other in numbers[i + 1:]:
            apart = abs((pd.Timestamp(one.x) - pd.Timestamp(other.x)).total_seconds()) / span
            # two numbers on one row are at least EVENT_GAP of the axis apart (≈15 px on a phone)
            assert one.y != other.y or apart >= charts.EVENT_GAP, (one.text, other.text)
    key = next(t for t in annotation_texts(fig) if t.startswith("Key events"))
    assert all(f"event {i}" in key for i in range(5))


def test_legends_run_under_the_title_never_beside_the_plot():
    frame = pd.concat([MONTHS.assign(platform=name) for name in ("Facebook", "Instagram", "YouTube")])
    fig = charts.line_chart(frame, x="month", y="events", color="platform", text=TEXT)
    legend = fig.layout.legend
    assert legend.orientation == "h" or fig.layout.template.layout.legend.orientation == "h"
    assert fig.layout.template.layout.legend.yref == "container"
    # hangs from the bottom of the title block, a fraction of the figure's height
    assert legend.y == pytest.approx(1 - (fig.layout.margin.t - charts.LEGEND_RISE) / fig.layout.height)


def test_every_builder_titles_its_value_axis():
    frame = MONTHS.assign(region="Sindh")
    figures = [
        charts.line_chart(MONTHS, x="month", y="events", text=TEXT),
        charts.line_chart(MONTHS, x="month", y="events", text=TEXT, unit="fraction"),
        charts.bar_ranking(frame, category="month", value="events", text=TEXT),
        charts.grouped_bars(frame, x="month", y="events", color="region", text=TEXT, unit="hours"),
        charts.stacked_bars(frame, x="month", y="events", color="region", text=TEXT),
    ]
    for fig in figures:
        titles = [fig.layout.yaxis.title.text, fig.layout.xaxis.title.text]
        assert any(titles), fig.layout.title.text


def test_a_rate_and_its_counts_show_together():
    frame = MONTHS.assign(rate=0.5)
    fig = charts.line_chart(frame, x="month", y="rate", unit="fraction", bars="events", bars_title="complaints",
                            y_title="compliance rate", text=TEXT)
    assert [t.type for t in fig.data] == ["bar", "scatter"]
    assert fig.data[0].yaxis == "y2" and fig.layout.yaxis2.title.text == "complaints"
    assert fig.layout.yaxis.title.text == "compliance rate"


def test_a_reference_line_is_named_in_the_legend_not_on_the_bars():
    frame = pd.DataFrame({"platform": ["X", "X", "TikTok", "TikTok"], "measure": ["median", "p90"] * 2,
                          "hours": [10.0, 50.0, 5.0, 20.0]})
    for horizontal in (True, False):
        fig = charts.grouped_bars(frame, x="platform", y="hours", color="measure", unit="hours", text=TEXT,
                                  reference=48.0, reference_label="deadline 48 h", horizontal=horizontal)
        assert "deadline 48 h" in [t.name for t in fig.data]
        assert not any("deadline" in t for t in annotation_texts(fig))
        assert len(fig.layout.shapes) == 1


def test_long_titles_wrap_to_a_phone_width():
    long = ChartText("Meta: share found before users reported it (proactive rate)", "s", "src")
    fig = charts.line_chart(MONTHS, x="month", y="events", text=long)
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) == 2 and all(len(line) <= charts.TITLE_CHARS for line in lines)
    assert "".join(lines).replace(" ", "") == long.title.replace(" ", "")


@pytest.mark.parametrize("build", [
    lambda f: charts.line_chart(f, x="month", y="events", text=TEXT),
    lambda f: charts.stacked_bars(f, x="month", y="events", color="source", text=TEXT),
    lambda f: charts.bar_ranking(f, category="source", value="events", text=TEXT),
    lambda f: charts.grouped_bars(f, x="month", y="events", color="source", text=TEXT),
    lambda f: charts.choropleth_map(f, {}, value="events", value_title="events", text=TEXT),
    lambda f: charts.correlation_bars(f.assign(lag=0, r=np.nan, n=0), text=TEXT),
    lambda f: charts.event_points_map(f, {}, text=TEXT),
])
def test_empty_frames_give_a_figure_that_says_why(build):
    fig = build(MONTHS.iloc[0:0])
    assert fig.data == ()
    assert any("No data" in t or "Too few" in t for t in annotation_texts(fig))
    assert fig.layout.title.text == TEXT.title


def test_stacked_bars_put_catch_all_series_last_in_grey_and_carry_the_group_for_clicks():
    frame = pd.DataFrame({"year": [2020, 2020, 2021, 2021], "group_name": ["Other groups", "TTP long", "TTP long", "BLA"],
                          "short_name": ["Other groups", "TTP", "TTP", "BLA"], "events": [50, 10, 20, 5]})
    fig = charts.stacked_bars(frame, x="year", y="events", color="group_name", label="short_name", text=TEXT,
                              highlight="BLA")
    assert [t.type for t in fig.data] == ["bar"] * 3 and fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == ["TTP", "BLA", "Other groups"]
    assert fig.data[-1].marker.color == charts.NEUTRAL
    assert set(fig.data[0].customdata) == {"TTP long"}
    assert fig.data[1].opacity == 1 and fig.data[0].opacity < 1  # the highlighted group stands out


def test_bar_ranking_sorts_largest_on_top_and_highlights_the_selection():
    frame = pd.DataFrame({"region": ["Sindh", "Balochistan", "Punjab"], "events": [5, 9, 1]})
    fig = charts.bar_ranking(frame, category="region", value="events", text=TEXT, highlight="Sindh")
    bar = fig.data[0]
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.y) == ["Punjab", "Sindh", "Balochistan"]  # plotly draws the first row at the bottom
    assert list(bar.marker.color) == [charts.OKABE_ITO[0], charts.HIGHLIGHT, charts.OKABE_ITO[0]]
    assert list(bar.customdata) == list(bar.y)


def test_a_chart_never_draws_two_sources_into_one_total():
    two = pd.concat([MONTHS.assign(source="UCDP"), MONTHS.assign(source="ACLED")])
    with pytest.raises(ValueError, match="one source per chart"):
        charts.bar_ranking(two, category="source", value="events", text=TEXT)
    with pytest.raises(ValueError, match="one source per chart"):
        charts.stacked_bars(two, x="month", y="events", color="source", text=TEXT)


def test_grouped_bars_stand_sources_side_by_side_and_flag_disagreements():
    frame = pd.DataFrame({"year": [2023, 2023, 2024], "source": ["GTI", "PIPS", "GTI"], "value": [517, 306, 1099]})
    fig = charts.grouped_bars(frame, x="year", y="value", color="source", text=TEXT, flagged=[2023])
    assert fig.layout.barmode == "group" and [t.name for t in fig.data] == ["GTI", "PIPS"]
    assert fig.layout.xaxis.type == "category" and list(fig.layout.xaxis.categoryarray) == ["2023", "2024"]
    flag = [a for a in fig.layout.annotations if a.text == "⚠"]
    assert len(flag) == 1 and flag[0].x == 0  # by position: "2023" would be read as a category index
    # the mark is explained under the axis, once, where it cannot overlap a neighbouring year's mark
    assert any("⚠ the sources publish different numbers" in a.text for a in fig.layout.annotations)


def test_the_map_uses_the_shipped_geojson_without_tiles():
    geojson = json.loads(GEOJSON_PATH.read_text())
    names = [f["properties"]["shapeName"] for f in geojson["features"]]
    frame = pd.DataFrame({"region": names, "geo_name": names, "events": range(len(names))})
    fig = charts.choropleth_map(frame, geojson, value="events", value_title="events", text=TEXT, highlight=names[0])
    assert [t.type for t in fig.data] == ["choroplethmap", "choroplethmap"]  # values, and the selection outline
    assert fig.data[0].featureidkey == "properties.shapeName"
    assert list(fig.data[0].locations) == names and list(fig.data[1].locations) == [names[0]]
    assert fig.layout.map.style == "white-bg"  # no tile server: renders offline


def test_correlation_bars_mark_the_strongest_lag():
    frame = pd.DataFrame({"lag": [-1, 0, 1], "r": [0.1, -0.8, 0.3], "n": [10, 11, 10]})
    fig = charts.correlation_bars(frame, text=TEXT)
    assert fig.data[0].type == "bar" and list(fig.data[0].marker.color)[1] == charts.HIGHLIGHT
    assert tuple(fig.layout.yaxis.range) == (-1, 1)


def test_figures_stay_small_enough_to_send():
    fig = charts.line_chart(MONTHS, x="month", y="events", text=TEXT)
    assert len(fig.to_json()) < 20_000


# --- series helpers ------------------------------------------------------------------------------


def test_change_and_its_format():
    assert change(517, 1099) == pytest.approx(1.1257, abs=1e-4)
    assert format_change(change(517, 1099)) == "+112.6%"
    assert change(0, 5) is None and change(None, 5) is None and format_change(None) == "n/a"


def test_latest_two_orders_by_period():
    frame = pd.DataFrame({"year": [2024, 2022, 2023], "v": [3, 1, 2]})
    latest, previous = latest_two(frame, "year", "v")
    assert (latest["year"], previous["year"]) == (2024, 2023)
    assert latest_two(frame.head(1), "year", "v") is None


def test_indexing_divides_by_the_mean_of_the_window():
    series = pd.Series([1.0, 3.0, 10.0], index=pd.date_range("2020-01-01", periods=3, freq="QS"))
    assert list(indexed(series, series.index[:2])) == [50.0, 150.0, 500.0]


def test_lagged_correlation_finds_a_known_lag_and_refuses_short_overlaps():
    quarters = pd.date_range("2015-01-01", periods=24, freq="QS")
    violence = pd.Series(np.random.default_rng(3).normal(size=24), index=quarters)
    online = violence.shift(2).dropna()  # online follows violence by two quarters
    result = lagged_correlation(violence, online).set_index("lag")
    assert result.loc[2, "r"] == pytest.approx(1.0)
    assert result["r"].abs().idxmax() == 2
    short = lagged_correlation(violence.head(4), online.head(4))
    assert short["r"].isna().all()


def test_missing_months_become_zeros():
    from dashboard.series import complete_periods
    frame = pd.DataFrame({"source": "UCDP", "month": pd.to_datetime(["2020-01-01", "2020-04-01"]),
                          "events": [3, 5], "killed": [1, 2]})
    filled = complete_periods(frame, "month", ["events", "killed"])
    assert list(filled["events"]) == [3, 0, 0, 5] and set(filled["source"]) == {"UCDP"}
    assert complete_periods(frame.iloc[0:0], "month", ["events"]).empty


def test_the_point_map_draws_events_offline_by_type_with_their_ids():
    frame = pd.DataFrame({"source": "UCDP", "source_event_id": ["a1", "a2", "a3"],
                          "event_date": pd.to_datetime(["2020-01-01"] * 3), "location": ["Quetta", "Swat", "X"],
                          "event_type": ["State-based conflict", "One-sided violence", "State-based conflict"],
                          "killed": [0, 9, 100], "latitude": [30.2, 35.2, 33.0], "longitude": [67.0, 72.4, 70.0]})
    fig = charts.event_points_map(frame, {"type": "FeatureCollection", "features": []}, text=TEXT)
    assert [t.type for t in fig.data] == ["scattermap", "scattermap"]
    assert fig.layout.map.style == "white-bg"  # no tile server
    assert [row[0] for row in fig.data[0].customdata] == ["a1", "a3"]
    assert fig.data[0].marker.size[1] > fig.data[0].marker.size[0]  # more deaths, bigger point


def test_rounded_geojson_draws_the_same_provinces_at_a_fraction_of_the_bytes():
    geojson = json.loads(GEOJSON_PATH.read_text())
    before = json.dumps(geojson)
    rounded = charts.rounded_geojson(geojson, digits=3)
    assert json.dumps(geojson) == before  # the input is untouched
    assert [f["properties"] for f in rounded["features"]] == [f["properties"] for f in geojson["features"]]
    first, original = rounded["features"][0]["geometry"], geojson["features"][0]["geometry"]
    assert first["type"] == original["type"]
    x, y = first["coordinates"][0][0]
    assert (x, y) == (round(original["coordinates"][0][0][0], 3), round(original["coordinates"][0][0][1], 3))
    assert len(json.dumps(rounded)) < 0.6 * len(before)


def test_a_change_flag_labels_the_side_its_line_does_not_come_from():
    frame = pd.DataFrame({"month": pd.to_datetime(["2025-10-01", "2025-11-01", "2025-12-01"]), "source": "PICSS",
                          "value": [90.0, 97.0, 68.0], "value_kind": "exact"})
    text = charts.ChartText("Attacks per month", "national", "Source: PICSS")
    fall = pd.DataFrame({"month": [pd.Timestamp("2025-12-01")], "source": ["PICSS"], "value": [68.0],
                         "label": ["-30%"]})
    rise = fall.assign(label="+28%")
    positions = []
    for flags in (fall, rise):
        fig = charts.published_trend(frame, text=text, y_title="attacks per month (count)", flags=flags)
        star = next(t for t in fig.data if t.name == "notable change")
        positions.append(tuple(star.textposition))
    assert positions == [("bottom center",), ("top center",)]
