"""The default database holds exactly what the shipped files say."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from dashboard import db
from dashboard.defaults import DATA, DEFAULT_DATASETS
from dashboard.filters import Filters
from dashboard.ingest.names import load_alias_table

UCDP = DATA / "real" / "ucdp_ged_pakistan_1989_2021.csv"


def ucdp_rows() -> list[dict[str, str]]:
    with open(UCDP, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if not r["year"].startswith("#")]  # HXL tag row


def test_ucdp_event_count_and_deaths_match_the_file(con):
    rows = ucdp_rows()
    totals = db.run(con, "incidents_totals", **Filters().params())
    assert len(rows) == 6416  # the count the data README documents
    assert totals["events"].sum() == len(rows)
    assert totals["killed"].sum() == sum(int(r["best"]) for r in rows)


def test_gti_attack_figures_come_back_from_published_figures(con):
    figures = db.run(con, "published_figures_by_period", metrics=["attacks"],
                     sources=["Global Terrorism Index 2025 (IEP)"], region="", group="")
    by_year = figures.groupby("year")["value"].agg(set).to_dict()
    assert by_year[2023] == {517}
    assert by_year[2024] == {1099}


PUBLISHED = [spec for spec in DEFAULT_DATASETS if spec.format == "published_figures"]


def shipped_figures() -> dict[str, dict[str, str]]:
    """Every row of the shipped published-figures files, by figure_id, with its review laid over it."""
    rows: dict[str, dict[str, str]] = {}
    for spec in PUBLISHED:
        with open(spec.path, encoding="utf-8", newline="") as handle:
            rows.update({r["figure_id"]: r for r in csv.DictReader(handle)})
        if spec.review:
            with open(spec.review, encoding="utf-8", newline="") as handle:
                for review in csv.DictReader(handle):
                    rows[review["figure_id"]].update({k: v for k, v in review.items() if v and k != "comment"})
    return rows


def all_loaded_figures(con) -> pd.DataFrame:
    return pd.concat([db.run(con, "published_figures_by_period", metrics=[], sources=[], region=r, group=g)
                      for r in set(db.run(con, "reference_regions")["region"]) | {""}
                      for g in set(db.run(con, "reference_groups")["group_name"]) | {""}])


def test_every_published_figure_row_is_loaded_with_its_citation(con):
    rows = shipped_figures()
    loaded = all_loaded_figures(con).set_index("figure_id")
    assert set(loaded.index) == set(rows)
    for figure_id in ("gti2025-pk-attacks-2024", *list(rows)[-3:]):
        assert (loaded.loc[figure_id, "citation_url"] or "") == rows[figure_id]["citation_url"]
    # names in figures are harmonised like everywhere else, so the sidebar filters apply to them
    assert set(loaded["region"].dropna()) <= set(db.run(con, "reference_regions")["region"])
    assert set(loaded["group_name"].dropna()) <= set(db.run(con, "reference_groups")["group_name"])


def test_every_researched_figure_cites_the_page_it_was_read_on():
    researched = DATA / "real" / "published_figures_2022_2025.csv"
    with open(researched, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 300
    assert all(r["citation_url"].startswith(("https://", "http://")) for r in rows)
    assert {r["value_kind"] for r in rows} <= {"exact", "lower_bound", "approximate"}


def test_every_ucdp_region_spelling_maps_to_a_canonical_region(con):
    regions = load_alias_table(con, "region")
    spellings = {r["adm_1"] for r in ucdp_rows() if r["adm_1"].strip()}
    unmapped = {s for s in spellings if regions.lookup(s) not in regions.canonical}
    assert spellings and not unmapped


def test_catalog_lists_every_default_dataset_with_licence_and_flags(con):
    catalog = db.run(con, "datasets_catalog")
    assert list(catalog["name"]) == [d.name for d in DEFAULT_DATASETS]
    assert catalog["licence"].str.len().min() > 0 and catalog["attribution"].str.len().min() > 0
    synthetic = catalog[catalog["is_synthetic"]]
    assert list(synthetic["kind"]) == ["complaints"] and synthetic["name"].str.startswith("Sample").all()
    assert (catalog["status"] == "active").all() and (catalog["sha256"].str.len() == 64).all()


def test_meta_quirks_are_read_as_numbers_and_fractions(con):
    actioned = db.run(con, "content_metrics_by_period", **Filters(date_from=dt.date(2017, 1, 1), platforms=("Facebook",),
                      date_to=dt.date(2030, 1, 1)).params(policy_areas=["Dangerous Orgs: Terrorism"],
                      metric="Content Actioned", market="Global"))
    raw = pd.read_csv(DATA / "real" / "meta_cser_2023q3.csv", dtype=str)
    raw = raw[(raw.app == "Facebook") & (raw.policy_area == "Dangerous Orgs: Terrorism")
              & (raw.metric == "Content Actioned") & (raw.value != "N/A")]
    expected = raw["value"].str.replace(",", "").astype(float).tolist()
    assert actioned["value"].tolist() == expected
    rate = db.run(con, "content_metrics_by_period", **Filters(date_from=dt.date(2017, 1, 1), platforms=("Facebook",),
                  date_to=dt.date(2030, 1, 1)).params(policy_areas=["Dangerous Orgs: Terrorism"],
                  metric="Proactive rate", market="Global"))
    assert rate["unit"].eq("fraction").all() and rate["value"].between(0, 1).all()


def test_tiktok_pakistan_market_rows_are_loaded(con):
    removed = db.run(con, "content_metrics_by_period", **Filters(date_from=dt.date(2017, 1, 1), platforms=("TikTok",),
                     date_to=dt.date(2030, 1, 1)).params(policy_areas=["All policies"],
                     metric="Total videos removed", market="Pakistan"))
    raw = pd.read_csv(DATA / "real" / "tiktok_cge_2023q3.csv", dtype=str, encoding="utf-8-sig")
    raw = raw[(raw.Market == "Pakistan") & (raw.Metric == "Total videos removed")
              & (raw["Issue Policy"] == "all") & (raw["Task Type"] == "all")]
    assert len(removed) == len(raw) > 0
    assert sorted(removed["value"]) == sorted(raw["Result"].astype(float))


@pytest.mark.parametrize("name", db.query_names())
def test_every_named_query_runs_on_the_default_database(con, name):
    every = Filters().params(
        top_n=8, limit=50, dimension="platform", deadline_hours=48, metric="Content Actioned",
        policy_areas=["Dangerous Orgs: Terrorism"], market="Global", metrics=[], sources=[], region="",
        sha256="0" * 64, group="", action="", actor="", minutes=15, breakdown_prefix="",
    )
    frame = db.run(con, name, **{key: value for key, value in every.items() if key in db.query_parameters(name)})
    assert isinstance(frame, pd.DataFrame) and len(frame.columns) > 0


def test_event_points_are_located_newest_first_and_follow_the_type_filter(con):
    every = db.run(con, "incident_points", **Filters().params(limit=500))
    assert len(every) == 500 and every["latitude"].notna().all() and every["longitude"].notna().all()
    assert every["event_date"].is_monotonic_decreasing
    one = db.run(con, "incident_points", **Filters(event_types=("One-sided violence",)).params(limit=500))
    assert len(one) > 0 and set(one["event_type"]) == {"One-sided violence"}


@pytest.mark.parametrize("name", ["incidents_totals", "incidents_by_region", "incidents_by_map_region",
                                  "incidents_by_district", "incidents_by_group", "incidents_by_month"])
def test_the_event_type_filter_narrows_every_incident_chart_to_that_type(con, name):
    by_type = db.run(con, "incidents_by_event_type", **Filters().params()).set_index("event_type")
    types = ("One-sided violence", "Non-state conflict")
    narrowed = db.run(con, name, **Filters(event_types=types).params())
    assert narrowed["events"].sum() == by_type.loc[list(types), "events"].sum() < by_type["events"].sum()


def test_the_filter_options_offer_the_event_types_of_active_event_data(con):
    options = db.run(con, "filter_options")
    offered = set(options.loc[options["facet"] == "event_type", "value"])
    by_type = db.run(con, "incidents_by_event_type", **Filters().params())
    assert offered == set(by_type["event_type"]) and "One-sided violence" in offered


def test_region_filter_on_khyber_pakhtunkhwa_includes_ex_fata(con):
    everything = db.run(con, "incidents_by_region", **Filters().params()).set_index("region")
    kp = db.run(con, "incidents_by_region", **Filters(regions=("Khyber Pakhtunkhwa",)).params())
    fata = db.run(con, "incidents_by_region", **Filters(regions=("ex-FATA",)).params())
    # ex-FATA events count inside Khyber Pakhtunkhwa, as the census and the map count them
    assert set(kp["region"]) == {"Khyber Pakhtunkhwa"} and "ex-FATA" not in everything.index
    assert kp["events"].sum() == everything.loc["Khyber Pakhtunkhwa", "events"]
    assert set(fata["region"]) == {"Khyber Pakhtunkhwa"}
    assert 0 < fata["events"].sum() < kp["events"].sum()


def test_region_ranking_and_map_use_one_rule_for_khyber_pakhtunkhwa(con):
    """The Overview's ranking and the map once gave KP 33.4 and 116.0 per million: one numerator now."""
    by_region = db.run(con, "incidents_by_region", **Filters().params()).set_index("region")
    mapped = db.run(con, "incidents_by_map_region", **Filters().params()).set_index("region")
    for column in ("events", "killed", "events_per_million", "killed_per_million"):
        assert by_region.loc["Khyber Pakhtunkhwa", column] == pytest.approx(mapped.loc["Khyber Pakhtunkhwa", column])
    assert "ex-FATA" not in mapped.index and len(mapped) == 7


