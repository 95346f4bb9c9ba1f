"""Analysts' real files as they come (issue 11): every date style, date from columns, GTD subsets without
eventid, count tables, files re-saved by Excel, truncated files. All files here are hand-made: no ACLED
or GTD row is shipped."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.ingest import dates, pipeline
from dashboard.ingest.detect import Mapping, UnknownFormatError

ACLED_OLD = ("EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,INTER1,ACTOR2,INTER2,"
             "COUNTRY,ADMIN1,ADMIN2,LOCATION,LATITUDE,LONGITUDE,FATALITIES\n")


@pytest.mark.parametrize("text, expected, precision", [
    ("2015-01-31", dt.date(2015, 1, 31), "day"),
    ("31-01-2015", dt.date(2015, 1, 31), "day"),
    ("31 January 2023", dt.date(2023, 1, 31), "day"),
    ("01-January-2015", dt.date(2015, 1, 1), "day"),
    ("9-May-20", dt.date(2020, 5, 9), "day"),
    ("Sunday-November 19-1995", dt.date(1995, 11, 19), "day"),
    ("Sun, 19 Nov 1995", dt.date(1995, 11, 19), "day"),
    ("January 31, 2015", dt.date(2015, 1, 31), "day"),
    ("42005", dt.date(2015, 1, 1), "day"),  # Excel serial
    ("2015-03", dt.date(2015, 3, 1), "month"),
    ("March 2015", dt.date(2015, 3, 1), "month"),
    ("2015", dt.date(2015, 1, 1), "year"),
])
def test_every_date_style_reads_with_its_precision(text, expected, precision):
    assert dates.parse_one(text) == (expected, precision)


def test_not_dates_stay_not_dates():
    for text in ("31-02-2015", "hello", "12", "2015-13-01", "00-00-2015"):
        assert dates.parse_one(text) is None, text


def test_ambiguous_dates_are_day_first_unless_the_column_says_month_first():
    day_first, _ = dates.parse_series(pd.Series(["03/04/2015", "25/04/2015"]))
    assert day_first.dt.date.tolist() == [dt.date(2015, 4, 3), dt.date(2015, 4, 25)]
    month_first, _ = dates.parse_series(pd.Series(["03/04/2015", "04/13/2015"]))
    assert month_first.dt.date.tolist() == [dt.date(2015, 3, 4), dt.date(2015, 4, 13)]
    forced, _ = dates.parse_series(pd.Series(["03/04/2015"]), order="mdy")
    assert forced.dt.date.tolist() == [dt.date(2015, 3, 4)]


def test_an_older_upper_case_acled_export_with_old_date_styles_loads_clean():
    data = (ACLED_OLD + "PAK1,1,01-January-2015,2015,1,Battles,Group A,2,Military Forces of Pakistan (2013-2018),1,"
                        "Pakistan,Balochistan,Quetta,Town,30.1,67.0,2\n"
                        "PAK2,2,9-May-20,2020,1,Battles,Group B,3,,0,Pakistan,Sindh,Karachi,Town,24.8,67.0,0\n"
                        "PAK3,3,Sunday-November 19-1995,1995,3,Riots,Group C,5,,0,Pakistan,Punjab,Lahore,Town,"
                        "31.5,74.3,0\n")
    result = pipeline.prepare(data.encode(), "acled_old.csv")
    assert result.format.name == "acled_events" and result.parsed.problems == []
    frame = result.parsed.frame
    assert frame["event_date"].dt.date.tolist() == [dt.date(2015, 1, 1), dt.date(2020, 5, 9), dt.date(1995, 11, 19)]
    assert frame["date_precision"].tolist() == ["day", "day", "month"]


def test_gtd_subset_without_eventid_is_recognised_and_gets_derived_ids():
    data = (b"iyear,imonth,iday,country_txt,provstate,gname,nkill,nwound\n"
            b"2015,1,3,Pakistan,Sindh,Group A,2,-9\n"
            b"2015,1,3,Pakistan,Sindh,Unknown,0,1\n"
            b"2016,4,0,Pakistan,Punjab,Group B,1,0\n"
            b"2017,0,0,Pakistan,Punjab,Group B,1,0\n")
    result = pipeline.prepare(data, "gtd_subset.csv")
    assert result.format.name == "gtd" and result.parsed.problems == []
    frame = result.parsed.frame
    assert frame["source_event_id"].tolist() == ["derived-201501030001", "derived-201501030002",
                                                 "derived-201604000001", "derived-201700000001"]
    assert frame["date_precision"].tolist() == ["day", "day", "month", "year"]
    assert frame["group_raw"].isna().tolist() == [False, True, False, False]
    assert pipeline.prepare(data, "again.csv").parsed.frame["source_event_id"].tolist() == \
        frame["source_event_id"].tolist()


def test_a_country_year_count_table_loads_as_aggregated_events_with_year_precision():
    data = b"Country,Year,Freq\nPakistan,2014,12\nPakistan,2015,7\n"
    mapping = Mapping("native_events", {"country": "Country", "year": "Year", "events": "Freq"})
    result = pipeline.prepare(data, "counts.csv", mapping=mapping)
    assert result.parsed.problems == []
    frame = result.parsed.frame
    assert frame["events"].tolist() == [12, 7]
    assert frame["event_date"].dt.date.tolist() == [dt.date(2014, 1, 1), dt.date(2015, 1, 1)]
    assert frame["date_precision"].tolist() == ["year", "year"]
    assert frame["group_raw"].isna().all() and frame["killed"].isna().all()


def test_date_from_columns_with_zero_or_blank_month_and_day():
    data = b"y,m,d,n\n2015,3,0,1\n2015,,,1\n2015,2,30,1\n2015,3,9,1\n"
    mapping = Mapping("native_events", {"year": "y", "month": "m", "day": "d", "killed": "n"})
    result = pipeline.prepare(data, "parts.csv", mapping=mapping)
    frame = result.parsed.frame
    assert frame["date_precision"].tolist()[:2] == ["month", "year"]
    assert frame["event_date"].dt.date.tolist()[3] == dt.date(2015, 3, 9)
    assert [(p.row, p.column, p.value) for p in result.parsed.problems] == [(4, "d", "2015-2-30")]


def test_the_mapping_date_order_decides_ambiguous_dates():
    data = b"when,dead\n03/04/2015,1\n"
    day_first = pipeline.prepare(data, "x.csv", mapping=Mapping("native_events", {"event_date": "when"}))
    month_first = pipeline.prepare(data, "x.csv", mapping=Mapping("native_events", {"event_date": "when"},
                                                                   date_order="mdy"))
    assert day_first.parsed.frame["event_date"].dt.date.tolist() == [dt.date(2015, 4, 3)]
    assert month_first.parsed.frame["event_date"].dt.date.tolist() == [dt.date(2015, 3, 4)]


def test_a_file_re_saved_by_excel_with_semicolon_tails_is_read_as_its_real_columns():
    rows = ["iyear,imonth,iday,provstate,gname,nkill", "2015,1,3,Sindh,Group A,2", '2016,2,4,"Punjab, east",Group B,1']
    data = ("\r\n".join(line + ";;;" for line in rows) + "\r\n").encode()
    result = pipeline.prepare(data, "gtd_excel.csv")
    assert result.format.name == "gtd" and result.parsed.problems == []
    assert result.parsed.frame["region_raw"].tolist() == ["Sindh", "Punjab, east"]
    assert any("re-saved by Excel" in notice for notice in result.notices)
    assert result.sha256 == pipeline.sha256(data)  # the catalog records the bytes uploaded


def test_a_header_ending_in_empty_columns_gets_a_delimiter_hint():
    piped = b"event_date|region|group|killed,,,\n2015-01-02|Sindh|A|1,,,\n"  # the Excel pattern: repaired
    assert pipeline.prepare(piped, "piped.csv").format.name == "native_events"
    data = b"when|where|who,,,\n2015-01-02|Sindh|A,x,,\n"  # data in the trailing fields: only a hint
    with pytest.raises(UnknownFormatError) as caught:
        pipeline.prepare(data, "odd.csv")
    assert any("3 columns without a name" in p.reason and "'|'" in p.reason for p in caught.value.problems)


def test_a_truncated_file_loads_its_complete_rows_only_when_asked():
    data = (b"event_date,region,group,killed\n2015-01-02,Sindh,A,1\n2015-01-03,Punjab,B,2\n"
            b"2015-01-04,Pun")
    with pytest.raises(pipeline.IngestError):
        pipeline.prepare(data, "cut.csv")
    cut = pipeline.truncation(data, "cut.csv")
    assert cut is not None and cut.line == 4
    result = pipeline.prepare(data, "cut.csv", complete_rows_only=True)
    assert result.parsed.problems == [] and len(result.parsed.frame) == 2
    assert result.truncated_line == 4 and "cut off at line 4" in pipeline.cut_note(result)
    whole = b"event_date,region,group,killed\n2015-01-02,Sindh,A,1"
    assert pipeline.truncation(whole, "whole.csv") is None  # no final newline, but the last row is complete


def test_mapping_guesses_only_columns_whose_values_fit_and_say_which_of_two_they_took():
    from dashboard.ingest.mapping import guess

    sample = pd.DataFrame({"Influencing Event/Event": ["Attack on a market", "Bombing"], "Date": ["2015-01-02"] * 2,
                           "Killed Min": ["1", "2"], "Killed Max": ["3", "4"], "Province": ["Sindh", "Punjab"],
                           "Freq": ["3", "1"]})
    found = guess("native_events", list(sample.columns), sample)
    assert found.columns["events"] == "Freq"  # never the free-text "Influencing Event/Event"
    assert found.columns["event_date"] == "Date" and found.columns["region"] == "Province"
    assert found.columns["killed"] in ("Killed Min", "Killed Max") and "over" in found.notes["killed"]
    text_only = pd.DataFrame({"Events": ["Attack on a market", "Bombing"]})
    assert guess("native_events", ["Events"], text_only).columns["events"] is None


def test_decisions_round_trip_as_a_json_file_and_bad_files_are_refused():
    from dashboard.ingest import mapping as m

    decisions = m.Decisions(Mapping("native_events", {"event_date": "When", "killed": "Dead"}, "mdy"),
                            {"group": {"Outfit A": "Tehrik-i-Taliban Pakistan"}}, ("When", "Dead"))
    back = m.from_json(m.to_json(decisions))
    assert back.mapping.columns["event_date"] == "When" and back.mapping.date_order == "mdy"
    assert back.names == decisions.names and back.header == ("When", "Dead")
    assert m.shape_key(["When ", "DEAD"]) == m.shape_key(["when", "Dead"])
    for bad in (b"not json", b'{"x": 1}', b'{"observatory_mapping": 1, "template": "nope"}',
                b'{"observatory_mapping": 1, "template": "native_events", "date_order": "ydm"}'):
        with pytest.raises(m.MappingFileError):
            m.from_json(bad)


def test_an_area_by_month_count_table_loads_with_month_precision():
    data = b"Province,Month,Count\nSindh,2015-03,4\nPunjab,March 2015,2\n"
    mapping = Mapping("native_events", {"region": "Province", "event_date": "Month", "events": "Count"})
    result = pipeline.prepare(data, "monthly.csv", mapping=mapping)
    assert result.parsed.problems == []
    frame = result.parsed.frame
    assert frame["date_precision"].tolist() == ["month", "month"] and frame["events"].tolist() == [4, 2]
    assert frame["event_date"].dt.date.tolist() == [dt.date(2015, 3, 1)] * 2
