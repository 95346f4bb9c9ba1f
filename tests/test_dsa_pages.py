"""The EU statements of reasons on the Online content page (AppTest), from loaded daily aggregates; their
platforms in the platform filter; and the upload preview of a DSA file counting statements per day."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db, session
from dashboard.auth import User, add_user
from dashboard.dsa import duckdb_import, generate, load_days, views

APP = "../dashboard/app.py"
UPLOAD_PAGE = "../dashboard/app_pages/upload.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL_SAMPLE = FIXTURES / "eu_dsa_sor_sample_2025-07-01.csv"
DAYS = (dt.date(2025, 7, 1), dt.date(2025, 7, 2))
N = 2_000


@pytest.fixture(scope="module")
def dsa_dumps(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dsa_dumps")
    generate.mark_sample(folder)
    for seed, day in enumerate(DAYS):
        generate.write_zip_dump(folder, day, N, seed=seed, per_part=500, parts_per_zip=2)
    return folder


@pytest.fixture(scope="module")
def dsa_db(default_db_file, dsa_dumps, tmp_path_factory):
    """The default database plus two synthetic DSA days loaded as the one command loads them."""
    target = tmp_path_factory.mktemp("dsa_pages") / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    out = tmp_path_factory.mktemp("dsa_agg")
    duckdb_import.run(dsa_dumps, out, progress=lambda m: None)
    con = db.connect(target)
    try:
        for folder in load_days.aggregate_folders(out):
            load_days.load_day(con, folder)
    finally:
        con.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OBSERVATORY_DB", str(target))
        yield target


def raw_statements(folder: Path) -> pd.DataFrame:
    frames = []
    for dump in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(dump) as outer:
            for name in outer.namelist():
                with zipfile.ZipFile(io.BytesIO(outer.read(name))) as inner:
                    frames += [pd.read_csv(inner.open(p), dtype=str, keep_default_na=False) for p in inner.namelist()]
    return pd.concat(frames, ignore_index=True)


def open_online(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params = dict(query or {})
    at.run()
    at.switch_page("app_pages/online.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figures(at: AppTest) -> dict[str, dict]:
    return {c.proto.id.split("-", 2)[-1]: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def trace_values(trace: dict, axis: str = "y") -> list:
    v = trace.get(axis, [])
    if isinstance(v, dict):
        v = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def test_online_page_shows_the_statements_of_reasons_from_loaded_days(dsa_db, dsa_dumps):
    at = open_online()
    shown = figures(at)
    assert {"dsa_daily", "dsa_automated", "dsa_visibility", "dsa_scope"} <= set(shown)
    raw = raw_statements(dsa_dumps)
    terrorist = raw[raw["category_specification"].str.contains('"KEYWORD_TERRORIST_CONTENT"', regex=False)]
    daily = shown["dsa_daily"]
    platforms = [t["name"] for t in daily["data"]]
    top = terrorist["platform_name"].value_counts()
    expected_top = sorted(top.index, key=lambda p: (-top[p], p))[:views.TOP_PLATFORMS]
    assert sorted(platforms) == sorted(expected_top)
    assert sum(sum(trace_values(t)) for t in daily["data"]) == terrorist["platform_name"].isin(expected_top).sum()
    # the share decided fully automatically, for one platform and day, as the statements say
    tiktok = next(t for t in shown["dsa_automated"]["data"] if t["name"] == "TikTok")
    day_one = terrorist[(terrorist["platform_name"] == "TikTok") & terrorist["created_at"].str.startswith("2025-07-01")]
    assert trace_values(tiktok)[0] == pytest.approx((day_one["automated_decision"] == "AUTOMATED_DECISION_FULLY").mean())
    # synthetic days carry the Sample data mark; the section says it is never added to Meta's or TikTok's reports
    assert all("SAMPLE DATA" in shown[k]["layout"]["title"]["text"]
               for k in ("dsa_daily", "dsa_automated", "dsa_visibility", "dsa_scope"))
    assert "SAMPLE DATA" not in shown["meta_content_actioned"]["layout"]["title"]["text"]
    assert any("never added to them" in c.value for c in at.caption)


def test_dsa_platforms_are_in_the_platform_filter_and_filter_the_series(dsa_db):
    at = open_online()
    options = at.sidebar.multiselect(key="platform").options
    assert {"Hotel Hideaway", "Kleinanzeigen", "TikTok", "Facebook"} <= set(options)
    at = open_online({"platform": ["TikTok"], "dsa_area": "All categories"})
    assert [t["name"] for t in figures(at)["dsa_daily"]["data"]] == ["TikTok"]
    scope = figures(at)["dsa_scope"]
    assert {t["name"] for t in scope["data"]} >= {"all EEA countries", "all EU member states"}


def test_without_statements_loaded_the_section_says_how_to_load_them(app_db_default):
    at = open_online()
    assert not any(key.startswith("dsa_") for key in figures(at))
    assert any("python -m dashboard.dsa" in c.value for c in at.caption)


@pytest.fixture
def app_db_default(default_db_file, tmp_path, monkeypatch):
    target = tmp_path / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    monkeypatch.setenv("OBSERVATORY_DB", str(target))
    return target


def test_upload_preview_counts_statements_per_day(app_db_default, tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_USERS", str(tmp_path / "users.json"))
    add_user("ana", "a long enough password", "analyst")
    at = AppTest.from_file(UPLOAD_PAGE, default_timeout=60)
    at.session_state[session.SESSION_KEY] = User("ana", "analyst")
    at.run()
    at.file_uploader(key="upload_file").set_value((REAL_SAMPLE.name, REAL_SAMPLE.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    [preview] = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.proto.id.endswith("-preview_chart")]
    raw = pd.read_csv(REAL_SAMPLE, dtype=str, keep_default_na=False)
    days = pd.to_datetime(raw["created_at"]).dt.strftime("%d %b %Y").value_counts()
    assert trace_values(preview["data"][0], "x") == list(days.index)
    assert trace_values(preview["data"][0]) == list(days.values)
    assert preview["layout"]["title"]["text"] == "What this file adds: statements per day"
    assert preview["layout"]["xaxis"]["type"] == "category"


def test_an_uploaded_statements_file_shows_on_the_online_page_with_its_platforms(app_db_default, tmp_path,
                                                                                  monkeypatch):
    monkeypatch.setenv("OBSERVATORY_USERS", str(tmp_path / "users.json"))
    add_user("ana", "a long enough password", "analyst")
    at = AppTest.from_file(UPLOAD_PAGE, default_timeout=60)
    at.session_state[session.SESSION_KEY] = User("ana", "analyst")
    at.run()
    at.file_uploader(key="upload_file").set_value((REAL_SAMPLE.name, REAL_SAMPLE.read_bytes(), "text/csv"))
    at.run()
    at.button(key="load_button").click()
    at.run()
    assert not at.exception, at.exception and at.session_state["upload_loaded"]
    page = open_online({"dsa_area": "All categories"})
    raw = pd.read_csv(REAL_SAMPLE, dtype=str, keep_default_na=False)
    daily = figures(page)["dsa_daily"]
    assert {t["name"] for t in daily["data"]} == set(raw["platform_name"])
    assert sum(sum(trace_values(t)) for t in daily["data"]) == len(raw)
    assert set(raw["platform_name"]) <= set(page.sidebar.multiselect(key="platform").options)
    # the real sample is not synthetic: no Sample data mark
    assert "SAMPLE DATA" not in daily["layout"]["title"]["text"]
