"""The pages' pure models (dashboard/page_models), without Streamlit: with a fake query function that returns
small frames (what each model asks for, and what it makes of the rows), and against the default database."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import changes, db, ui
from dashboard.charts import ChartText
from dashboard.filters import Filters
from dashboard.page_models import (
    admin,
    briefing_page,
    common,
    links,
    online,
    overview,
    published_cards,
    sources,
    violence,
)

UCDP = "UCDP GED: Pakistan 1989-2021"
SAMPLE_LOG = "Sample: complaints log 2023-2025 (synthetic)"


class FakeQuery:
    """A query function over frames given by name; records every call. An unknown name raises."""

    def __init__(self, frames: Mapping[str, pd.DataFrame]) -> None:
        self.frames = dict(frames)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, name: str, /, **params: Any) -> pd.DataFrame:
        self.calls.append((name, params))
        return self.frames[name].copy()

    def params_of(self, name: str) -> list[dict[str, Any]]:
        return [params for called, params in self.calls if called == name]


def bound(params: Mapping[str, Any], name: str) -> Any:
    """A filter's value as passed to a query, whether the filters are passed one by one or as one ``filters``."""
    return params[name] if name in params else params["filters"][name]


def catalog(*rows: tuple[int, str, str, bool]) -> pd.DataFrame:
    """A catalog of (id, name, kind, synthetic) rows, all active."""
    return pd.DataFrame([{"dataset_id": i, "name": n, "kind": k, "is_synthetic": s, "status": "active",
                          "licence": "CC0 (made for this test)", "coverage_end": pd.Timestamp("2021-12-31")}
                         for i, n, k, s in rows])


@pytest.fixture
def query(con):
    """The real query function over the default database."""
    return functools.partial(db.run, con)


# --- common ---------------------------------------------------------------------------------------------------


def test_two_datasets_of_one_name_are_two_labels_and_footnotes_name_the_licence():
    assert common.source_labels(["A", "A", "B"], [3, 7, 9]) == {"A (#3)": 3, "A (#7)": 7, "B": 9}
    books = common.Catalog(catalog((3, "A", "events", False)))
    assert books.note(["A", "A", "Unknown file"]) == "A (CC0); Unknown file"


def test_complaint_logs_put_real_logs_before_samples_and_the_newest_first():
    books = common.Catalog(catalog((4, "Sample", "complaints", True), (5, "Regulator 2024", "complaints", False),
                                   (8, "Regulator 2025", "complaints", False), (9, "Events", "events", False)))
    assert list(books.complaint_logs()) == ["Regulator 2025", "Regulator 2024", "Sample"]


def test_a_subtitle_names_the_period_and_the_facets_that_apply():
    filters = Filters(date_from=dt.date(2010, 1, 1), date_to=dt.date(2012, 6, 30), regions=("Sindh",),
                      platforms=("X", "TikTok", "Facebook", "YouTube"))
    assert common.describe(filters, platforms=True) == (
        "01 Jan 2010 – 30 Jun 2012 · regions: Sindh · all groups · platforms: X, TikTok, Facebook +1 more")


# --- sources --------------------------------------------------------------------------------------------------


def test_sources_offers_attacks_first_and_falls_back_when_nothing_is_published():
    fake = FakeQuery({"published_figure_metrics": pd.DataFrame({"metric": ["deaths", "attacks", "share"],
                                                                "unit": ["count", "count", "fraction"]})})
    assert sources.metric_choices(fake) == (["deaths", "attacks"], "attacks")
    fake.frames["published_figure_metrics"] = pd.DataFrame({"metric": ["share"], "unit": ["fraction"]})
    assert sources.metric_choices(fake) == (["attacks"], "attacks")


def test_sources_compares_the_national_figures_of_one_metric(query):
    view = sources.comparison(query, Filters(), "attacks")
    assert view.chart.text.title == "Attacks in Pakistan as each source published it"
    assert not view.chart.table.empty and view.chart.table["source"].nunique() > 1  # sources side by side
    assert set(view.disagreements.columns) == set(sources.DISAGREEMENT_COLUMNS)
    assert view.definitions and all(definition for _, definition in view.definitions)
    assert sources.noun("deaths__kp_mainland") == "deaths: kp mainland"


