"""Hostile and careless use (issue 17): revoked roles take effect at once, sessions stay with their
browser, the catalog picker belongs to the file in hand, and every refusal or failure is a message
(never a traceback) with an audit row and the database unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import actions, auth, db, session
from dashboard.auth import User

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPLOAD = "../dashboard/app_pages/upload.py"
ADMIN_PAGE = "../dashboard/app_pages/admin.py"
NIA = User("nia", "analyst")
ADA = User("ada", "admin")


@pytest.fixture
def env(writable_db, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    auth.add_user("nia", "a long enough password", "analyst")
    return writable_db


def open_as(page: str, user: User | None) -> AppTest:
    at = AppTest.from_file(page, default_timeout=60)
    if user is not None:
        at.session_state[session.SESSION_KEY] = user
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def put_file(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="upload_file").set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def snapshot(path: Path) -> list[tuple]:
    """What the data tables hold: the catalog with each dataset's status and rows."""
    con = db.connect(path)
    try:
        return list(db.run(con, "datasets_catalog")[["dataset_id", "name", "status", "row_count"]]
                    .itertuples(index=False, name=None))
    finally:
        con.close()


def audit_rows(path: Path, action: str = "", actor: str = "") -> list[tuple]:
    con = db.connect(path)
    try:
        rows = db.run(con, "audit_log_recent", action=action, actor=actor, limit=100)
    finally:
        con.close()
    rows = rows[["actor", "role", "action", "target", "outcome", "detail"]].astype(object)
    return list(rows.where(rows.notna(), None).itertuples(index=False, name=None))


def texts(at: AppTest, *kinds: str) -> str:
    kinds = kinds or ("error", "warning", "info", "success", "markdown", "caption")
    # as the reader sees it: the page backslash-escapes Markdown characters in data-driven text
    return " ".join(e.value for kind in kinds for e in getattr(at, kind)).replace("\\", "")


# --- 1. roles and accounts re-read on every write and page run; sessions bound to their browser ---------


def test_a_user_removed_in_one_session_cannot_upload_from_another_already_open(env):
    analyst = open_as(UPLOAD, NIA)  # nia's session is open, a clean file ready to load
    put_file(analyst, "acled.csv", (FIXTURES / "acled_events_current.csv").read_bytes())
    assert not analyst.button(key="load_button").disabled
    before = snapshot(env)
    admin = open_as(ADMIN_PAGE, ADA)  # meanwhile an admin removes nia in another session
    admin.selectbox(key="admin_pick_user").set_value("nia").run()
    admin.button(key="admin_remove_user").click().run()
    assert "nia" not in auth.load_users()
    analyst.button(key="load_button").click().run()  # nia presses Load in the session still open
    assert not analyst.exception
    assert snapshot(env) == before
    assert "was removed" in texts(analyst, "error") and not analyst.get("file_uploader")
    assert session.SESSION_KEY not in analyst.session_state
    assert [r[4] for r in audit_rows(env, action="logout", actor="nia")] == ["revoked"]


def test_a_stale_session_object_cannot_write_and_the_refusal_is_logged_under_the_current_role(env):
    auth.set_role("nia", "viewer")  # demoted after the session was opened: the User object still says analyst
    con = db.connect(env)
    try:
        with pytest.raises(auth.PermissionDenied):
            actions.set_dataset_status(con, NIA, 1, "retracted")
        auth.remove_user("nia")
        with pytest.raises(auth.PermissionDenied, match="no longer exists"):
            actions.set_dataset_status(con, NIA, 1, "retracted")
    finally:
        con.close()
    assert [r[0] for r in snapshot(env) if r[2] != "active"] == []
    rows = audit_rows(env, action="retract", actor="nia")
    assert [(r[1], r[4]) for r in rows] == [(None, "denied"), ("viewer", "denied")]  # never "analyst"


def test_a_demoted_user_loses_the_upload_page_at_the_next_run(env):
    at = open_as(UPLOAD, NIA)
    assert at.get("file_uploader")
    auth.set_role("nia", "viewer")
    at.run()
    assert not at.get("file_uploader") and "Ask an admin for the analyst role" in texts(at, "info")
    assert at.session_state[session.SESSION_KEY].role == "viewer"


