"""The admin page: only admins see it work; users are added and the audit log is shown."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, session
from dashboard.auth import User

PAGE = "../dashboard/app_pages/admin.py"


@pytest.fixture
def env(writable_db, tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    monkeypatch.setenv("OBSERVATORY_USERS", str(tmp_path / "users.json"))
    auth.add_user("ada", "an admin password", "admin")


def open_as(user: User | None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if user is not None:
        at.session_state[session.SESSION_KEY] = user
    at.run()
    assert not at.exception, at.exception
    return at


def test_an_analyst_is_turned_away(env):
    at = open_as(User("ana", "analyst"))
    assert "needs the **admin** role" in at.warning[0].value
    assert not at.dataframe


def test_an_admin_adds_a_user_and_sees_it_in_the_audit_log(env):
    at = open_as(User("ada", "admin"))
    at.text_input(key="new_user_name").input("nia")
    at.selectbox(key="new_user_role").set_value("analyst")
    at.text_input(key="new_user_password").input("a long password")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    assert auth.load_users()["nia"]["role"] == "analyst"
    at.run()
    users, log = (d.value for d in at.dataframe)
    assert users.set_index("user").loc["nia", "role"] == "analyst"
    assert log.iloc[0][["actor", "action", "target"]].tolist() == ["ada", "user", "nia"]


def test_a_weak_password_is_refused_with_the_reason(env):
    at = open_as(User("ada", "admin"))
    at.text_input(key="new_user_name").input("nia")
    at.text_input(key="new_user_password").input("short")
    at.button[0].click().run()
    assert "at least 10" in at.error[0].value and "nia" not in auth.load_users()
