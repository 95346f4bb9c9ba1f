"""Views and macros live in queries/views/: re-created on every writable start, kept by a read-only file."""

from __future__ import annotations

import re
import shutil

import pytest

from dashboard import db, startup
from dashboard.filters import Filters
from dashboard.storage import StorageError
from dashboard.warehouse import ensure_database

VIEW_DDL = re.compile(r"\bcreate\s+(or\s+replace\s+)?(temp(orary)?\s+)?(macro|view|function)\b", re.I)


def test_no_migration_creates_a_view_or_macro():
    found = [p.name for p in db.SCHEMA_DIR.glob("*.sql") if VIEW_DDL.search(p.read_text(encoding="utf-8"))]
    assert found == []
    assert VIEW_DDL.search("CREATE  Macro x(a) as a") and VIEW_DDL.search("create or replace view v as select 1")


def test_every_view_file_can_run_again():
    """Each statement replaces what it creates, so every start can run the files over an existing database."""
    for path in db.view_files():
        text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        creates = re.findall(r"\bcreate\s+(?:or\s+replace\s+)?", text, re.I)
        assert creates and all(re.match(r"create\s+or\s+replace", c, re.I) for c in creates), path.name


def test_a_changed_view_reaches_an_existing_database_on_its_next_start(writable_db, tmp_path, monkeypatch):
    views = tmp_path / "views"
    shutil.copytree(db.VIEWS_DIR, views)
    (views / "999_test.sql").write_text("create or replace view test_added_view as select 42 as answer;\n")
    monkeypatch.setattr(db, "VIEWS_DIR", views)
    db.views_sha256.cache_clear()
    try:
        con = db.connect(writable_db)
        before = db.data_version(con)
        con.close()
        ensure_database(writable_db)
        con = db.connect(writable_db, read_only=True)
        assert con.execute("select answer from test_added_view").fetchone()[0] == 42
        assert db.stored_views_sha256(con) == db.views_sha256()
        assert db.data_version(con) > before  # results cached with the old views are not served again
        con.close()
    finally:
        db.views_sha256.cache_clear()


def test_a_read_only_file_serves_the_views_of_its_last_writable_start(default_db_file):
    prepared = startup.read_only_check(default_db_file, "test: folder not writable")
    assert prepared.read_only
    con = db.connect(default_db_file, read_only=True)
    try:
        assert db.run(con, "incidents_totals", **Filters().params())["events"].sum() > 0
    finally:
        con.close()


def test_a_read_only_file_with_views_of_another_version_is_refused_with_a_way_out(writable_db):
    con = db.connect(writable_db)
    con.execute("update observatory_meta set views_sha256 = 'from another version'")
    con.close()
    with pytest.raises(StorageError, match=r"views .* another version"):
        startup.read_only_check(writable_db, "test: folder not writable")