def test_the_catalog_card_marks_sample_data(query):
    card = sources.catalog_card(query("datasets_catalog"))
    assert card.text.synthetic and card.table["sample_data"].sum() == 1


# --- links ----------------------------------------------------------------------------------------------------


def test_links_offers_event_datasets_then_published_sources_and_the_online_series(query):
    offered = links.choices(query, Filters(), [(UCDP, 1)])
    assert offered.violence_labels[0] == UCDP
    assert any(label.endswith(": published monthly figures") for label in offered.violence_labels[1:])
    assert any("Meta, global" in name for name in offered.online_labels)
    assert f"Complaints to platforms per quarter ({SAMPLE_LOG})" in offered.online_labels


def test_links_indexes_two_overlapping_series_and_correlates_them(query):
    offered = links.choices(query, Filters(), [(UCDP, 1)])
    meta = next(name for name in offered.online_labels if name.startswith("Facebook: terrorism"))
    view = links.links(query, Filters(), offered, source=UCDP, measure_label="Deaths", online_name=meta)
    frame = view.indexed.table
    assert set(frame["series"]) == {f"Deaths ({UCDP})", meta}
    for _, series in frame.groupby("series"):  # each series over the shared quarters averages 100
        assert series["index"].mean() == pytest.approx(100)
    assert not view.correlation.table.empty and view.strongest and view.strongest.startswith("Strongest association")


def test_links_says_why_when_the_series_do_not_overlap():
    quarters = pd.DataFrame({"dataset_id": [1, 1], "quarter": pd.to_datetime(["2001-01-01", "2001-04-01"]),
                             "events": [3, 4], "killed": [1, 2]})
    online_frame = pd.DataFrame({"quarter": pd.to_datetime(["2020-01-01"]), "value": [5.0], "source": ["Meta"],
                                 "is_synthetic": [False]})
    fake = FakeQuery({"incidents_by_quarter": quarters, "annotations_in_period": pd.DataFrame(),
                      "datasets_catalog": catalog((1, "Events", "events", False))})
    offered = links.Choices({"Events": 1}, {}, {"Online": online_frame}, pd.DataFrame())
    view = links.links(fake, Filters(), offered, source="Events", measure_label="Events", online_name="Online")
    assert view.indexed.table.empty and view.strongest is None
    assert view.indexed.empty_reason.startswith("The two series do not overlap in time in this view: the events run "
                                                "2001–2001, the online series 2020–2020")
    # the query was asked for this dataset only
    assert bound(fake.params_of("incidents_by_quarter")[0], "dataset_ids") == [1]


# --- online ---------------------------------------------------------------------------------------------------


TRACKER_ROW = ["dataset_id", "source", "dimension_value", "complaints", "items", "compliance_rate", "median_hours",
               "p90_hours", "pending", "deadline_breaches", "is_synthetic"]


def tracker_rows(dataset_id: int, values: list[str], synthetic: bool) -> pd.DataFrame:
    rows = [[dataset_id, f"log {dataset_id}", v, 10, 12, 0.5, 20.0, 70.0, 1, 4, synthetic] for v in values]
    return pd.DataFrame(rows, columns=TRACKER_ROW)


def test_the_tracker_shows_one_log_at_a_time():
    by_dimension = pd.concat([tracker_rows(4, ["All complaints"], True), tracker_rows(5, ["All complaints"], False)])
    quarters = pd.DataFrame({"dataset_id": [4, 5], "quarter": pd.to_datetime(["2024-01-01"] * 2),
                             "complaints": [10, 99], "compliance_rate": [0.5, 0.9], "is_synthetic": [True, False]})
    fake = FakeQuery({"datasets_catalog": catalog((4, "Sample", "complaints", True), (5, "Own", "complaints", False)),
                      "complaints_by_dimension": by_dimension, "complaints_by_quarter": quarters})
    view = online.tracker(fake, Filters(), deadline=24, dimension_label="Platform", log="Sample")
    assert view.synthetic and view.quarters.table["complaints"].tolist() == [10]
    assert [m.label for m in view.headline] == ["Compliance rate", "Median time to action", "90th percentile",
                                                "Pending backlog", "Past the 24 h deadline"]
    assert view.headline[4].caption == "40% of 10 complaints"
    assert all(bound(p, "deadline_hours") == 24.0 for p in fake.params_of("complaints_by_dimension"))
    own = online.tracker(fake, Filters(), deadline=24, dimension_label="Platform", log="Own")
    assert not own.synthetic and own.quarters.table["complaints"].tolist() == [99]


