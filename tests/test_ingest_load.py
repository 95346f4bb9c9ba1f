"""Loading uploads: living ACLED series (newest timestamp wins, retract shows the older version),
the analyst's name mappings saved as aliases in the same transaction, and partial loads recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard import db
from dashboard.filters import Filters
from dashboard.ingest import pipeline
from dashboard.ingest.load import alias_tables, load, set_status
from dashboard.ingest.model import LoadOptions

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def upload(con, name: str, data: bytes | None = None, **options) -> int:
    data = data if data is not None else (FIXTURES / name).read_bytes()
    prepared = pipeline.prepare(data, name)
    meta = pipeline.meta_for(prepared, name=name, source="", licence="", attribution="", loaded_by="tester")
    return load(con, meta, prepared.parsed, LoadOptions(**options))


def visible(con) -> dict[str, tuple[int, int]]:
    """source event id -> (killed, dataset) of the ACLED rows the read queries see."""
    everything = Filters(date_from=dt.date(1900, 1, 1), date_to=dt.date(2100, 1, 1)).params()
    frame = con.execute("select source_event_id, killed, dataset_id from filtered_incidents($filters) "
                        "where source_event_id like 'TST%'", everything).df()
    return {r.source_event_id: (r.killed, r.dataset_id) for r in frame.itertuples()}


def test_a_newer_acled_export_updates_events_by_id_and_retract_brings_the_old_version_back(rw_con):
    first = upload(rw_con, "acled_events_current.csv")
    prepared = pipeline.prepare((FIXTURES / "acled_events_update.csv").read_bytes(), "update.csv")
    assert pipeline.overlap(rw_con, prepared) == {"new_events": 1, "newer_events": 1, "same_events": 1,
                                                  "older_events": 0, "absent_events": 2}
    second = upload(rw_con, "acled_events_update.csv")
    seen = visible(rw_con)
    assert seen["TST1001"] == (6, second)  # revised: newer timestamp wins
    assert seen["TST1002"][1] == second  # same version: the later upload
    assert seen["TST1003"] == (0, first) and seen["TST1004"][1] == first  # absent: kept, not deleted
    assert seen["TST1005"][1] == second and len(seen) == 5
    set_status(rw_con, second, "retracted")
    seen = visible(rw_con)
    assert seen["TST1001"] == (4, first) and "TST1005" not in seen and len(seen) == 4
    set_status(rw_con, second, "active")
    assert visible(rw_con)["TST1001"] == (6, second)


def test_an_older_export_loaded_later_does_not_override_newer_versions(rw_con):
    upload(rw_con, "acled_events_update.csv")
    older = upload(rw_con, "acled_events_current.csv")
    seen = visible(rw_con)
    assert seen["TST1001"][0] == 6  # the update's timestamp is newer, whatever the load order
    assert seen["TST1003"][1] == older


def test_a_full_export_can_replace_an_earlier_one_so_deleted_events_go(rw_con):
    first = upload(rw_con, "acled_events_current.csv")
    upload(rw_con, "acled_events_update.csv", retract_ids=(first,))
    assert sorted(visible(rw_con)) == ["TST1001", "TST1002", "TST1005"]
    status = rw_con.execute("select status from datasets where dataset_id = ?", [first]).fetchone()[0]
    assert status == "retracted"


def test_mappings_are_saved_as_aliases_with_the_load_and_used_next_time(rw_con):
    prepared = pipeline.prepare((FIXTURES / "acled_events_current.csv").read_bytes(), "a.csv")
    tables = alias_tables(rw_con)
    unknown = {(u.entity, u.raw): u for u in pipeline.unknown_names(prepared.parsed, tables)}
    newland = unknown[("region", "Newland Province")]
    assert newland.rows == 1 and newland.suggestions == () and newland.default is None  # no region has its words
    ttp = [n for n in unknown if n[1] == "Tehrik-i-Taliban Pakistan (TTP)"]
    assert not ttp  # an alias already knows it
    meta = pipeline.meta_for(prepared, name="a", source="", licence="", attribution="", loaded_by="t")
    options = LoadOptions(extra_aliases={"region": {"Newland Province": "Punjab"}}, save_mappings=True)
    dataset_id = load(rw_con, meta, prepared.parsed, options)
    region = rw_con.execute("select region, region_raw from incidents where dataset_id = ? and "
                            "source_event_id = 'TST1004'", [dataset_id]).fetchone()
    assert region == ("Punjab", "Newland Province")
    assert alias_tables(rw_con)["region"].lookup("newland province") == "Punjab"


def test_a_mapping_to_a_name_that_is_not_canonical_is_refused(rw_con):
    prepared = pipeline.prepare((FIXTURES / "acled_events_current.csv").read_bytes(), "a.csv")
    meta = pipeline.meta_for(prepared, name="a", source="", licence="", attribution="", loaded_by="t")
    with pytest.raises(ValueError, match="not canonical"):
        load(rw_con, meta, prepared.parsed, LoadOptions(extra_aliases={"region": {"Newland Province": "Atlantis"}}))


def test_partial_load_is_recorded_in_the_catalog_notes(rw_con):
    data = (FIXTURES / "acled_events_current.csv").read_bytes().replace(b'",4,,1707000000', b'",-4,,1707000000')
    dataset_id = upload(rw_con, "bad.csv", data, allow_partial=True)
    row = rw_con.execute("select row_count, rows_rejected, notes from datasets where dataset_id = ?",
                         [dataset_id]).fetchone()
    assert row[:2] == (3, 1) and "explicit choice" in row[2]


def test_catalog_records_format_file_sha_rows_and_who(rw_con):
    dataset_id = upload(rw_con, "gtd_subset.csv")
    row = db.run(rw_con, "datasets_catalog").set_index("dataset_id").loc[dataset_id]
    assert (row["format"], row["file_name"], row["row_count"], row["loaded_by"]) == ("gtd", "gtd_subset.csv", 3, "tester")
    assert len(row["sha256"]) == 64 and row["status"] == "active"