def test_a_session_resumed_from_another_browser_is_signed_out(env):
    at = open_as(UPLOAD, NIA)
    assert at.session_state[session.CLIENT_KEY] == session.client_fingerprint()  # bound to this browser
    # the same session id presented by another client: its cookie and user agent give another fingerprint
    at.session_state[session.CLIENT_KEY] = "fingerprint of the browser that logged in"
    at.run()
    assert not at.get("file_uploader") and "another browser" in texts(at, "error")
    assert [r[4] for r in audit_rows(env, action="logout", actor="nia")] == ["moved"]


def test_accounts_created_on_the_command_line_are_audited_even_while_the_server_holds_the_database(env):
    import subprocess
    import sys

    server = db.connect(env)  # the running server keeps the file open: another process cannot write it
    try:
        done = subprocess.run([sys.executable, "-m", "dashboard.auth", "add-user", "kim", "--role", "analyst",
                               "--password-stdin"], input="a long enough password\n", capture_output=True,
                              text=True, cwd=Path(__file__).resolve().parent.parent, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "waits in" in done.stdout
        assert audit_rows(env, action="user") == []
        actions.logout(server, ADA)  # the server's next audit write copies the waiting record in
    finally:
        server.close()
    rows = audit_rows(env, action="user")
    assert [(r[0].startswith("cli:"), r[3], r[4]) for r in rows] == [(True, "kim", "ok")]
    assert "created or reset with role analyst" in rows[0][5] and "command line" in rows[0][5]
    # with the server stopped, the command writes the record at once
    auth_main = subprocess.run([sys.executable, "-m", "dashboard.auth", "remove", "kim"], capture_output=True,
                               text=True, cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert auth_main.returncode == 0, auth_main.stderr
    assert next(r[5] for r in audit_rows(env, action="user")) == "removed"


# --- 7. login reachable where asked for; no tracebacks or server paths, an error id instead -------------

APP = "../dashboard/app.py"


def test_the_upload_page_offers_the_login_it_asks_for(env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/upload.py").run()
    assert "Log in under **Account**" in texts(at, "info")
    at.sidebar.text_input(key="login_name").input("nia")  # the Account box is drawn although the page stopped
    at.sidebar.text_input(key="login_password").input("a long enough password")
    at.sidebar.button[0].click().run()
    assert not at.exception and at.get("file_uploader")


def test_production_config_hides_error_details():
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_an_unexpected_error_shows_an_id_and_no_traceback_or_path(env, monkeypatch, caplog):
    def broken(names):
        raise RuntimeError("cannot read /srv/observatory/secret/place.txt")

    monkeypatch.setattr("dashboard.page_models.common.Catalog.note", lambda self, names: broken(names))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params = {"view": "Event data"}  # the Violence tab that notes the catalog
    at.run()
    at.switch_page("app_pages/violence.py").run()
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and "error id" in shown[0]
    error_id = shown[0].split("error id ", 1)[1].split(")")[0]
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)  # the traceback is logged
    assert at.exception  # Streamlit's own box is still there, with no details in it
    everything = " ".join(str(e.proto) for e in at.exception) + " ".join(shown)
    assert "/srv/observatory" not in everything and "Traceback" not in everything


# --- 2. the catalog picker and fields belong to the file in hand; retract and restore ask first ---------

ACLED = (FIXTURES / "acled_events_current.csv").read_bytes()
UPDATE = (FIXTURES / "acled_events_update.csv").read_bytes()


def test_catalog_fields_and_picker_are_reset_for_each_file(env):
    at = open_as(UPLOAD, NIA)
    at.selectbox(key="catalog_pick").set_value(1).run()  # looked at the shipped UCDP dataset earlier
    put_file(at, "first_export.csv", ACLED)
    assert at.selectbox(key="catalog_pick").value is None  # a new file: no dataset is picked for it
    at.text_input(key="meta_name").input("My first export").run()
    at.text_input(key="meta_licence").input("ACLED terms").run()
    at.text_input(key="meta_notes").input("only Punjab").run()
    at.button(key="load_button").click().run()
    first = at.session_state["upload_loaded"]
    assert at.selectbox(key="catalog_pick").value == first  # the picker follows the file just loaded
    put_file(at, "second_export.csv", UPDATE)
    assert at.text_input(key="meta_name").value == "second_export"  # nothing carries over
    assert at.text_input(key="meta_licence").value != "ACLED terms"
    assert at.text_input(key="meta_notes").value == ""
    assert at.selectbox(key="catalog_pick").value is None


def test_retract_names_the_dataset_and_waits_for_confirmation(env):
    at = open_as(UPLOAD, NIA)
    put_file(at, "mine.csv", ACLED)
    at.button(key="load_button").click().run()
    mine = at.session_state["upload_loaded"]
    assert at.button(key="catalog_retracted").label == f"Retract #{mine}"
    before = snapshot(env)
    at.button(key="catalog_retracted").click().run()
    question = texts(at, "warning")
    assert f"Retract dataset {mine} “mine”" in question and "mine.csv" in question and "loaded by nia" in question
    assert snapshot(env) == before  # nothing happens before Yes
    at.button(key="catalog_confirm_no").click().run()
    assert snapshot(env) == before and "Retract dataset" not in texts(at, "warning")
    at.button(key="catalog_retracted").click().run()
    at.button(key="catalog_confirm_yes").click().run()
    assert {r[0]: r[2] for r in snapshot(env)}[mine] == "retracted"
    assert at.button(key="catalog_retracted").disabled  # already retracted: only Restore is offered


def test_retracting_a_retracted_dataset_changes_nothing_and_is_not_logged_ok(env):
    first, second = open_as(UPLOAD, NIA), open_as(UPLOAD, NIA)  # two tabs of the same analyst
    put_file(first, "mine.csv", ACLED)
    first.button(key="load_button").click().run()
    mine = first.session_state["upload_loaded"]
    second.run()
    second.selectbox(key="catalog_pick").set_value(mine).run()
    second.button(key="catalog_retracted").click().run()  # asks, and waits
    first.button(key="catalog_retracted").click().run()
    first.button(key="catalog_confirm_yes").click().run()
    second.button(key="catalog_confirm_yes").click().run()  # the same retract, confirmed later
    assert not second.exception and "already retracted" in texts(second, "info")
    outcomes = [r[4] for r in audit_rows(env, action="retract", actor="nia")]
    assert outcomes == ["unchanged", "ok"]


# --- 3-6. hostile files: a message, no exception element, the database unchanged, an audit row ----------

HEADER = "event_date,region,group,killed,events,latitude\n"


def events_csv(*rows: str) -> bytes:
    """A file in the observatory's own events template; rows as 'date,region,group,killed,events,lat'."""
    return (HEADER + "".join(row + "\n" for row in rows)).encode("utf-8")


def zip_bytes(parts: dict[str, bytes | str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def xlsx_parts(sheet: str, shared: str | None = None) -> dict[str, str]:
    """A hand-written workbook (the hostile ones cannot be made with a spreadsheet library)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<workbook {ns} {rel}><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet.replace("<worksheet>", f"<worksheet {ns}>"),
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared.replace("<sst", f"<sst {ns}", 1)
    return parts


def inline_row(number: int, values: list[str]) -> str:
    from dashboard.ingest.xlsx import column_letters

    cells = "".join(f'<c r="{column_letters(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def good_sheet(extra: str = "", dimension: str = "A1:F2") -> str:
    head = inline_row(1, HEADER.strip().split(","))
    return (f'<worksheet><dimension ref="{dimension}"/><sheetData>{head}'
            f'{inline_row(2, ["2024-01-02", "Sindh", "TTP", "3", "1", "25.1"])}{extra}</sheetData></worksheet>')


def shared_sheet() -> str:
    """The good sheet with its region cell as shared string 0, so the shared-strings part must be read."""
    return good_sheet().replace('r="B2" t="inlineStr"><is><t>Sindh</t></is>', 'r="B2" t="s"><v>0</v>')


def attempt(env: Path, name: str, data: bytes) -> AppTest:
    """Upload ``data`` as nia; assert the promises every refusal keeps and return the page."""
    at = open_as(UPLOAD, NIA)
    before = snapshot(env)
    put_file(at, name, data)
    assert not at.exception, [e.value for e in at.exception]
    if at.get("button") and any(b.key == "load_button" for b in at.button):
        assert at.button(key="load_button").disabled  # nothing to press that would write
    assert snapshot(env) == before
    return at


def report(at: AppTest):
    tables = [d.value for d in at.dataframe if list(d.value.columns) == ["row", "column", "value", "reason"]]
    assert len(tables) == 1, "a refusal shows its report"
    return tables[0]


def last_upload_audit(env: Path, name: str) -> tuple:
    rows = [r for r in audit_rows(env, action="upload", actor="nia") if r[3] == name]
    assert len(rows) == 1, rows  # once, however often the page reruns
    return rows[0]


CASES = {
    # name: (bytes, (row, column, value) of the first problem, words of its reason, audit outcome)
    "int32_overflow.csv": (events_csv("2024-01-02,Sindh,TTP,3000000000,1,25.1"),
                           (2, "killed", "3000000000"), "outside the range", "reported"),
    "events_overflow.csv": (events_csv("2024-01-02,Sindh,TTP,3,2147483648,25.1"),
                            (2, "events", "2147483648"), "outside the range", "reported"),
    "huge_float.csv": (events_csv("2024-01-02,Sindh,TTP,1e308,1,25.1"), (2, "killed", "1e308"),
                       "outside the range", "reported"),
    "beyond_double.csv": (events_csv("2024-01-02,Sindh,TTP,3,1,1e309"), (2, "latitude", "1e309"),
                          "too large", "reported"),
    "mixed_encodings_late.csv": (events_csv("2024-01-02,Peshāwar,TTP,3,1,25.1").replace("ā".encode(), b"\xe2")
                                 + "2024-01-03,Peshāwar,TTP,1,1,25.1\n".encode(),
                                 (3, None, "2024-01-03,PeshÄ\x81war,TTP,1,1,25.1"), "mixes UTF-8", "refused"),
    "control_after_64k.csv": (events_csv(*["2024-01-02,Sindh,TTP,3,1,25.1"] * 3000,
                                         "2024-01-02,Sin\x07dh,TTP,3,1,25.1"),
                              (3002, "region", "Sin\\x07dh"), "control character (U+0007)", "refused"),
    "bidi_override.csv": (events_csv("2024-01-02,\u202eSindh,TTP,3,1,25.1"), (2, "region", "\\u202eSindh"),
                          "text-direction character (U+202E)", "refused"),
    "cyrillic_lookalike.csv": (events_csv("2024-01-02,\u0420unjab,TTP,3,1,25.1"), (2, "region", "\u0420unjab"),
                               "Cyrillic or Greek look-alikes", "reported"),
    "blank_lines.csv": (events_csv("2024-01-02,Sindh,TTP,3,1,25.1", "", "", "2024-01-02,Sindh,TTP,-3,1,25.1"),
                        (5, "killed", "-3"), "below the minimum", "reported"),
    "malformed.xlsx": (zip_bytes(xlsx_parts(good_sheet().replace("</sheetData>", "<row r='3'><c></sheetData>"))),
                       (None, None, None), "not well-formed XML", "refused"),
    "formula_only.xlsx": (zip_bytes(xlsx_parts(good_sheet(
        '<row r="3"><c r="A3" t="inlineStr"><is><t>2024-01-03</t></is></c><c r="B3" t="inlineStr"><is><t>Sindh</t>'
        '</is></c><c r="C3" t="inlineStr"><is><t>TTP</t></is></c><c r="D3"><f>SUM(E1:E2)</f></c></row>'))),
        (3, "killed", "=SUM(E1:E2)"), "formula with no saved result", "refused"),
    "xlsx_blank_rows.xlsx": (zip_bytes(xlsx_parts(good_sheet(inline_row(5, ["2024-01-02", "Sindh", "TTP", "x", "1",
                                                                           "25.1"]), "A1:F5"))),
                             (5, "killed", "x"), "is not a number", "reported"),
    "full_sheet_dimension.xlsx": (zip_bytes(xlsx_parts(good_sheet(dimension="A1:XFE1048577"))),
                                  (None, None, None), "beyond Excel's limits", "refused"),
    "entity_bomb.xlsx": (zip_bytes(xlsx_parts(shared_sheet(), shared='<?xml version="1.0"?><!DOCTYPE sst ['
                                              '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                                              '<sst><si><t>&b;</t></si></sst>')),
                         (None, None, None), "declares a DTD", "refused"),
    "shared_strings_declared.xlsx": (zip_bytes(xlsx_parts(shared_sheet(),
                                                          shared='<sst uniqueCount="999999999"><si><t>Sindh</t></si></sst>')),
                                     (None, None, None), "shared strings", "refused"),
}


@pytest.mark.parametrize("name", CASES)
def test_a_hostile_file_gets_a_message_and_an_audit_row_and_changes_nothing(env, name):
    data, where, words, outcome = CASES[name]
    at = attempt(env, name, data)
    table = report(at)
    first = table.iloc[0]
    row = None if first["row"] is pd.NA or pd.isna(first["row"]) else int(first["row"])
    assert (row, first["column"], first["value"]) == where, table.head(3).to_dict("records")
    assert words in first["reason"]
    audit = last_upload_audit(env, name)
    assert audit[4] == outcome and words in audit[5]  # the first problem is in the log


def test_parquet_fixed_size_binary_and_nul_bytes_are_messages(env):
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, table, words in (
        ("fixed_binary.parquet", pa.table({"event_date": ["2024-01-02"], "region": ["Sindh"], "group": ["TTP"],
                                            "killed": [3], "blob": pa.array([b"abcd"], pa.binary(4))}),
         "holds raw bytes"),
        ("nul_bytes.parquet", pa.table({"event_date": ["2024-01-02"], "region": ["Sin\x00dh"], "group": ["TTP"],
                                         "killed": [3]}), "control character (U+0000)"),
    ):
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        at = attempt(env, name, buffer.getvalue())
        assert any(words in reason for reason in report(at)["reason"])
        assert last_upload_audit(env, name)[4] == "refused"


def test_a_database_fault_at_load_is_a_message_with_an_id_and_is_audited(env, monkeypatch, caplog):
    at = open_as(UPLOAD, NIA)
    put_file(at, "acled.csv", ACLED)
    before = snapshot(env)

    def fault(*args, **kwargs):
        raise OverflowError("INT32 overflow at /srv/observatory/load.py")

    monkeypatch.setattr("dashboard.ingest.load.load", fault)
    at.button(key="load_button").click().run()
    assert not at.exception and snapshot(env) == before
    message = texts(at, "error")
    assert "error id" in message and "/srv/observatory" not in message
    statuses = [b.label for b in at.main if type(b).__name__ == "Status"]
    assert statuses == ["Nothing was loaded"]  # not stuck on "Loading…"
    audit = last_upload_audit(env, "acled.csv")
    assert audit[4] == "failed" and "OverflowError" in audit[5]


def test_typed_catalog_fields_are_checked_like_cells(env):
    at = open_as(UPLOAD, NIA)
    put_file(at, "acled.csv", ACLED)
    at.text_input(key="meta_name").input("\u202eserutaef").run()  # shows reversed: "features"
    assert "Dataset name" in texts(at, "error") and at.button(key="load_button").disabled
    at.text_input(key="meta_name").input("\u0420unjab events").run()  # Cyrillic Р
    assert "look-alikes" in texts(at, "error") and at.button(key="load_button").disabled
    at.text_input(key="meta_name").input("Punjab events").run()
    assert not at.error and not at.button(key="load_button").disabled


def test_a_briefing_title_cannot_be_flipped_by_a_direction_override():
    from dashboard import ui

    assert ui.visible("Attacks \u202erise\u202c in 2024\x07") == "Attacks rise in 2024"


def test_the_session_fingerprint_follows_the_browser_cookie_and_agent(monkeypatch):
    from types import SimpleNamespace

    def browser(cookie: str, agent: str) -> str:
        monkeypatch.setattr(session.st, "context", SimpleNamespace(cookies={"_streamlit_xsrf": cookie},
                                                                   headers={"User-Agent": agent}))
        return session.client_fingerprint()

    mine = browser("2|1a2b|token-of-my-browser|1700000000", "Firefox/140")
    assert browser("2|1a2b|token-of-my-browser|1700000000", "Firefox/140") == mine  # a reconnect of the same tab
    assert browser("2|9f8e|token-of-another-browser|1700000500", "Firefox/140") != mine  # the id replayed elsewhere
    assert browser("", "curl/8") != mine


def test_parquet_reading_stops_at_the_deadline(monkeypatch):
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from dashboard.ingest import reader
    from dashboard.ingest.model import IngestError

    buffer = io.BytesIO()
    pq.write_table(pa.table({"event_date": ["2024-01-02"] * 4, "region": ["Sindh"] * 4, "group": ["TTP"] * 4,
                             "killed": [1, 2, 3, 4]}), buffer, row_group_size=1)  # four row groups
    data = buffer.getvalue()
    source = reader.inspect(data, "slow.parquet")
    clock = iter(range(0, 1000, 40))  # every look at the clock is 40 s later than the one before
    monkeypatch.setattr(reader.time, "monotonic", lambda: next(clock))
    with pytest.raises(IngestError, match="took more than 60 s"):
        reader.read(data, source)