def test_the_tracker_says_why_when_no_complaint_matches():
    fake = FakeQuery({"datasets_catalog": catalog((4, "Sample", "complaints", True)),
                      "complaints_by_dimension": tracker_rows(4, [], True),
                      "complaints_by_quarter": pd.DataFrame(columns=["dataset_id", "quarter", "complaints",
                                                                     "compliance_rate"])})
    view = online.tracker(fake, Filters(), deadline=48, dimension_label="Region", log="Sample")
    assert view.headline == online.Empty("Complaint tracker", online.TRACKER_EMPTY)
    assert view.table.table.columns[0] == "region" and view.table.table.empty


def test_tiktok_is_read_for_tiktok_unless_the_platform_filter_says_otherwise(query):
    fake = FakeQuery({"content_metrics_by_period": query("content_metrics_by_period",
                                                         policy_areas=list(online.TIKTOK_POLICIES),
                                                         metric="Proactive removal rate", market="Global",
                                                         **Filters().params()),
                      "datasets_catalog": query("datasets_catalog")})
    chart = online.tiktok_chart(fake, Filters(), "Proactive removal rate")
    assert [bound(p, "platforms") for p in fake.params_of("content_metrics_by_period")] == [["TikTok"], ["TikTok"]]
    assert not chart.table.empty and chart.text.source.startswith("TikTok CGE")
    online.tiktok_chart(fake, Filters(platforms=("Facebook",)), "Proactive removal rate")
    assert bound(fake.params_of("content_metrics_by_period")[-1], "platforms") == ["Facebook"]


def test_online_reads_the_default_database(query):
    assert [c.key for c in online.meta_charts(query, Filters())] == ["meta_content_actioned", "meta_proactive_rate"]
    assert not online.dsa_loaded(query)  # the default data ships no EU statements
    view = online.tracker(query, Filters(), deadline=48, dimension_label="Platform", log=SAMPLE_LOG)
    assert view.synthetic and set(view.table.table["platform"]) >= {"Facebook", "TikTok", "X"}


# --- overview -------------------------------------------------------------------------------------------------


def test_overview_headline_says_why_a_card_is_empty():
    headline = pd.DataFrame(columns=["metric", "rank", "source", "year"])
    monthly = pd.DataFrame(columns=["metric", "source", "month", "value", "value_kind"])
    fake = FakeQuery({"published_figures_headline": headline, "published_monthly": monthly,
                      "reference_source_preferences": pd.DataFrame(columns=["metric", "source", "rank"])})
    cards = overview.headline(fake, Filters())
    assert [type(c) for c in cards] == [overview.Empty] * 4
    assert cards[0].reason.startswith("No source publishes two consecutive full years of national attacks")


def test_overview_headline_on_the_default_data(query):
    attacks, _, *monthly = overview.headline(query, Filters())
    assert isinstance(attacks, common.Metric) and attacks.label == "Attacks in 2024 (national)"
    assert attacks.value == "1,099" and attacks.delta == "+112.6% vs 2023"  # GTI 2025, as published
    assert all(isinstance(card, common.Metric) and card.trend for card in monthly)