def test_rates_per_million_are_yearly_averages_over_the_covered_years(con):
    mapped = db.run(con, "incidents_by_map_region", **Filters().params()).set_index("region")
    row = mapped.loc["Punjab"]
    # UCDP covers 1989-2021: 33 years, whatever wider period the filter asks for
    assert row["years"] == pytest.approx(33, abs=0.1)  # first event 25 Jan 1989 to 31 Dec 2021
    assert row["events_per_million"] == pytest.approx(row["events"] / row["years"] / row["population"] * 1e6)
    one_year = db.run(con, "incidents_by_map_region", **Filters(date_from=pd.Timestamp("2020-01-01").date(),
                                                                date_to=pd.Timestamp("2020-12-31").date()).params())
    assert one_year.set_index("region").loc["Punjab", "years"] == pytest.approx(1, abs=0.01)


def test_group_year_series_add_up_to_the_source_total(con):
    stacked = db.run(con, "incidents_by_group_year", **Filters().params(top_n=5))
    totals = db.run(con, "incidents_by_year", **Filters().params())
    # five armed groups, "Other groups" and "State forces" (never ranked among armed groups)
    assert stacked["group_name"].nunique() == 7 and "Government of India" not in set(stacked["group_name"])
    assert stacked.loc[stacked["group_name"] == "State forces", "events"].sum() > 0
    assert stacked["events"].sum() == totals["events"].sum()


def test_complaint_compliance_by_platform_follows_the_pta_calibration(con):
    figures = db.run(con, "published_figures_by_period", metrics=["compliance_rate"], sources=["PTA"], region="", group="")
    published = figures.dropna(subset=["platform"]).set_index("platform")["value"]
    tracker = db.run(con, "complaints_by_dimension", **Filters(date_from=pd.Timestamp("2023-01-01").date()).params(
        dimension="platform", deadline_hours=48)).set_index("dimension_value")
    assert set(published.index) == {"Facebook", "Instagram", "TikTok", "X"}
    for platform, rate in published.items():
        assert tracker.loc[platform, "compliance_rate"] == pytest.approx(rate, abs=0.03)
    assert tracker["is_synthetic"].all()
    assert (tracker["p90_hours"] >= tracker["median_hours"]).all()
