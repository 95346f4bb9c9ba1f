"""Hostile input through the URL and the widgets: no effect on the data, no exception, shown as text."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import app, db

APP = "../dashboard/app.py"
PAGES = [spec.script for spec in app.PAGES if spec.charted]  # the default page first
# Fifty payloads: SQL injection, script and markup injection, path traversal, formulas, odd encodings.
PAYLOADS = [
    "' OR '1'='1", "'; drop table incidents; --", "\"; delete from datasets; --", "1; update datasets set status='retracted'",
    "') or 1=1 --", "' union select * from datasets --", "Balochistan'--", "%27%20OR%201%3D1", "$regions",
    "'||(select version())||'", "1) or (1=1", "\\'; copy incidents to '/tmp/x.csv'; --", "attach '/tmp/evil.db'",
    "install httpfs; load httpfs;", "pragma database_list", "'; checkpoint; --", "${jndi:ldap://x}",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "\"><svg onload=alert(1)>",
    "**bold**", "[click](javascript:alert(1))", "![x](http://127.0.0.1:1/track.png)", "<iframe src=//x>",
    "`code`", "# heading", ":material/warning:", "{{7*7}}", "{% raw %}", "../../etc/passwd", "..\\..\\windows",
    "/dev/zero", "file:///etc/shadow", "=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)",
    "\x00", "\u202eevil", "\ufeffBOM", "𝕿𝖊𝖘𝖙", "Балочистан", "بلوچستان", "x" * 5000, "2024-13-45",
    "9999-12-31", "-1", "NaN", "null",
]
FACETS = ["region", "group", "platform", "source"]


@pytest.fixture(scope="module")
def app_db(default_db_file, tmp_path_factory):
    target = tmp_path_factory.mktemp("hostile") / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OBSERVATORY_DB", str(target))
        yield target


def state(path) -> tuple:
    con = db.connect(path)  # same settings as the app's own connection
    try:
        integrity = db.run(con, "datasets_integrity").values.tolist()
        return db.data_version(con), integrity, db.schema_version(con)
    finally:
        con.close()


def run_page(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params = query
    at.run()
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    return at


def test_there_are_at_least_fifty_payloads():
    assert len(set(PAYLOADS)) >= 50


@pytest.mark.parametrize("start", range(0, len(PAYLOADS), 10))
def test_payloads_in_every_url_parameter_change_nothing_and_raise_nothing(app_db, start):
    before = state(app_db)
    chunk = PAYLOADS[start:start + 10]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params = dict.fromkeys(FACETS, chunk) | {"period": chunk[:2]}
    at.run()
    assert not at.exception, (chunk, [e.value for e in at.exception])
    assert "Ignored from the link" in " ".join(w.value for w in at.warning)
    assert not at.sidebar.multiselect(key="region").value  # every value dropped: the unfiltered view
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, (page, chunk, [e.value for e in at.exception])
    assert state(app_db) == before


def test_payloads_typed_into_widgets_change_nothing(app_db):
    before = state(app_db)
    at = run_page("app_pages/online.py", {})
    for payload in PAYLOADS[:20]:
        for box in at.number_input:
            box.set_value(box.min or 0)
        for text in at.text_input:
            text.input(payload)
        at.run()
        assert not at.exception, (payload, [e.value for e in at.exception])
    assert state(app_db) == before


@pytest.mark.parametrize("payload", ["**bold**", "<script>alert(1)</script>", "![x](http://127.0.0.1:1/t.png)",
                                     "[click](javascript:alert(1))"])
def test_url_text_is_shown_literally_in_notices(app_db, payload):
    at = run_page("app_pages/overview.py", {"region": [payload]})
    notice = next(w.value for w in at.warning if "Ignored from the link" in w.value)
    # Markdown special characters arrive escaped, so the reader sees the text, not a link, image or markup
    assert payload not in notice
    assert notice.replace("\\", "").count(payload) == 1


def test_the_link_field_keeps_a_crafted_link_as_text():
    from dashboard import ui

    link = 'http://127.0.0.1:8501/?region="><script>alert(1)</script>&x=<img src=x onerror=alert(1)>'
    body = ui.link_field_html(link)
    assert "<script>alert" not in body and "<img src=x" not in body
    assert ui.links_in(body) == [link]
