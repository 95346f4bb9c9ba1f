"""Readers never see half an upload, and a process killed mid-load leaves a consistent database."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks.acled_synthetic import write as write_acled
from dashboard import actions, db
from dashboard.auth import User
from dashboard.filters import Filters
from dashboard.ingest import pipeline

ROOT = Path(__file__).resolve().parent.parent
ANALYST = User("ana", "analyst")


def consistent(con) -> tuple[int, int]:
    """(datasets, incident rows) seen in one snapshot, asserting every catalog count matches its rows."""
    rows = db.run(con, "datasets_integrity")
    mismatched = rows[rows["row_count"] != rows["fact_rows"]]
    assert mismatched.empty, mismatched
    return len(rows), int(rows.loc[rows["kind"] == "events", "fact_rows"].sum())


@pytest.fixture(scope="module")
def acled_file(tmp_path_factory) -> Path:
    return write_acled(60_000, tmp_path_factory.mktemp("acled") / "acled.csv", seed=3)


def test_twenty_readers_see_the_data_before_or_after_an_upload_never_a_mix(rw_con, acled_file):
    data = acled_file.read_bytes()
    prepared = pipeline.prepare(data, acled_file.name)
    meta = pipeline.meta_for(prepared, name="concurrent", source="test", licence="test", attribution="test",
                             loaded_by="ana")
    before = consistent(rw_con)
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        try:
            while not done.is_set():
                seen.append(consistent(rw_con))
                db.run(rw_con, "incidents_by_year", **Filters(date_from=dt.date(1900, 1, 1),
                                                              date_to=dt.date(2100, 1, 1)).params())
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(20)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    actions.upload(rw_con, ANALYST, meta, prepared.parsed)
    time.sleep(0.2)
    done.set()
    for thread in threads:
        thread.join(timeout=60)
    after = consistent(rw_con)
    assert not errors, errors[:3]
    assert after == (before[0] + 1, before[1] + 60_000)
    assert set(seen) <= {before, after} and before in seen and after in seen


CHILD = """
import os, sys
from pathlib import Path
from dashboard import actions, db
from dashboard.auth import User
from dashboard.ingest import pipeline
stage_to_die, db_path, csv_path = sys.argv[1], sys.argv[2], Path(sys.argv[3])
con = db.connect(db_path)
prepared = pipeline.prepare(csv_path.read_bytes(), csv_path.name)
meta = pipeline.meta_for(prepared, name="killed", source="t", licence="t", attribution="t", loaded_by="ana")

def progress(share, text):
    print("STAGE", text, flush=True)
    if text.startswith(stage_to_die):
        os.kill(os.getpid(), 9)

actions.upload(con, User("ana", "analyst"), meta, prepared.parsed, progress=progress)
print("LOADED", flush=True)
"""


@pytest.mark.parametrize("stage", ["checking the catalog", "writing", "committing", "loaded"])
def test_a_process_killed_mid_load_leaves_a_consistent_database(writable_db, acled_file, stage):
    con = db.connect(writable_db)
    before = consistent(con)
    version = db.data_version(con)
    con.close()
    child = subprocess.run([sys.executable, "-c", CHILD, stage, str(writable_db), str(acled_file)], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert child.returncode == -9, child.stderr[-2000:]
    assert f"STAGE {stage}" in child.stdout and "LOADED" not in child.stdout
    con = db.connect(writable_db)  # opens: the write-ahead log is replayed or discarded
    after = consistent(con)
    if stage == "loaded":  # killed after the commit: the dataset is there, whole, with its audit record
        assert after == (before[0] + 1, before[1] + 60_000) and db.data_version(con) == version + 1
        assert db.run(con, "audit_log_recent", action="upload", actor="", limit=5)["outcome"].tolist() == ["ok"]
    else:  # killed before: nothing of it, not even a catalog row
        assert after == before and db.data_version(con) == version
        assert db.run(con, "audit_log_recent", action="upload", actor="", limit=5).empty
