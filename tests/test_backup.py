"""Backups: consistent while a load runs, the last N kept, taken through the running app, restored only with
the app stopped; and the storage health report (command line and Admin page)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.acled_synthetic import write as write_acled
from dashboard import actions, backup, cache, db, session
from dashboard.auth import User
from dashboard.ingest import pipeline

ROOT = Path(__file__).resolve().parent.parent


def fingerprint(con) -> list[list]:
    return db.integrity(con).values.tolist()


def restored_state(file: Path, target: Path) -> list[list]:
    """Restore ``file`` to a new place, open it, run the integrity query; the state it holds."""
    backup.restore(file, target)
    con = db.connect(target, read_only=True)
    try:
        rows = db.run(con, "datasets_integrity")
        assert (rows["row_count"] == rows["fact_rows"]).all(), rows
        return fingerprint(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def acled_file(tmp_path_factory) -> Path:
    return write_acled(60_000, tmp_path_factory.mktemp("acled") / "acled.csv", seed=7)


def test_a_backup_taken_while_a_load_runs_holds_the_state_before_or_after(rw_con, writable_db, acled_file, tmp_path):
    prepared = pipeline.prepare(acled_file.read_bytes(), acled_file.name)
    meta = pipeline.meta_for(prepared, name="during a backup", source="t", licence="t", attribution="t",
                             loaded_by="ana")
    before = fingerprint(rw_con)
    committing, backed_up, loaded = threading.Event(), threading.Event(), threading.Event()

    def progress(share: float, text: str) -> None:
        if text.startswith("committing"):  # inside the load's transaction, just before its commit
            committing.set()
            backed_up.wait(timeout=600)  # hold the commit until one backup was taken (a busy machine is slow)

    def load() -> None:
        try:
            actions.upload(rw_con, User("ana", "analyst"), meta, prepared.parsed, progress=progress)
        finally:
            committing.set()
            loaded.set()

    thread = threading.Thread(target=load)
    thread.start()
    assert committing.wait(timeout=600), "the load never reached its commit"
    # one backup certainly taken while the load's rows are written but not committed
    taken: list[tuple[Path, bool]] = [(backup.create(rw_con, writable_db, keep=1000), not loaded.is_set())]
    backed_up.set()
    while not loaded.is_set():  # and more while it commits: each holds the state before or after
        taken.append((backup.create(rw_con, writable_db, keep=1000), False))
    thread.join()
    after = fingerprint(rw_con)
    taken.append((backup.create(rw_con, writable_db, keep=1000), False))
    assert after != before and any(during for _, during in taken), "no backup overlapped the load"
    states = [restored_state(file, tmp_path / f"restored_{i}.duckdb") for i, (file, _) in enumerate(taken)]
    assert all(state in (before, after) for state in states)
    assert states[-1] == after
    assert all(state == before for state, (_, during) in zip(states, taken, strict=False) if during)  # uncommitted: not in it


def test_only_the_last_n_backups_are_kept(rw_con, writable_db):
    made = [backup.create(rw_con, writable_db, keep=2) for _ in range(4)]
    assert backup.list_backups(backup.backup_dir(writable_db)) == made[-2:]
    assert not list(backup.backup_dir(writable_db).glob("*.partial"))


HOLDER = """
import sys
from pathlib import Path
from dashboard import backup, db
path = Path(sys.argv[1])
con = db.connect(path)
backup.start_service(lambda: con, path)
print("SERVING", flush=True)
sys.stdin.readline()
con.close()
"""


def run_command(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def test_the_command_backs_up_through_the_running_app_and_restores_only_once_it_stopped(writable_db):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(writable_db)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "SERVING"
        made = run_command("dashboard.backup", "--db", str(writable_db), "--keep", "3")
        assert made.returncode == 0, made.stderr
        file = Path(made.stdout.strip())
        assert file.parent == backup.backup_dir(writable_db) and file.is_file()
        refused = run_command("dashboard.backup", "restore", str(file), "--db", str(writable_db))
        assert refused.returncode == 1 and "in use" in refused.stderr and "Stop the app" in refused.stderr
    finally:
        holder.communicate("stop\n", timeout=60)
    restored = run_command("dashboard.backup", "restore", str(file), "--db", str(writable_db))
    assert restored.returncode == 0, restored.stderr
    assert list(writable_db.parent.glob(writable_db.name + ".before-restore-*"))
    con = db.connect(writable_db, read_only=True)
    assert (db.run(con, "datasets_integrity")["row_count"] > 0).all()
    con.close()


def test_a_damaged_backup_is_refused_and_the_database_is_untouched(writable_db, tmp_path):
    bad = tmp_path / "observatory-bad.duckdb"
    bad.write_bytes(b"not a backup" * 500)
    before = writable_db.read_bytes()
    refused = run_command("dashboard.backup", "restore", str(bad), "--db", str(writable_db))
    assert refused.returncode == 1 and "not an observatory database" in refused.stderr
    assert writable_db.read_bytes() == before


def test_the_health_command_reports_what_an_operator_checks(writable_db):
    backup.backup_now(writable_db)
    out = run_command("dashboard.health", env={"OBSERVATORY_DB": str(writable_db)})
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(":", 1) for line in out.stdout.splitlines())
    assert lines["Database file"].strip() == str(writable_db)
    assert lines["Schema version"].strip() == f"{db.latest_schema_version()} (this program: {db.latest_schema_version()})"
    assert "1 backup" in lines["Backups folder"] and "observatory-" in lines["Last backup"]
    assert lines["Free disk"].strip().endswith("GB") and lines["Writable"].strip() == "yes"


def test_the_admin_page_shows_storage_health_and_backs_up_now(writable_db, tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    at = AppTest.from_file("../dashboard/app_pages/admin.py", default_timeout=60)
    at.session_state[session.SESSION_KEY] = User("ada", "admin")
    at.run()
    assert not at.exception
    health = at.table[0].value["value"]
    assert health["Database file"] == str(writable_db) and health["Last backup"].startswith("none")
    at.button(key="backup_now").click().run()
    assert not at.exception and "Backup written" in at.success[0].value
    at.run()
    assert at.table[0].value["value"]["Last backup"].startswith("observatory-")
    assert len(backup.list_backups(backup.backup_dir(writable_db))) == 1
    cache.reset(str(writable_db))
