"""The upload page end to end in AppTest: upload, report, map an unknown name, load, see the new data on
a chart, retract it and see it gone; and the rejection and mapping paths."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db, session
from dashboard.auth import User, add_user

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGE = "../dashboard/app_pages/upload.py"


ANALYST = User("ana", "analyst")


@pytest.fixture
def users_file(tmp_path, monkeypatch):
    path = tmp_path / "users.json"
    monkeypatch.setenv("OBSERVATORY_USERS", str(path))
    add_user("ana", "a long enough password", "analyst")
    return path


def open_page(user: User | None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if user is not None:
        at.session_state[session.SESSION_KEY] = user
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def page(writable_db, users_file, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    return open_page(ANALYST)


def upload(at: AppTest, name: str, data: bytes | None = None) -> AppTest:
    data = data if data is not None else (FIXTURES / name).read_bytes()
    at.file_uploader(key="upload_file").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


def chart_values(at: AppTest, key: str) -> list[float]:
    """The y values of the plotly chart with this key (plotly 7 sends typed arrays base64-encoded)."""
    charts = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-" + key)]
    if not charts:
        return []
    values: list[float] = []
    for trace in json.loads(charts[0].proto.spec)["data"]:
        y = trace.get("y", [])
        if isinstance(y, dict):
            y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
        values += y
    return values


def problem_table(at: AppTest):
    """The validation report shown on the page (row, column, value, reason)."""
    tables = [d.value for d in at.dataframe if list(d.value.columns) == ["row", "column", "value", "reason"]]
    assert len(tables) == 1
    return tables[0]


def test_upload_report_map_load_chart_retract(page, writable_db):
    at = upload(page, "acled_events_current.csv")
    assert "ACLED event export" in " ".join(m.value for m in at.markdown)
    assert any("no problems" in s.value for s in at.success)
    # the invented province is unknown; the closest known names are offered
    picker = at.selectbox(key="name_region_Newland Province")
    assert "Newland Province" in picker.label and picker.value == "Keep as a new name"
    assert sum(chart_values(at, "preview_chart")) == 4
    picker.set_value("Punjab")
    at.button(key="names_submit").click()  # picks are made in a form: one rerun per page of choices
    at.run()
    regions = [d for d in at.dataframe if "regions" in d.value.columns]
    assert "Punjab" in regions[0].value["regions"].tolist()
    at.button(key="load_button").click()
    at.run()
    assert not at.exception, at.exception
    dataset_id = at.session_state["upload_loaded"]
    assert sum(chart_values(at, "loaded_chart")) == 4  # read back from the database
    con = db.connect(writable_db)  # same settings as the page's own connection
    row = con.execute("select format, row_count, status, loaded_by from datasets where dataset_id = ?",
                      [dataset_id]).fetchone()
    region = con.execute("select region from incidents where dataset_id = ? and region_raw = 'Newland Province'",
                         [dataset_id]).fetchone()
    alias = con.execute("select region from region_aliases where alias = 'Newland Province'").fetchone()
    con.close()
    assert row == ("acled_events", 4, "active", "ana") and region == ("Punjab",) and alias == ("Punjab",)
    # the same file again is recognised as loaded
    at.run()
    assert any("loaded before" in w.value for w in at.warning)
    # retract: the chart of the dataset empties at once
    assert at.selectbox(key="catalog_pick").value == dataset_id  # the picker follows the load
    at.button(key="catalog_retracted").click()
    at.run()
    at.button(key="catalog_confirm_yes").click()  # the change waits for confirmation
    at.run()
    assert not at.exception
    assert chart_values(at, "loaded_chart") == []
    assert any("retracted" in i.value for i in at.info)
    at.button(key="catalog_active").click().run()
    at.button(key="catalog_confirm_yes").click().run()
    assert sum(chart_values(at, "loaded_chart")) == 4


def test_a_file_with_problems_gets_a_report_and_no_load_button(page):
    data = (FIXTURES / "acled_events_current.csv").read_bytes().replace(b"2024-02-10", b"2099-02-10")
    at = upload(page, "future.csv", data)
    report = problem_table(at)
    assert report[["row", "column", "value"]].values.tolist() == [[3, "event_date", "2099-02-10"]]
    assert "future" in report["reason"].iloc[0]
    assert at.button(key="load_button").disabled
    at.checkbox(key="allow_partial").check()
    at.run()
    assert not at.button(key="load_button").disabled


def test_an_unreadable_file_is_refused_with_its_reason(page):
    at = upload(page, "empty.csv", b"")
    assert any("cannot be loaded" in e.value for e in at.error)
    assert problem_table(at)["reason"].tolist() == ["the file is empty"]


def map_box(at: AppTest, column: str, template: str = "native_events"):
    """The mapping step's selectbox for a template column (keys carry the file's shape)."""
    found = [b for b in at.selectbox if b.key and b.key.startswith("map_") and b.key.endswith(f"_{template}_{column}")]
    assert len(found) == 1, [b.key for b in at.selectbox]
    return found[0]


def test_an_unknown_header_gets_the_mapping_step(page, writable_db):
    at = upload(page, "own.csv", b"When,Province,Outfit,Dead\n2024-01-02,KPK,TTP,3\n")
    map_box(at, "event_date").set_value("When")
    map_box(at, "region").set_value("Province")
    map_box(at, "group").set_value("Outfit")
    map_box(at, "killed").set_value("Dead")
    at.button(key="apply_mapping").click()
    at.run()
    assert not at.exception, at.exception
    assert "columns mapped by you" in " ".join(m.value for m in at.markdown)
    at.button(key="load_button").click()
    at.run()
    con = db.connect(writable_db)  # same settings as the page's own connection
    row = con.execute("select format from datasets where dataset_id = ?", [at.session_state["upload_loaded"]]).fetchone()
    con.close()
    assert row == ("native_events (mapped)",)


def test_without_accounts_the_page_is_read_only_and_says_how_to_enable_them(writable_db, tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    monkeypatch.setenv("OBSERVATORY_USERS", str(tmp_path / "none.json"))
    at = open_page(None)
    assert not at.get("file_uploader")
    assert "needs the **analyst** role" in at.warning[0].value
    assert "create-admin" in at.info[0].value


def test_a_visitor_who_is_not_logged_in_cannot_upload(writable_db, users_file, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    at = open_page(None)
    assert not at.get("file_uploader") and "Log in" in at.info[0].value
    add_user("vic", "a long enough password", "viewer")  # roles are read from the accounts at each run
    viewer = open_page(User("vic", "viewer"))
    assert not viewer.get("file_uploader") and "Ask an admin" in viewer.info[0].value


def test_uploads_are_recorded_under_the_logged_in_user_and_audited(page, writable_db):
    at = upload(page, "acled_events_current.csv")
    at.button(key="load_button").click().run()
    dataset_id = at.session_state["upload_loaded"]
    con = db.connect(writable_db)  # same settings as the page's own connection
    assert con.execute("select loaded_by from datasets where dataset_id = ?", [dataset_id]).fetchone() == ("ana",)
    audit = db.run(con, "audit_log_recent", action="upload", actor="ana", limit=5)
    con.close()
    assert audit["target"].tolist() == [f"dataset {dataset_id}"]


def test_an_analyst_cannot_retract_someone_elses_dataset(page, writable_db):
    at = page
    at.selectbox(key="catalog_pick").set_value(1).run()
    at.button(key="catalog_retracted").click().run()
    at.button(key="catalog_confirm_yes").click().run()
    assert any("only they or an admin" in e.value for e in at.error)
    con = db.connect(writable_db)  # same settings as the page's own connection
    assert con.execute("select status from datasets where dataset_id = 1").fetchone() == ("active",)
    con.close()
