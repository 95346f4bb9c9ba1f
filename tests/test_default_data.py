"""The default database holds exactly what the shipped files say."""

from __future__ import annotations

import csv

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


def test_every_published_figure_row_is_loaded_with_its_citation(con):
    with open(DATA / "real" / "published_figures.csv", encoding="utf-8", newline="") as handle:
        rows = {r["figure_id"]: r for r in csv.DictReader(handle)}
    loaded = pd.concat([db.run(con, "published_figures_by_period", metrics=[], sources=[], region=r, group=g)
                        for r in set(db.run(con, "reference_regions")["region"]) | {""}
                        for g in set(db.run(con, "reference_groups")["group_name"]) | {""}])
    assert set(loaded["figure_id"]) == set(rows)
    sample = loaded.set_index("figure_id").loc["gti2025-pk-attacks-2024"]
    assert sample["citation_url"] == rows["gti2025-pk-attacks-2024"]["citation_url"]
    # names in figures are harmonised like everywhere else, so the sidebar filters apply to them
    assert set(loaded["region"].dropna()) <= set(db.run(con, "reference_regions")["region"])
    assert set(loaded["group_name"].dropna()) == {"Tehrik-i-Taliban Pakistan", "Balochistan Liberation Army"}


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
    actioned = db.run(con, "content_metrics_by_period", platforms=["Facebook"],
                      policy_areas=["Dangerous Orgs: Terrorism"], metric="Content Actioned", market="Global",
                      date_from="2017-01-01", date_to="2030-01-01")
    raw = pd.read_csv(DATA / "real" / "meta_cser_2023q3.csv", dtype=str)
    raw = raw[(raw.app == "Facebook") & (raw.policy_area == "Dangerous Orgs: Terrorism")
              & (raw.metric == "Content Actioned") & (raw.value != "N/A")]
    expected = raw["value"].str.replace(",", "").astype(float).tolist()
    assert actioned["value"].tolist() == expected
    rate = db.run(con, "content_metrics_by_period", platforms=["Facebook"],
                  policy_areas=["Dangerous Orgs: Terrorism"], metric="Proactive rate", market="Global",
                  date_from="2017-01-01", date_to="2030-01-01")
    assert rate["unit"].eq("fraction").all() and rate["value"].between(0, 1).all()


def test_tiktok_pakistan_market_rows_are_loaded(con):
    removed = db.run(con, "content_metrics_by_period", platforms=["TikTok"], policy_areas=["All policies"],
                     metric="Total videos removed", market="Pakistan",
                     date_from="2017-01-01", date_to="2030-01-01")
    raw = pd.read_csv(DATA / "real" / "tiktok_cge_2023q3.csv", dtype=str, encoding="utf-8-sig")
    raw = raw[(raw.Market == "Pakistan") & (raw.Metric == "Total videos removed")
              & (raw["Issue Policy"] == "all") & (raw["Task Type"] == "all")]
    assert len(removed) == len(raw) > 0
    assert sorted(removed["value"]) == sorted(raw["Result"].astype(float))


@pytest.mark.parametrize("name", db.query_names())
def test_every_named_query_runs_on_the_default_database(con, name):
    params = Filters().params(
        top_n=8, limit=50, dimension="platform", deadline_hours=48, metric="Content Actioned",
        policy_areas=["Dangerous Orgs: Terrorism"], market="Global", metrics=[], sources=[], region="",
        sha256="0" * 64, group="", action="", actor="", minutes=15, breakdown_prefix="",
    )
    frame = db.run(con, name, **params)
    assert isinstance(frame, pd.DataFrame) and len(frame.columns) > 0


def test_region_filter_on_khyber_pakhtunkhwa_includes_ex_fata(con):
    kp = db.run(con, "incidents_by_region", **Filters(regions=("Khyber Pakhtunkhwa",)).params())
    assert set(kp["region"]) == {"Khyber Pakhtunkhwa", "ex-FATA"}
    fata = db.run(con, "incidents_by_region", **Filters(regions=("ex-FATA",)).params())
    assert set(fata["region"]) == {"ex-FATA"}


def test_map_regions_roll_ex_fata_into_kp_and_give_rates_per_million(con):
    by_region = db.run(con, "incidents_by_region", **Filters().params())
    mapped = db.run(con, "incidents_by_map_region", **Filters().params()).set_index("region")
    kp_total = by_region.loc[by_region["region"].isin(["Khyber Pakhtunkhwa", "ex-FATA"]), "events"].sum()
    assert mapped.loc["Khyber Pakhtunkhwa", "events"] == kp_total
    assert "ex-FATA" not in mapped.index and len(mapped) == 7
    row = mapped.loc["Punjab"]
    assert row["events_per_million"] == pytest.approx(row["events"] / row["population"] * 1e6)


def test_group_year_series_add_up_to_the_source_total(con):
    params = Filters().params(top_n=5)
    stacked = db.run(con, "incidents_by_group_year", **params)
    totals = db.run(con, "incidents_by_year", **params)
    assert stacked["group_name"].nunique() == 6  # five groups and "Other groups"
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