def test_overview_event_data_asks_for_the_shown_dataset_only(query):
    view = overview.event_data(query, Filters(), [(UCDP, 1)], per_million=True)
    assert view.heading == f"Where and who in the event data: {UCDP} (1989–2021)"
    assert view.regions.text.title == "Top provinces by events per million people a year"
    assert "Unknown" not in set(view.regions.table["region"]) and not view.groups.table.empty

    fake = FakeQuery({name: query(name, **Filters().params()) for name in
                      ("incidents_by_year", "incidents_by_region", "incidents_by_group")} |
                     {"datasets_catalog": query("datasets_catalog")})
    overview.event_data(fake, Filters(), [(UCDP, 1), ("Other", 2)], per_million=False)
    assert {tuple(bound(params, "dataset_ids")) for _, params in fake.calls if "dataset_ids" in str(params)} == {(1,)}
    none = overview.event_data(query, Filters(), [], per_million=False)
    assert none.heading.endswith("no event dataset (no events in this period)")


def test_overview_what_changed_follows_the_rule(query):
    loose = overview.what_changed(query, Filters(), 5, 0)
    strict = overview.what_changed(query, Filters(), 200, 1_000_000)
    assert loose.table is not None and len(loose.sentences) == min(overview.SHOWN_CHANGES, len(loose.table.table))
    assert strict.table is None and strict.sentences == []
    assert list(loose.table.table.columns[:3]) == ["series", "source", "what"]


def test_overview_enforcement_says_why_without_platform_figures():
    empty = pd.DataFrame(columns=["platform", "period_start", "period_label", "value", "source"])
    cards = overview.enforcement(FakeQuery({"content_metrics_by_period": empty}), Filters())
    assert isinstance(cards, overview.Empty) and "Meta reports 2017Q4–2023Q3" in cards.reason


def test_overview_enforcement_compares_the_latest_two_quarters():
    rows = pd.DataFrame({"platform": ["Facebook"] * 2, "period_start": pd.to_datetime(["2023-04-01", "2023-07-01"]),
                         "period_label": ["2023Q2", "2023Q3"], "value": [100.0, 150.0], "source": ["Meta"] * 2})
    cards = overview.enforcement(FakeQuery({"content_metrics_by_period": rows}), Filters())
    assert isinstance(cards, list)
    assert [c.label for c in cards] == ["Facebook · terrorism", "Facebook · proactive rate"]
    assert cards[0].value == "150" and cards[0].delta == "+50.0% vs 2023Q2" and cards[0].delta_color == "off"


# --- published cards ------------------------------------------------------------------------------------------


def test_published_cards_show_the_latest_year_two_sources_cover(query):
    year = published_cards.province_year(query, Filters(), "Attacks")
    chart = published_cards.provinces(query, Filters(), "Attacks", per_million=True, key="k")
    assert year is not None and chart.text.title == f"Attacks by province in {year} per million people, per source"
    assert chart.table["per_million"].notna().all() and chart.table["source"].nunique() >= 2
    trend = published_cards.monthly_trend(query, Filters(), "Deaths", key="t", rule=changes.ChangeRule())
    assert trend.chart.key == "t" and trend.definitions


# --- violence -------------------------------------------------------------------------------------------------


def test_a_focus_from_the_url_must_be_a_known_name():
    assert violence.focus_value("Sindh", ("Sindh", "Punjab")) == ("Sindh", None)
    assert violence.focus_value("Atlantis", ("Sindh",)) == (None, "'Atlantis' is not a known name")
    assert violence.focus_value("", ("Sindh",)) == (None, None)
    assert violence.picked_focus(["Unknown", "Baloch Liberation Army", "Other groups"]) == "Baloch Liberation Army"
    assert violence.picked_focus(["State forces"]) is None


def test_the_cross_filter_leaves_each_chart_its_own_facet():
    names = ("incidents_by_map_region", "incidents_by_group_year", "incidents_by_event_type", "incidents_by_month",
             "incidents_by_district", "incidents_totals", "annotations_in_period")
    fake = FakeQuery(dict.fromkeys(names, pd.DataFrame({"event_type": ["b", "a", "b"]})))
    focus = violence.Focus(region="Sindh", group="Baloch Liberation Army")
    violence.event_data(fake, Filters(regions=("Punjab",)), focus)
    calls = dict(fake.calls)
    assert bound(calls["incidents_by_map_region"], "regions") == ["Punjab"]  # the map shows every province
    assert bound(calls["incidents_by_map_region"], "groups") == ["Baloch Liberation Army"]
    assert bound(calls["incidents_by_group_year"], "regions") == ["Sindh"]
    assert bound(calls["incidents_by_group_year"], "groups") == []  # the group chart shows every group
    assert bound(calls["incidents_by_month"], "regions") == ["Sindh"]
    assert focus.note == " · focus: Sindh · focus: Baloch Liberation Army"


