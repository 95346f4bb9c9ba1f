"""Loading is all or nothing, versioned, and refuses the same file twice."""

from __future__ import annotations

import pytest

from dashboard import db
from dashboard.filters import Filters
from dashboard.ingest.formats import native_complaints, ucdp_ged
from dashboard.ingest.load import DuplicateDatasetError, load, set_status
from dashboard.ingest.model import DatasetMeta, IngestError, LoadOptions, sha256
from dashboard.ingest.reader import read_csv_text

GOOD = (b"complaint_id,platform,category,group,region,submitted_at,resolved_at,outcome,items\n"
        b"T-1,FB,Terrorist propaganda,TTP,KPK,2024-03-01 10:00:00,2024-03-02 10:00:00,removed,2\n"
        b"T-2,Twitter,Recruitment,,Sindh,2024-03-05 09:00:00,,pending,1\n")
BAD = GOOD + b"T-3,X,Recruitment,,Sindh,2024-03-05 09:00:00,2024-03-01 09:00:00,removed,-4\n"


def meta(data: bytes, name: str = "test log") -> DatasetMeta:
    return DatasetMeta(name=name, kind="complaints", source="Test", licence="test", attribution="test",
                       format="native_complaints", file_name="log.csv", sha256=sha256(data), loaded_by="tester")


def snapshot(con) -> tuple:
    """Every dataset with its catalog and stored row counts, and the data version."""
    return db.run(con, "datasets_integrity").values.tolist(), db.data_version(con)


def test_a_clean_file_loads_with_canonical_names_and_bumps_the_version(rw_con):
    before = db.data_version(rw_con)
    dataset_id = load(rw_con, meta(GOOD), native_complaints.parse(read_csv_text(GOOD)))
    rows = rw_con.execute("select platform, group_name, region, outcome from complaints where dataset_id = ?"
                          " order by complaint_id", [dataset_id]).fetchall()
    assert rows == [("Facebook", "Tehrik-i-Taliban Pakistan", "Khyber Pakhtunkhwa", "removed"),
                    ("X", None, "Sindh", "pending")]
    assert db.data_version(rw_con) > before


def test_a_file_with_problems_changes_nothing_and_names_row_column_value(rw_con):
    before = snapshot(rw_con)
    parsed = native_complaints.parse(read_csv_text(BAD))
    with pytest.raises(IngestError) as caught:
        load(rw_con, meta(BAD), parsed)
    reasons = {(p.row, p.column, p.value) for p in caught.value.problems}
    assert (4, "resolved_at", "2024-03-01 09:00:00") in reasons  # before submitted_at
    assert (4, "items", "-4") in reasons
    assert snapshot(rw_con) == before


def test_loading_only_valid_rows_is_an_explicit_choice_recorded_in_the_catalog(rw_con):
    dataset_id = load(rw_con, meta(BAD), native_complaints.parse(read_csv_text(BAD)), LoadOptions(allow_partial=True))
    row = rw_con.execute("select row_count, rows_rejected from datasets where dataset_id = ?", [dataset_id]).fetchone()
    assert row == (2, 1)


def test_the_same_file_twice_is_refused(rw_con):
    load(rw_con, meta(GOOD), native_complaints.parse(read_csv_text(GOOD)))
    before = snapshot(rw_con)
    with pytest.raises(DuplicateDatasetError, match="loaded before"):
        load(rw_con, meta(GOOD, "again"), native_complaints.parse(read_csv_text(GOOD)))
    assert snapshot(rw_con) == before


def test_a_failure_inside_the_transaction_rolls_everything_back(rw_con, monkeypatch):
    before = snapshot(rw_con)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(db, "bump_data_version", broken)
    with pytest.raises(RuntimeError):
        load(rw_con, meta(GOOD), native_complaints.parse(read_csv_text(GOOD)))
    monkeypatch.undo()
    assert snapshot(rw_con) == before


def test_retract_hides_a_dataset_everywhere_and_restore_brings_it_back(rw_con):
    totals = lambda: db.run(rw_con, "incidents_totals", **Filters().params())["events"].sum()  # noqa: E731
    full = totals()
    set_status(rw_con, 1, "retracted")
    assert totals() == 0
    set_status(rw_con, 1, "active")
    assert totals() == full


def test_ucdp_with_and_without_the_hxl_row():
    header = (b"id,year,type_of_violence,side_a,side_b,adm_1,adm_2,date_start,date_prec,best,latitude,longitude\n")
    hxl = b",#date+year,,#group+name+first,#group+name+second,#adm1+name,#adm2+name,#date+start,,#affected+killed,,\n"
    row = b"7,2010,1,Government of Pakistan,TTP,Khyber Pakhtunkwa province,Swat district,2010-05-01 00:00:00.000,1,4,34.7,72.3\n"
    for data in (header + hxl + row, header + row):
        parsed = ucdp_ged.parse(read_csv_text(data))
        assert not parsed.problems
        assert parsed.frame["group_raw"].tolist() == ["TTP"]
        assert parsed.frame["killed"].tolist() == [4]
        assert str(parsed.frame["event_date"].iloc[0].date()) == "2010-05-01"
