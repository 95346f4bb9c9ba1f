"""Names are matched within their country (issue 11): a two-country events file loads without any event of
the other country reaching Pakistan's provinces, on the map or in the province chart; the analyst may leave
those rows out instead; partial-load choices (blank an invalid optional cell) are recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import db
from dashboard.filters import Filters
from dashboard.ingest import pipeline
from dashboard.ingest.load import alias_tables, load
from dashboard.ingest.model import LoadOptions

# Hand-made: the same province names on both sides of the border, and India's "Jammu and Kashmir".
TWO_COUNTRIES = (b"event_date,country,region,group,killed\n"
                 b"2015-01-02,Pakistan,Punjab,A,1\n"
                 b"2015-01-03,Pakistan,Punjab,A,2\n"
                 b"2015-01-04,India,Punjab,B,5\n"
                 b"2015-01-05,India,Punjab,B,5\n"
                 b"2015-01-06,India,Punjab,B,5\n"
                 b"2015-01-07,India,Jammu and Kashmir,C,1\n"
                 b"2015-01-08,Pakistan,Azad Kashmir,A,1\n"
                 b"2015-01-09,,Sindh,A,1\n")
PERIOD = Filters(date_from=dt.date(2015, 1, 1), date_to=dt.date(2015, 12, 31))


def prepare_and_load(con, data: bytes, name: str, **options) -> int:
    prepared = pipeline.prepare(data, name)
    meta = pipeline.meta_for(prepared, name=name, source="", licence="", attribution="", loaded_by="tester")
    return load(con, meta, prepared.parsed, LoadOptions(**options))


def test_rows_of_another_country_are_reported_by_country_and_their_regions_are_not_unknown_names(con):
    prepared = pipeline.prepare(TWO_COUNTRIES, "two.csv")
    tables = alias_tables(con)
    assert pipeline.other_countries(prepared.parsed, tables).to_dict() == {"India": 4}
    unknown = [(u.entity, u.raw) for u in pipeline.unknown_names(prepared.parsed, tables) if u.entity == "region"]
    assert unknown == []  # India's Punjab and Jammu and Kashmir are never offered a Pakistani province
    summary = pipeline.summarise(prepared, tables)
    regions = summary.top["regions"].to_dict()
    assert regions["Punjab"] == 2 and regions["Punjab (India)"] == 3
    assert regions["Jammu and Kashmir (India)"] == 1 and regions["Azad Jammu and Kashmir"] == 1


def test_no_event_of_the_other_country_reaches_pakistans_provinces(rw_con):
    dataset = prepare_and_load(rw_con, TWO_COUNTRIES, "two.csv", other_countries="keep")
    params = PERIOD.replace(dataset_ids=[dataset]).params()
    on_map = db.run(rw_con, "incidents_by_map_region", **params).set_index("region")["events"]
    assert on_map["Punjab"] == 2 and on_map["Azad Jammu and Kashmir"] == 1 and on_map["Sindh"] == 1
    assert on_map.sum() == 4  # the four Pakistani events (a row without a country is taken as Pakistan's)
    by_region = db.run(rw_con, "incidents_by_region", **params).set_index("region")["events"]
    assert by_region["Punjab"] == 2
    assert by_region["Punjab (India)"] == 3 and by_region["Jammu and Kashmir (India)"] == 1  # under their country
    countries = rw_con.execute("select country, count(*) from incidents where dataset_id = $d group by 1",
                               {"d": dataset}).fetchall()
    assert dict(countries) == {"Pakistan": 3, "India": 4, None: 1}


def test_the_other_countrys_rows_can_be_left_out_and_the_catalog_says_so(rw_con):
    dataset = prepare_and_load(rw_con, TWO_COUNTRIES, "two.csv", other_countries="leave_out")
    rows = rw_con.execute("select count(*) from incidents where dataset_id = $d", {"d": dataset}).fetchone()[0]
    assert rows == 4
    catalog = db.run(rw_con, "datasets_catalog").set_index("dataset_id").loc[dataset]
    assert "4 rows of countries outside the reference tables were left out" in catalog["notes"]


def test_an_invalid_optional_cell_is_blanked_and_the_event_kept_at_the_analysts_choice(rw_con):
    data = (b"event_date,region,group,killed,injured\n"
            b"2015-01-02,Punjab,A,85,100+\n"
            b"2015-01-03,Sindh,A,1,2\n"
            b"not a date,Sindh,A,1,2\n")
    prepared = pipeline.prepare(data, "blank.csv")
    assert [(p.row, p.column, p.value) for p in prepared.parsed.problems] == [(4, "event_date", "not a date"),
                                                                              (2, "injured", "100+")]
    meta = pipeline.meta_for(prepared, name="b", source="", licence="", attribution="", loaded_by="tester")
    with pytest.raises(pipeline.IngestError):  # blanking cannot fix a bad date: the row still blocks
        load(rw_con, meta, prepared.parsed, LoadOptions(blank_optional=True))
    dataset = load(rw_con, meta, prepared.parsed, LoadOptions(blank_optional=True, allow_partial=True))
    rows = rw_con.execute("select killed, injured from incidents where dataset_id = $d order by event_date",
                          {"d": dataset}).fetchall()
    assert rows == [(85, None), (1, 2)]  # the 85-killed event is kept, its bad injured cell blank
    catalog = db.run(rw_con, "datasets_catalog").set_index("dataset_id").loc[dataset]
    assert catalog["rows_rejected"] == 1 and "1 invalid optional cells were left blank" in catalog["notes"]


def test_every_problem_is_in_the_report_and_rows_with_problems_are_counted_right_past_200():
    lines = [b"event_date,region,group,killed"] + [b"2015-01-02,Sindh,A,x%d" % i for i in range(250)] + \
            [b"2015-01-02,Sindh,A,1"] * 10
    prepared = pipeline.prepare(b"\n".join(lines) + b"\n", "many.csv")
    assert len(prepared.parsed.problems) == 250 and prepared.rows_with_problems == 250
    assert not prepared.file_level_problems  # every problem has its row: "load only the valid rows" works
    report = pipeline.report_csv(prepared.parsed.problems).decode("utf-8-sig").splitlines()
    assert len(report) == 251 and report[-1].startswith("251,killed,x249")