def test_violence_draws_one_source_with_its_focus(query):
    focus = violence.Focus(region="Balochistan")
    controls = violence.Controls("Deaths", per_million=True, generation=3)
    data = violence.event_data(query, Filters(), focus)
    view = violence.source_view(query, Filters(), data, focus, controls, source=UCDP, dataset_id=1,
                                geojson=ui.geojson(), rule=changes.ChangeRule())
    assert view.map.key == "map_ucdp_ged_pakistan_1989_2021_3" and view.groups.key.endswith("_3")
    assert view.map.text.title == "Deaths by province per million people per year"
    assert "yearly average over" in view.map.text.subtitle
    assert set(view.districts.table["region"]) == {"Balochistan"}  # the focus filters the rest
    assert view.groups.text.subtitle.endswith("focus: Balochistan")
    assert view.events.text.title.startswith("The records behind these charts (newest 200 of ")
    assert view.points is not None and not view.located.empty
    event = str(view.located["source_event_id"].iloc[0])
    detail = violence.event_detail(view.located, event)
    assert detail is not None and detail[0] == UCDP and [label for label, _ in detail[1]][:2] == ["Date", "Where"]
    assert violence.event_detail(view.located, "no such event") is None


# --- briefing and admin ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    key: str
    text: ChartText
    page: str = "Violence"
    link: str = "http://x/violence"
    figure: go.Figure = field(default_factory=go.Figure)


def test_a_briefing_holds_the_charts_picked_in_their_order_and_links_the_first():
    drawn = [Drawn(f"k{i}", ChartText(f"Chart {i}")) for i in range(8)]
    assert briefing_page.default_keys(drawn) == ["k0", "k1", "k2", "k3", "k4", "k5"]  # six at most
    picked = briefing_page.chosen(drawn, ["k5", "gone", "k1"])
    assert [c.key for c in picked] == ["k5", "k1"]
    columns, rows = briefing_page.preview_rows(briefing_page.chosen(drawn, briefing_page.default_keys(drawn)),
                                               present=True)
    assert columns == 3 and [len(r) for r in rows] == [3, 3]
    assert briefing_page.preview_rows(picked, present=True)[0] == 2


def test_a_briefing_says_which_charts_it_cannot_offer():
    assert briefing_page.notices([], 0) == []
    one, other = briefing_page.notices(["Violence"], 2)
    assert one.startswith("Left before all its charts were drawn: Violence. Open it again")
    assert other.startswith("2 charts drawn under other filters are not offered")


def test_the_briefing_on_the_default_data_cites_its_sources(query):
    chart = briefing_page.chosen([Drawn("k", ChartText("A chart", source=UCDP))], ["k"])
    made = briefing_page.make(query, Filters(), query("datasets_catalog"), title="T", note="", charts=chart,
                              data_version=1, fallback_link="http://x/briefing")
    assert made.permalink == "http://x/violence" and made.findings
    assert any("Attacks in Pakistan rose 112.6%" in f.text for f in made.findings)
    alone = briefing_page.make(query, Filters(), query("datasets_catalog"), title="T", note="", charts=[],
                               data_version=1, fallback_link="http://x/briefing")
    assert alone.permalink == "http://x/briefing"


def test_the_users_table_never_shows_a_password_hash():
    table = admin.users_table({"vic": {"role": "viewer", "password_hash": "$2b$secret"},
                               "ada": {"role": "admin", "password_hash": "$2b$x", "display_name": "Ada"}})
    assert table.to_dict("records") == [{"user": "ada", "role": "admin", "name": "Ada"},
                                        {"user": "vic", "role": "viewer", "name": ""}]
    assert admin.audit_filter("upload", "  ana ") == {"action": "upload", "who": "ana"}
