"""An existing database is migrated (with a backup) or refused with a clear message, never left broken."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from pathlib import Path

import pytest

from dashboard import db, warehouse
from dashboard.defaults import DEFAULT_DATASETS
from dashboard.warehouse import ensure_database

ROOT = Path(__file__).resolve().parent.parent


def test_missing_database_is_built_and_an_existing_one_is_kept(tmp_path):
    path = tmp_path / "new.duckdb"
    ensure_database(path)
    con = db.connect(path)
    con.execute("update datasets set notes = 'kept'")
    con.close()
    ensure_database(path)
    con = db.connect(path, read_only=True)
    assert con.execute("select count(*) from datasets where notes = 'kept'").fetchone()[0] == len(DEFAULT_DATASETS)
    assert not list(tmp_path.glob("*.building*"))


def _shipped_copy(tmp_path, monkeypatch) -> Path:
    """The shipped published figures copied where a test may change them; the defaults point there."""
    data = tmp_path / "shipped"
    data.mkdir()
    specs = []
    for spec in warehouse.DEFAULT_DATASETS:
        if spec.path.name == "published_figures_2022_2025.csv":
            shutil.copy2(spec.path, data / spec.path.name)
            spec = dataclasses.replace(spec, path=data / spec.path.name)
        specs.append(spec)
    monkeypatch.setattr(warehouse, "DEFAULT_DATASETS", tuple(specs))
    return data / "published_figures_2022_2025.csv"


def test_a_changed_shipped_file_replaces_its_dataset_on_start_and_uploads_are_kept(writable_db, tmp_path, monkeypatch):
    shipped = _shipped_copy(tmp_path, monkeypatch)
    con = db.connect(writable_db)
    upload = warehouse.load_default(con, warehouse.DefaultDataset(
        ROOT / "tests" / "fixtures" / "ucdp_ged_excerpt.csv", "ucdp_ged", "An analyst's upload", "UCDP", "CC BY 4.0", "x"))
    con.execute("update datasets set loaded_by = 'analyst' where dataset_id = ?", [upload])
    before = con.execute("select count(*) from published_figures").fetchone()[0]
    old_id = con.execute("select dataset_id from datasets where file_name = ? and status = 'active'",
                         [shipped.name]).fetchone()[0]
    con.close()
    # a new release of the shipped file: one more figure
    with open(shipped, "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["test-new-figure", "PICSS", "think_tank", "Test", "2026-02-01", "2026-01-01",
                                     "2026-01-31", "Jan 2026", "Pakistan", "", "", "", "attacks", "70", "count",
                                     "d", "https://example.org/new", "reported", "", "exact"])
    ensure_database(writable_db)  # what every start does
    con = db.connect(writable_db, read_only=True)
    assert con.execute("select count(*) from published_figures where figure_id = 'test-new-figure'").fetchone()[0] == 1
    status = dict(con.execute("select dataset_id, status from datasets").fetchall())
    assert status[old_id] == "retracted" and status[upload] == "active"
    active_rows = con.execute("select count(*) from published_figures f join datasets d using (dataset_id) "
                              "where d.status = 'active'").fetchone()[0]
    assert active_rows == before + 1  # the old version's rows no longer count: replaced, never doubled
    con.close()
    ensure_database(writable_db)  # a second start with the same file changes nothing
    con = db.connect(writable_db, read_only=True)
    assert con.execute("select count(*) from datasets").fetchone()[0] == len(status)


def test_a_changed_reference_file_reaches_an_existing_database_and_keeps_analysts_aliases(writable_db, tmp_path,
                                                                                          monkeypatch):
    reference = tmp_path / "reference"
    shutil.copytree(warehouse.REFERENCE, reference)
    monkeypatch.setattr(warehouse, "REFERENCE", reference)
    con = db.connect(writable_db)
    con.execute("insert into region_aliases values ('an analyst spelling', 'An analyst spelling', 'Sindh')")
    con.close()
    with open(reference / "region_aliases.csv", "a", encoding="utf-8") as handle:
        handle.write("Baluchistan Province (test),Balochistan\n")
    ensure_database(writable_db)
    con = db.connect(writable_db, read_only=True)
    aliases = dict(con.execute("select alias, region from region_aliases").fetchall())
    assert aliases["Baluchistan Province (test)"] == "Balochistan" and aliases["An analyst spelling"] == "Sindh"


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
