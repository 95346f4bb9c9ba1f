"""Accounts: bcrypt-hashed, no default password, roles ordered viewer < analyst < admin."""

from __future__ import annotations

import io
import json
import stat

import pytest

from dashboard import auth


@pytest.fixture
def users_file(tmp_path, monkeypatch):
    path = tmp_path / "users.json"
    monkeypatch.setenv("OBSERVATORY_USERS", str(path))
    monkeypatch.setenv("OBSERVATORY_DB", str(tmp_path / "not_built.duckdb"))  # CLI audit rows wait beside it
    return path


def test_no_accounts_means_read_only_local_viewer(users_file):
    assert not auth.accounts_enabled()
    assert auth.LOCAL_VIEWER.role == "viewer"
    with pytest.raises(auth.PermissionDenied):
        auth.require(auth.LOCAL_VIEWER, "analyst")


def test_create_admin_from_the_cli_stores_only_a_bcrypt_hash(users_file, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert auth.main(["create-admin", "amina", "--password-stdin"]) == 0
    text = users_file.read_text()
    assert "correct horse battery" not in text
    record = json.loads(text)["users"]["amina"]
    assert record["role"] == "admin" and record["password_hash"].startswith("$2b$")
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    assert auth.authenticate("amina", "correct horse battery").role == "admin"
    assert auth.authenticate("amina", "wrong password!!") is None
    assert auth.authenticate("nobody", "correct horse battery") is None


@pytest.mark.parametrize("password", ["short", "x" * 73])
def test_weak_or_truncatable_passwords_are_refused(users_file, password):
    with pytest.raises(auth.UserError):
        auth.add_user("bob", password, "analyst")
    assert not users_file.exists()


@pytest.mark.parametrize("name", ["a", "bad name", "<script>", "x" * 65, "robert'); drop table"])
def test_bad_user_names_are_refused(users_file, name):
    with pytest.raises(auth.UserError):
        auth.add_user(name, "long enough password", "viewer")


def test_role_order_and_server_side_check(users_file):
    analyst = auth.add_user("ana", "long enough password", "analyst")
    assert analyst.can("viewer") and analyst.can("analyst") and not analyst.can("admin")
    assert auth.require(analyst, "analyst") is analyst
    with pytest.raises(auth.PermissionDenied, match="admin"):
        auth.require(analyst, "admin")
    with pytest.raises(auth.PermissionDenied):
        auth.require(None, "viewer")


def test_oidc_identities_are_viewers_unless_granted(users_file):
    assert auth.oidc_user("Someone@Example.org").role == "viewer"
    assert auth.main(["grant-oidc", "lead@example.org", "--role", "admin"]) == 0
    assert auth.oidc_user("LEAD@example.org").role == "admin"


def test_cli_reports_errors_without_a_traceback(users_file, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert auth.main(["add-user", "bob", "--password-stdin"]) == 2
    assert "at least" in capsys.readouterr().err
