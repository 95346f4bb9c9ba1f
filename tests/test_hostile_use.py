"""Hostile and careless use (issue 17): revoked roles take effect at once, sessions stay with their
browser, the catalog picker belongs to the file in hand, and every refusal or failure is a message
(never a traceback) with an audit row and the database unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import actions, auth, db, session
from dashboard.auth import User

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPLOAD = "../dashboard/app_pages/upload.py"
ADMIN_PAGE = "../dashboard/app_pages/admin.py"
NIA = User("nia", "analyst")
ADA = User("ada", "admin")


@pytest.fixture()
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
    assert [r[5] for r in audit_rows(env, action="user")][0] == "removed"


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

    monkeypatch.setattr("dashboard.ui.source_note", broken)
    at = AppTest.from_file(APP, default_timeout=60)
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
    assert dict((r[0], r[2]) for r in snapshot(env))[mine] == "retracted"
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
