"""The router: a broken database gets a message instead of a traceback; admins get the Admin page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, db, session
from dashboard.auth import User

APP = "../dashboard/app.py"


def open_app(user: User | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if user is not None:
        at.session_state[session.SESSION_KEY] = user
    at.run()
    return at


def test_a_file_that_is_not_a_database_is_moved_aside_and_the_loss_is_stated(tmp_path, monkeypatch):
    path = tmp_path / "observatory.duckdb"
    path.write_bytes(b"not a database at all" * 200)
    monkeypatch.setenv("OBSERVATORY_DB", str(path))
    at = open_app()
    assert not at.exception
    notice = at.warning[0].value.replace("\\", "")
    assert "moved aside" in notice and "uploaded before then are lost" in notice
    assert list(tmp_path.glob("observatory.duckdb.damaged-*")) and path.exists()


def test_a_newer_database_gets_a_message_not_a_traceback(writable_db, monkeypatch):
    con = db.connect(writable_db)
    con.execute("update observatory_meta set schema_version = 99")
    con.close()
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    at = open_app()
    assert not at.exception and "newer than this program" in at.error[0].value


@pytest.fixture
def accounts(writable_db, tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    monkeypatch.setenv("OBSERVATORY_USERS", str(tmp_path / "users.json"))
    auth.add_user("ada", "an admin password", "admin")


def test_only_admins_see_the_admin_page(accounts):
    analyst = open_app(User("ana", "analyst"))
    assert not analyst.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not registered for an analyst
        analyst.switch_page("app_pages/admin.py").run()
    admin = open_app(User("ada", "admin"))
    admin.switch_page("app_pages/admin.py").run()
    assert not admin.exception and admin.title[0].value == "Admin"


def test_logging_in_through_the_sidebar(accounts):
    at = open_app()
    at.sidebar.text_input(key="login_name").input("ada")
    at.sidebar.text_input(key="login_password").input("an admin password")
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert at.session_state[session.SESSION_KEY] == User("ada", "admin")
    at = open_app()
    at.sidebar.text_input(key="login_name").input("ada")
    at.sidebar.text_input(key="login_password").input("wrong password")
    at.sidebar.button[0].click().run()
    assert "Wrong user name or password" in at.sidebar.error[0].value
