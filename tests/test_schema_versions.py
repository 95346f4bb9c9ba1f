"""An existing database is migrated (with a backup) or refused with a clear message, never left broken."""

from __future__ import annotations

import shutil

import pytest

from dashboard import db
from dashboard.warehouse import ensure_database


def test_missing_database_is_built_and_an_existing_one_is_kept(tmp_path):
    path = tmp_path / "new.duckdb"
    ensure_database(path)
    con = db.connect(path)
    con.execute("update datasets set notes = 'kept'")
    con.close()
    ensure_database(path)
    con = db.connect(path, read_only=True)
    assert con.execute("select count(*) from datasets where notes = 'kept'").fetchone()[0] == 5
    assert not list(tmp_path.glob("*.building*"))


def test_an_older_database_is_backed_up_and_migrated(writable_db, tmp_path, monkeypatch):
    schema = tmp_path / "schema"
    shutil.copytree(db.SCHEMA_DIR, schema)
    current = db.latest_schema_version()
    (schema / f"{current + 1:03d}_add_test_column.sql").write_text("alter table datasets add column reviewed boolean;")
    monkeypatch.setattr(db, "SCHEMA_DIR", schema)
    ensure_database(writable_db)
    con = db.connect(writable_db, read_only=True)
    assert db.schema_version(con) == current + 1
    assert con.execute("select count(reviewed) from datasets").fetchone()[0] == 0
    backups = list(writable_db.parent.glob(f"*.v{current}.backup.duckdb"))
    assert len(backups) == 1
    old = db.connect(backups[0], read_only=True)
    assert db.schema_version(old) == current and old.execute("select count(*) from incidents").fetchone()[0] == 6416


def test_a_failed_migration_leaves_the_old_version_intact(writable_db, tmp_path, monkeypatch):
    schema = tmp_path / "schema"
    shutil.copytree(db.SCHEMA_DIR, schema)
    current = db.latest_schema_version()
    (schema / f"{current + 1:03d}_broken.sql").write_text("alter table no_such_table add column x int;")
    monkeypatch.setattr(db, "SCHEMA_DIR", schema)
    with pytest.raises(db.DatabaseError):
        ensure_database(writable_db)
    con = db.connect(writable_db, read_only=True)
    assert db.schema_version(con) == current and con.execute("select count(*) from incidents").fetchone()[0] == 6416


def test_a_newer_database_is_refused_with_a_way_out(writable_db):
    con = db.connect(writable_db)
    con.execute("update observatory_meta set schema_version = 99")
    con.close()
    with pytest.raises(db.DatabaseVersionError, match="newer than this program"):
        ensure_database(writable_db)


def test_a_corrupt_file_gives_a_clear_message(tmp_path):
    path = tmp_path / "observatory.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(db.DatabaseUnreadableError, match="Move it aside"):
        ensure_database(path)
