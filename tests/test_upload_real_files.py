"""Issue 11 through the upload page (AppTest): hand-made files of each shape analysts bring, every decision
made in the page. No ACLED or GTD row is shipped: every file here is written in the test."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard import db
from dashboard.filters import Filters
from dashboard.ingest import mapping as decisions_file
from tests import test_upload_page
from tests.test_upload_page import map_box, upload

page, users_file = test_upload_page.page, test_upload_page.users_file  # fixtures: pytest finds them by name

COUNTS = b"Country,Year,Freq,Influencing Event/Event\nPakistan,2014,12,Attacks on markets\nPakistan,2015,7,Bombings\n"
TWO_COUNTRIES = (b"event_date,country,region,group,killed\n"
                 b"2015-01-02,Pakistan,Punjab,TTP,1\n2015-01-03,Pakistan,Punjab,TTP,2\n"
                 b"2015-01-04,India,Punjab,Group B,5\n2015-01-05,India,Jammu and Kashmir,Group C,1\n")


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def dataset_rows(path, dataset_id: int, sql: str) -> list:
    con = db.connect(path)
    try:
        return con.execute(sql, {"d": dataset_id}).fetchall()
    finally:
        con.close()


def test_a_count_table_is_guessed_mapped_and_loaded_as_aggregated_events(page, writable_db):
    at = upload(page, "counts.csv", COUNTS)
    assert map_box(at, "events").value == "Freq"  # never the free-text "Influencing Event/Event"
    assert map_box(at, "year").value == "Year" and map_box(at, "country").value == "Country"
    assert map_box(at, "group").value == "(none)" and map_box(at, "event_date").value == "(none)"
    at.button(key="apply_mapping").click().run()
    assert not at.exception, at.exception
    assert "columns mapped by you" in " ".join(m.value for m in at.markdown)
    assert map_box(at, "events").value == "Freq"  # the mapping stays on screen, editable
    assert metric(at, "Rows to load") == "2"
    at.button(key="load_button").click().run()
    dataset_id = at.session_state["upload_loaded"]
    rows = dataset_rows(writable_db, dataset_id, "select event_date, date_precision, events, group_name "
                                                 "from incidents where dataset_id = $d order by event_date")
    assert rows == [(dt.date(2014, 1, 1), "year", 12, None), (dt.date(2015, 1, 1), "year", 7, None)]


def test_the_mapping_is_reused_for_the_next_file_of_the_same_shape_openly_and_downloads_as_json(page):
    at = upload(page, "counts.csv", COUNTS)
    map_box(at, "events").set_value("Freq").run()
    at.button(key="apply_mapping").click().run()
    shape = decisions_file.shape_key(("Country", "Year", "Freq", "Influencing Event/Event"))
    saved = json.loads(decisions_file.to_json(at.session_state["decisions_by_shape"][shape]))  # what downloads
    assert saved["template"] == "native_events" and saved["columns"]["events"] == "Freq"
    next_month = COUNTS.replace(b"2015,7", b"2016,3")
    at = upload(at, "counts_2016.csv", next_month)
    assert any("same shape" in i.value for i in at.info)  # said, never silent
    assert "columns mapped by you" in " ".join(m.value for m in at.markdown)
    other = upload(at, "other.csv", b"Incident Date,Province,Deaths\n2015-01-02,Sindh,1\n")
    assert map_box(other, "event_date").value == "Incident Date"  # a new shape gets its own guesses
    assert map_box(other, "killed").value == "Deaths" and map_box(other, "events").value == "(none)"


def test_every_unknown_name_can_be_mapped_with_search_and_paging(page):
    lines = [b"event_date,region,group,killed"] + [b"2015-01-02,Sindh,Newgroup %02d,1" % i for i in range(45)] \
        + [b"2015-01-03,Sindh,Newgroup 44,1"] * 2  # the most frequent name: it leads the preview once mapped
    at = upload(page, "many_names.csv", b"\n".join(lines) + b"\n")
    pickers = [b for b in at.selectbox if b.key and b.key.startswith("name_group_")]
    assert len(pickers) == 20
    at.number_input(key="names_page").set_value(3).run()
    assert len([b for b in at.selectbox if b.key and b.key.startswith("name_group_")]) == 5
    at.text_input(key="names_search").set_value("Newgroup 44").run()
    box = at.selectbox(key="name_group_Newgroup 44")
    box.set_value("Tehrik-i-Taliban Pakistan")
    at.button(key="names_submit").click().run()
    assert not at.exception, at.exception
    assert at.session_state["name_picks"][("group", "Newgroup 44")] == "Tehrik-i-Taliban Pakistan"
    groups = next(d for d in at.dataframe if "groups" in d.value.columns).value
    assert "Tehrik-i-Taliban Pakistan" in groups["groups"].tolist()


def test_two_countries_choose_keep_and_no_indian_event_reaches_pakistans_provinces(page, writable_db):
    at = upload(page, "two.csv", TWO_COUNTRIES)
    table = next(d.value for d in at.dataframe if "country" in d.value.columns and "events" in d.value.columns)
    assert table.values.tolist() == [["India", 2]]
    assert at.button(key="load_button").disabled  # the analyst must choose
    [radio] = [r for r in at.radio if r.key.startswith("other_countries_")]
    radio.set_value("keep").run()
    at.button(key="load_button").click().run()
    dataset_id = at.session_state["upload_loaded"]
    con = db.connect(writable_db)
    try:
        on_map = db.run(con, "incidents_by_map_region", **Filters(date_from=dt.date(2015, 1, 1),
                        date_to=dt.date(2015, 12, 31), dataset_ids=(dataset_id,)).params()).set_index("region")["events"]
    finally:
        con.close()
    assert on_map["Punjab"] == 2 and on_map.sum() == 2


def test_more_than_200_problems_counts_right_and_the_report_lists_every_one(page):
    lines = [b"event_date,region,group,killed"] + [b"2099-01-%02d,Sindh,TTP,1" % (i % 28 + 1) for i in range(230)] \
        + [b"2015-01-02,Sindh,TTP,1"] * 7
    at = upload(page, "many_bad.csv", b"\n".join(lines) + b"\n")
    at.checkbox(key="allow_partial").check().run()
    assert metric(at, "Rows with problems") == "230" and metric(at, "Rows to load") == "7"
    report = next(d.value for d in at.dataframe if list(d.value.columns) == ["row", "column", "value", "reason"])
    assert len(report) == 230
    assert not at.button(key="load_button").disabled


def test_a_bad_optional_cell_can_be_blanked_and_the_event_kept(page, writable_db):
    data = b"event_date,region,group,killed,injured\n2015-01-02,Punjab,TTP,85,100+\n2015-01-03,Sindh,TTP,1,2\n"
    at = upload(page, "blank.csv", data)
    assert at.button(key="load_button").disabled and metric(at, "Rows to load") == "0"
    at.checkbox(key="blank_optional").check().run()
    assert metric(at, "Rows to load") == "2" and not at.button(key="load_button").disabled
    at.button(key="load_button").click().run()
    rows = dataset_rows(writable_db, at.session_state["upload_loaded"],
                        "select killed, injured from incidents where dataset_id = $d order by event_date")
    assert rows == [(85, None), (1, 2)]


def test_a_truncated_file_loads_its_complete_rows_at_the_analysts_choice(page, writable_db):
    data = b"event_date,region,group,killed\n2015-01-02,Sindh,TTP,1\n2015-01-03,Punjab,TTP,2\n2015-01-04,Pun"
    at = upload(page, "cut.csv", data)
    assert any("cannot be loaded" in e.value for e in at.error)
    [box] = [c for c in at.checkbox if c.key.startswith("complete_rows_")]
    box.check().run()
    assert not at.exception, at.exception
    assert metric(at, "Rows to load") == "2" and any("cut off" in i.value for i in at.info)
    at.button(key="load_button").click().run()
    rows = dataset_rows(writable_db, at.session_state["upload_loaded"],
                        "select count(*) from incidents where dataset_id = $d")
    assert rows == [(2,)]


def test_the_last_files_loaded_panel_does_not_stay_under_the_next_files_error(page):
    at = upload(page, "ok.csv", b"event_date,region,group,killed\n2015-01-02,Sindh,TTP,1\n")
    at.button(key="load_button").click().run()
    assert any(s.value.startswith("Loaded as dataset") for s in at.success)
    at = upload(at, "empty.csv", b"")
    assert not any(s.value.startswith("Loaded as dataset") for s in at.success)


def test_a_mapping_file_uploaded_in_the_page_maps_the_columns_and_names(page, writable_db):
    at = upload(page, "counts.csv", COUNTS.replace(b"Pakistan", b"Pak-land"))
    mapping_file = {"observatory_mapping": 1, "template": "native_events", "date_order": "auto",
                    "columns": {"region": "Country", "year": "Year", "events": "Freq"},
                    "names": {"region": {"Pak-land": "Sindh"}, "group": {"x": "<not a known name>"}}}
    shape = decisions_file.shape_key(("Country", "Year", "Freq", "Influencing Event/Event"))
    at.file_uploader(key="mapping_file_" + shape).set_value(
        ("m.json", json.dumps(mapping_file).encode(), "application/json"))
    at.run()
    assert not at.exception, at.exception
    assert "columns mapped by you" in " ".join(m.value for m in at.markdown)
    regions = next(d for d in at.dataframe if "regions" in d.value.columns).value
    assert regions["regions"].tolist() == ["Sindh"]
    at.button(key="load_button").click().run()
    rows = dataset_rows(writable_db, at.session_state["upload_loaded"],
                        "select region, sum(events) from incidents where dataset_id = $d group by 1")
    assert rows == [("Sindh", 19)]


@pytest.mark.parametrize("name, data, label", [
    ("gtd_no_id.csv", b"iyear,imonth,iday,country_txt,provstate,gname,nkill\n2015,1,0,Pakistan,Sindh,"
                      b"Baloch Liberation Army (BLA),2\n", "Global Terrorism Database"),
    ("gtd_excel.csv", b"iyear,imonth,iday,provstate,gname,nkill;;;\r\n"
                      b"2015,1,3,Sindh,Baloch Republican Army (BRA),2;;;\r\n", "Global Terrorism Database"),
    ("acled_old.csv", b"EVENT_ID_CNTY,EVENT_DATE,YEAR,EVENT_TYPE,ACTOR1,INTER1,COUNTRY,ADMIN1,FATALITIES\n"
                      b"PAK1,9-May-20,2020,Battles,TTP: Tehreek-i-Taliban Pakistan,2,Pakistan,Sindh,1\n",
     "ACLED event export"),
])
def test_real_file_shapes_are_recognised_and_load_in_the_page(page, writable_db, name, data, label):
    at = upload(page, name, data)
    assert label in " ".join(m.value for m in at.markdown)
    assert any("no problems" in s.value for s in at.success)
    assert not [b for b in at.selectbox if b.key and b.key.startswith("name_group_")]  # spellings are known
    at.button(key="load_button").click().run()
    assert not at.exception, at.exception
    assert dataset_rows(writable_db, at.session_state["upload_loaded"],
                        "select count(*) from incidents where dataset_id = $d") == [(1,)]
