"""The command-line import (issue 11): the page's pipeline, its report, its exit status, its role check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import db
from dashboard.auth import add_user
from dashboard.ingest import mapping as decisions_file
from dashboard.ingest.__main__ import main
from dashboard.ingest.detect import Mapping

ROOT = Path(__file__).resolve().parent.parent
CLEAN = b"event_date,region,group,killed\n2015-01-02,Sindh,TTP,1\n9-May-20,Punjab,BLA,2\n"
BAD = b"event_date,region,group,killed,injured\n2015-01-02,Sindh,TTP,85,100+\n2015-02-30,Sindh,TTP,1,1\n"
COUNTS = b"Country,Year,Freq\nPakistan,2014,12\nPakistan,2015,7\n"


@pytest.fixture
def env(writable_db, tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    monkeypatch.setenv("OBSERVATORY_USERS", str(tmp_path / "users.json"))
    add_user("ana", "a long enough password", "analyst")
    add_user("vic", "a long enough password", "viewer")
    return writable_db


def run_cli(tmp_path, capsys, data: bytes, *args: str, name: str = "file.csv") -> tuple[int, dict]:
    path = tmp_path / name
    path.write_bytes(data)
    code = main([str(path), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def datasets(path) -> int:
    con = db.connect(path, read_only=True)
    try:
        return con.execute("select count(*) from datasets").fetchone()[0]
    finally:
        con.close()


def test_dry_run_json_from_a_fresh_clone_exits_0_for_a_clean_recognised_file(tmp_path):
    """In a fresh process with no database yet: the command builds it and reports."""
    path = tmp_path / "clean.csv"
    path.write_bytes(CLEAN)
    environment = dict(os.environ, OBSERVATORY_DB=str(tmp_path / "fresh" / "observatory.duckdb"))
    done = subprocess.run([sys.executable, "-m", "dashboard.ingest", str(path), "--dry-run", "--json"],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["format"] == "native_events" and report["rows"] == 2 and report["rows_to_load"] == 2
    assert report["problems"] == [] and report["outcome"].startswith("dry run")


def test_blocking_problems_exit_1_with_every_problem_and_write_nothing(env, tmp_path, capsys):
    before = datasets(env)
    code, report = run_cli(tmp_path, capsys, BAD, "--as", "ana")
    assert code == 1 and report["rows_to_load"] == 0
    assert [(p["row"], p["column"], p["value"]) for p in report["problems"]] == [(3, "event_date", "2015-02-30"),
                                                                                 (2, "injured", "100+")]
    assert datasets(env) == before


def test_partial_load_choices_load_the_85_killed_event_with_its_bad_cell_blank(env, tmp_path, capsys):
    code, report = run_cli(tmp_path, capsys, BAD, "--as", "ana", "--blank-invalid-optional", "--valid-rows-only")
    assert code == 0 and report["rows_to_load"] == 1 and report["blanked_cells"] == 1
    con = db.connect(env, read_only=True)
    try:
        rows = con.execute("select killed, injured from incidents where dataset_id = $d",
                           {"d": report["dataset_id"]}).fetchall()
        audit = con.execute("select actor, action from audit_log where action = 'upload' and actor = 'ana'").fetchall()
        notes = con.execute("select notes from datasets where dataset_id = $d", {"d": report["dataset_id"]}).fetchone()
    finally:
        con.close()
    assert rows == [(85, None)] and audit == [("ana", "upload")]
    assert "command line" in notes[0] and "1 invalid optional cells were left blank" in notes[0]


def test_loading_needs_an_analyst_account(env, tmp_path, capsys):
    before = datasets(env)
    code, report = run_cli(tmp_path, capsys, CLEAN, "--as", "vic")
    assert code == 3 and "analyst role" in report["outcome"]
    code, report = run_cli(tmp_path, capsys, CLEAN)
    assert code == 3 and "--as USER" in report["outcome"]
    assert datasets(env) == before


def test_an_unrecognised_file_exits_2_and_loads_with_the_pages_mapping_file(env, tmp_path, capsys):
    code, report = run_cli(tmp_path, capsys, COUNTS, "--dry-run")
    assert code == 2 and "not recognised" in report["outcome"]
    decisions = decisions_file.Decisions(Mapping("native_events", {"country": "Country", "year": "Year",
                                                                   "events": "Freq"}),
                                         {"region": {}}, ("Country", "Year", "Freq"))
    (tmp_path / "m.json").write_bytes(decisions_file.to_json(decisions))
    code, report = run_cli(tmp_path, capsys, COUNTS, "--mapping", str(tmp_path / "m.json"), "--as", "ana")
    assert code == 0 and report["mapped"] and report["rows_to_load"] == 2
    con = db.connect(env, read_only=True)
    try:
        events = con.execute("select sum(events), min(date_precision) from incidents where dataset_id = $d",
                             {"d": report["dataset_id"]}).fetchone()
    finally:
        con.close()
    assert events == (19, "year")


def test_a_broken_mapping_file_is_refused_with_its_reason(env, tmp_path, capsys):
    (tmp_path / "m.json").write_text('{"observatory_mapping": 1, "template": "native_events", '
                                     '"columns": {"fatalities": "x"}}')
    code, report = run_cli(tmp_path, capsys, COUNTS, "--mapping", str(tmp_path / "m.json"), "--dry-run")
    assert code == 2 and "fatalities" in report["outcome"]


def test_the_text_report_names_row_column_value_and_reason(env, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD)
    assert main([str(path), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "problem: row 2, column 'injured', value '100+': is not a number" in out


ACLED_OLD = (b"EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,INTER1,ACTOR2,INTER2,"
             b"COUNTRY,ADMIN1,ADMIN2,LOCATION,LATITUDE,LONGITUDE,FATALITIES\n"
             b"PAK1,1,01-January-2015,2015,1,Battles,BLA: Baloch Liberation Army,2,"
             b"Military Forces of Pakistan (2013-2018),1,Pakistan,Balochistan,Quetta,Town,30.1,67.0,2\n"
             b"PAK2,2,Sunday-November 19-1995,1995,1,Riots,Group B,5,,0,Pakistan,Sindh,Karachi,Town,24.8,67.0,0\n")
GTD_NO_ID = (b"iyear,imonth,iday,country_txt,provstate,gname,nkill\n"
             b"2015,1,3,Pakistan,Sindh,Baloch Liberation Army (BLA),2\n")
EXCEL_RESAVED = b"iyear,imonth,iday,provstate,gname,nkill;;;\r\n2015,1,3,Sindh,Group A,2;;;\r\n"
TRUNCATED = b"event_date,region,group,killed\n2015-01-02,Sindh,A,1\n2015-01-03,Punjab,B,2\n2015-01-04,Pun"


@pytest.mark.parametrize("name, data, options, fmt, rows", [
    ("acled_old.csv", ACLED_OLD, (), "acled_events", 2),
    ("gtd_no_id.csv", GTD_NO_ID, (), "gtd", 1),
    ("gtd_excel.csv", EXCEL_RESAVED, (), "gtd", 1),
    ("cut.csv", TRUNCATED, ("--complete-rows",), "native_events", 2),
])
def test_each_shape_of_real_file_passes_a_dry_run(env, tmp_path, capsys, name, data, options, fmt, rows):
    code, report = run_cli(tmp_path, capsys, data, "--dry-run", *options, name=name)
    assert code == 0, report
    assert report["format"] == fmt and report["rows_to_load"] == rows and report["problems"] == []


def test_acled_and_gtd_spellings_are_known_names(env, tmp_path, capsys):
    for data in (ACLED_OLD, GTD_NO_ID):
        _, report = run_cli(tmp_path, capsys, data, "--dry-run")
        assert not [n for n in report["unknown_names"] if n["entity"] == "group" and "Baloch" in n["raw"]]


def test_a_truncated_file_without_the_choice_exits_2_and_says_how(env, tmp_path, capsys):
    code, report = run_cli(tmp_path, capsys, TRUNCATED, "--dry-run")
    assert code == 2 and "--complete-rows" in report["outcome"]


def test_two_countries_are_reported_and_can_be_left_out(env, tmp_path, capsys):
    data = b"event_date,country,region,group,killed\n2015-01-02,Pakistan,Punjab,A,1\n2015-01-04,India,Punjab,B,5\n"
    code, report = run_cli(tmp_path, capsys, data, "--dry-run", "--other-countries", "leave-out")
    assert code == 0 and report["other_countries"] == {"India": 1} and report["rows_to_load"] == 1
