"""Shared fixtures: one default database built per test session, copied for tests that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import db
from dashboard.warehouse import ensure_database

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


# The accounts the tests act as. Roles are read from the accounts file on every write and page run (a
# removed user loses the right at once), so a User made in a test must exist there, as in real use.
TEST_ACCOUNTS = {"ada": "admin", "ana": "analyst", "olu": "analyst", "vic": "viewer"}


@pytest.fixture(scope="session")
def _test_password_hash() -> str:
    import bcrypt

    return bcrypt.hashpw(b"a test password", bcrypt.gensalt(rounds=4)).decode("ascii")  # cheap on purpose


@pytest.fixture(autouse=True)
def test_accounts(_test_password_hash, tmp_path_factory, monkeypatch):
    """A users file holding TEST_ACCOUNTS, in $OBSERVATORY_USERS; tests that need other accounts (or none)
    point the variable elsewhere."""
    from dashboard import auth

    path = tmp_path_factory.mktemp("accounts") / "users.json"
    auth.save_users({name: {"role": role, "password_hash": _test_password_hash, "display_name": ""}
                     for name, role in TEST_ACCOUNTS.items()}, path, oidc={})
    monkeypatch.setenv("OBSERVATORY_USERS", str(path))
    return path


@pytest.fixture(scope="session")
def default_db_file(tmp_path_factory) -> Path:
    """The default database, built once from the shipped files exactly as `make run` builds it."""
    return ensure_database(tmp_path_factory.mktemp("db") / "observatory.duckdb")


@pytest.fixture
def con(default_db_file):
    """Read-only connection to the shared default database."""
    connection = db.connect(default_db_file, read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def writable_db(default_db_file, tmp_path) -> Path:
    """A private copy of the default database for tests that write."""
    target = tmp_path / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    return target


@pytest.fixture
def rw_con(writable_db):
    connection = db.connect(writable_db)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def renderer():
    """The warm chart renderer (kaleido + Chromium), started once for every export test: a few seconds.
    Without Chromium these tests skip locally and FAIL in CI (CI=true), where `make test` installs it."""
    import os

    from dashboard import export

    reason = export.unavailable_reason()
    if reason:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    yield export.renderer()
    export.shutdown()
