"""Each adapter on real excerpts (UCDP, Meta, TikTok, EU DSA) and on hand-made files that follow the
published ACLED and GTD headers (their terms forbid shipping real rows: every row here is invented)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dashboard.ingest import pipeline
from dashboard.ingest.detect import Mapping, UnknownFormatError, detect
from dashboard.ingest.formats import acled_events
from dashboard.ingest.mapping import guess
from dashboard.ingest.registry import TEMPLATES
from dashboard.ingest.templates import template_csv

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def prepared(name: str) -> pipeline.Prepared:
    return pipeline.prepare((FIXTURES / name).read_bytes(), name)


@pytest.mark.parametrize("name, fmt", [
    ("acled_events_current.csv", "acled_events"), ("acled_events_pre2023_upper.csv", "acled_events"),
    ("acled_events_text_inter.csv", "acled_events"), ("acled_weekly.csv", "acled_weekly"),
    ("gtd_full.csv", "gtd"), ("gtd_subset.csv", "gtd"), ("ucdp_ged_excerpt.csv", "ucdp_ged"),
    ("meta_cser_excerpt.csv", "meta_cser"), ("tiktok_cge_excerpt.csv", "tiktok_cge"),
    ("eu_dsa_sor_excerpt.csv", "eu_dsa_sor"),
])
def test_every_fixture_is_recognised_and_clean(name, fmt):
    result = prepared(name)
    assert result.format.name == fmt
    assert result.parsed.problems == []
    assert len(result.parsed.frame) > 0


def test_acled_current_layout_maps_fields_and_picks_the_armed_non_state_actor():
    frame = prepared("acled_events_current.csv").parsed.frame.set_index("source_event_id")
    assert frame.loc["TST1001", "group_raw"] == "Tehrik-i-Taliban Pakistan (TTP)"  # actor2: state vs rebels
    assert frame.loc["TST1002", "group_raw"] == "BLA: Baloch Liberation Army"
    assert pd.isna(frame.loc["TST1003", "group_raw"])  # a protest has no armed group
    assert frame.loc["TST1001", "killed"] == 4 and frame.loc["TST1001", "source_updated_at"] == 1707000000
    assert frame["date_precision"].tolist() == ["day", "week", "month", "day"]
    assert frame.loc["TST1004", "region_raw"] == "Newland Province"
    assert frame.loc["TST1001", "event_date"] == pd.Timestamp("2024-02-03")


@pytest.mark.parametrize("other", ["acled_events_pre2023_upper.csv", "acled_events_text_inter.csv"])
def test_acled_older_layout_upper_case_text_codes_and_date_styles_give_the_same_rows(other):
    columns = ["source_event_id", "event_date", "group_raw", "killed", "region_raw", "date_precision"]
    current = prepared("acled_events_current.csv").parsed.frame[columns].head(3).reset_index(drop=True)
    assert prepared(other).parsed.frame[columns].reset_index(drop=True).equals(current)


def test_acled_pre2023_file_in_windows_1252_keeps_its_accents():
    result = prepared("acled_events_pre2023_upper.csv")
    assert result.source.encoding == "cp1252"
    assert result.parsed.frame["location"].iloc[0] == "Test Villagé A"


def test_acled_text_inter_file_is_semicolon_separated_with_bom_and_crlf():
    source = prepared("acled_events_text_inter.csv").source
    assert (source.delimiter, source.encoding) == (";", "utf-8-sig")


@pytest.mark.parametrize("value, code", [("1", "1"), ("3.0", "3"), ("Political militia", "3"),
                                         ("political militias", "3"), ("State Forces", "1"), ("", ""), ("0", "")])
def test_acled_actor_types_as_codes_or_text(value, code):
    assert acled_events._actor_code(value) == code


def test_acled_bad_actor_type_is_a_problem():
    data = (FIXTURES / "acled_events_current.csv").read_bytes().replace(b",1,Tehrik", b",9,Tehrik")
    problems = pipeline.prepare(data, "x.csv").parsed.problems
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "inter1", "9")]


def test_acled_weekly_rows_are_aggregates_without_groups():
    frame = prepared("acled_weekly.csv").parsed.frame
    assert frame["events"].tolist() == [5, 3, 12] and frame["killed"].tolist() == [9, 2, 0]
    assert set(frame["date_precision"]) == {"week"} and frame["group_raw"].isna().all()
    assert frame["region_raw"].tolist() == ["Khyber Pakhtunkhwa", "Balochistan", "Sindh"]


def test_gtd_unknown_day_month_and_sentinels():
    frame = prepared("gtd_full.csv").parsed.frame.set_index("source_event_id")
    assert frame.loc["201901010001", ["event_date", "date_precision"]].tolist() == [pd.Timestamp("2019-01-05"), "day"]
    assert frame.loc["201902000002", ["event_date", "date_precision"]].tolist() == [pd.Timestamp("2019-02-01"), "month"]
    assert frame.loc["201900000003", ["event_date", "date_precision"]].tolist() == [pd.Timestamp("2019-01-01"), "year"]
    assert pd.isna(frame.loc["201902000002", "killed"]) and pd.isna(frame.loc["201902000002", "injured"])
    assert pd.isna(frame.loc["201902000002", "group_raw"])  # "Unknown" is no group
    assert frame.loc["201901010001", ["killed", "injured", "event_type"]].tolist() == [3, 5, "Bombing/Explosion"]


def test_gtd_subset_gives_the_same_rows_as_the_full_file():
    columns = ["source_event_id", "event_date", "date_precision", "group_raw", "killed", "injured", "region_raw"]
    full = prepared("gtd_full.csv").parsed.frame[columns]
    assert prepared("gtd_subset.csv").parsed.frame[columns].equals(full)


def test_gtd_impossible_date_is_named():
    data = (FIXTURES / "gtd_subset.csv").read_bytes().replace(b"201901010001,2019,1,5", b"201901010001,2019,2,30")
    problems = pipeline.prepare(data, "gtd.csv").parsed.problems
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "iday", "2019-2-30")]


def test_ucdp_real_excerpt_drops_the_hxl_row_and_keeps_spreadsheet_row_numbers():
    frame = prepared("ucdp_ged_excerpt.csv").parsed.frame
    assert frame["_row"].iloc[0] == 3  # row 2 is the HXL tag row
    assert frame["killed"].notna().all() and (frame["events"] == 1).all()


def test_meta_real_excerpt_turns_percentages_into_fractions():
    frame = prepared("meta_cser_excerpt.csv").parsed.frame
    assert set(frame["unit"]) <= {"count", "fraction"}
    assert frame.loc[frame["unit"] == "fraction", "value"].between(0, 1).all()


def test_tiktok_real_excerpt_with_bom():
    result = prepared("tiktok_cge_excerpt.csv")
    assert result.source.encoding == "utf-8-sig"
    assert set(result.parsed.frame["platform"]) == {"TikTok"}


def test_eu_dsa_statements_are_counted_per_platform_category_and_day():
    result = prepared("eu_dsa_sor_excerpt.csv")
    frame = result.parsed.frame
    totals = frame[frame["breakdown"].isna() & (frame["policy_area"] != "Terrorist content (keyword)")]
    assert totals["value"].sum() == result.parsed.rows_read == 8
    assert set(frame["market"]) == {"EU"} and set(frame["unit"]) == {"count"}
    assert frame["period_start"].dt.date.eq(dt.date(2025, 7, 1)).all()
    assert frame["breakdown"].dropna().str.startswith(
        ("Visibility: ", "Ground: ", "Automated decision: ", "Automated detection: ", "Content type: ", "Keyword: ",
         "Scope: ")).all()
    assert "Intellectual property infringements" in set(frame["policy_area"])


def test_eu_dsa_time_zones_and_bad_json_arrays():
    data = (FIXTURES / "eu_dsa_sor_excerpt.csv").read_bytes()
    data = data.replace(b'"2025-07-01 00:03:33"', b'"2025-07-01T01:03:33+02:00"', 1)
    result = pipeline.prepare(data, "dsa.csv")
    assert result.parsed.problems == []
    broken = data.replace(b'"[""DECISION_VISIBILITY_CONTENT_REMOVED""]"', b'"[DECISION_VISIBILITY_CONTENT_REMOVED"', 1)
    problems = pipeline.prepare(broken, "dsa.csv").parsed.problems
    assert [(p.column, p.reason.split(" ")[0]) for p in problems] == [("decision_visibility", "is")]


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_native_templates_round_trip(name):
    result = pipeline.prepare(template_csv(name), f"{name}.csv")
    assert result.format.name == name and result.parsed.problems == []


def test_native_content_metrics_checks_fractions_and_period_order():
    data = (b"platform,policy_area,metric,period_start,period_end,value,unit\n"
            b"X,Violent extremism,Removal rate,2024-01-01,2024-03-31,95,fraction\n"
            b"X,Violent extremism,Posts removed,2024-04-01,2024-03-31,10,count\n"
            b"YT,Violent extremism,Videos removed,2024-01-01,2024-01-31,10,count\n")
    result = pipeline.prepare(data, "m.csv")
    assert [(p.row, p.column) for p in result.parsed.problems] == [(3, "period_end"), (2, "value")]
    assert result.parsed.frame["period_label"].tolist()[2] == "2024-01"


def test_unknown_header_offers_mapping_onto_a_template():
    data = b"When,Province,Outfit,Dead\n2024-01-02,KPK,TTP,3\n"
    with pytest.raises(UnknownFormatError) as caught:
        pipeline.prepare(data, "own.csv")
    assert caught.value.nearest is None
    mapping = Mapping("native_events", {"event_date": "When", "region": "Province", "group": "Outfit",
                                        "killed": "Dead"})
    result = pipeline.prepare(data, "own.csv", mapping=mapping)
    assert result.parsed.problems == []
    assert result.parsed.frame[["region_raw", "group_raw", "killed"]].iloc[0].tolist() == ["KPK", "TTP", 3]


def test_mapping_must_cover_required_columns():
    """An events mapping needs a date (or a year column); everything else, the group included, is optional."""
    with pytest.raises(pipeline.IngestError, match="not mapped"):
        pipeline.prepare(b"a,b\n1,2\n", "x.csv", mapping=Mapping("native_events", {"killed": "a"}))
    result = pipeline.prepare(b"a,b\n2015-01-02,2\n", "x.csv", mapping=Mapping("native_events", {"event_date": "a"}))
    assert result.parsed.problems == [] and result.parsed.frame["group_raw"].isna().all()


def test_a_near_miss_header_names_the_missing_column_and_the_likely_typo():
    header = ["event_id_cnty", "event_date", "event_type", "actor1", "country", "admin1", "fatalites"]
    with pytest.raises(UnknownFormatError) as caught:
        detect(header)
    assert caught.value.nearest.name == "acled_events" and caught.value.missing == ["fatalities"]
    assert "'fatalites' meant to be 'fatalities'" in str(caught.value)


def test_suggested_mapping_matches_similar_names():
    guessed = guess("native_events", ["Event Date", "Region", "Group", "Killed", "other"]).columns
    assert guessed["event_date"] == "Event Date" and guessed["killed"] == "Killed" and guessed["event_id"] is None
