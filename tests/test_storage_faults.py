"""Storage faults through the running app (AppTest): the page says what happened, what to do and which file,
the server log gets one line with the cause, no exception reaches the page, and no data is lost.

Faults are real, not mocked: bytes overwritten or cut off, `chattr +i` (an immutable file refuses writes even
to root), a read-only tmpfs mount and a full tmpfs. Mounting and chattr need root: without them these tests
skip locally and fail in CI.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.acled_synthetic import write as write_acled
from dashboard import actions, backup, cache, db, session
from dashboard.auth import User
from dashboard.defaults import DEFAULT_DATASETS
from dashboard.storage import StorageError

ROOT = Path(__file__).resolve().parent.parent
APP = "../dashboard/app.py"
UPLOAD = "app_pages/upload.py"
ANALYST = User("ana", "analyst")
HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers
BLOCK_BYTES = 262_144


def environment_cannot(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)


def text(element) -> str:
    """An element's text as the reader sees it (md_escape's backslashes removed)."""
    return element.value.replace("\\", "")


def snapshot(path: Path) -> list[list]:
    """Every table's row count and content fingerprint, read after the app's connection is closed."""
    cache.reset(str(path))
    con = db.connect(path, read_only=True)
    try:
        return db.integrity(con).values.tolist()
    finally:
        con.close()


def damage(path: Path, how: str) -> None:
    """Overwrite part of every data block, cut the file short, or replace it by something else."""
    if how == "corrupt":
        with open(path, "r+b") as handle:
            for start in range(HEADER_BYTES, path.stat().st_size, BLOCK_BYTES):
                handle.seek(start + 4096)
                handle.write(b"\xab" * 512)
    elif how == "truncated":
        with open(path, "r+b") as handle:
            handle.truncate(HEADER_BYTES + BLOCK_BYTES)
    else:
        path.write_bytes(b"a spreadsheet saved over the database " * 300)


def open_app(user: User | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if user is not None:
        at.session_state[session.SESSION_KEY] = user
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def fault_lines(caplog, kind: str, where: str) -> list[str]:
    """The server log's lines about the fault: exactly one, on one line, without a traceback."""
    lines = [r.getMessage() for r in caplog.records if r.name == "dashboard.storage"]
    found = [line for line in lines if f"storage fault ({kind}) {where}" in line]
    assert len(found) == 1 and "\n" not in found[0], lines
    assert not any(r.exc_info for r in caplog.records if r.name == "dashboard.storage")  # no traceback
    return found


@pytest.fixture
def served(writable_db, tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    yield writable_db
    cache.reset(str(writable_db))


@pytest.mark.parametrize("how", ["corrupt", "truncated"])
def test_damage_found_while_serving_gets_a_message_and_a_restart_offers_the_backup(served, how, caplog):
    caplog.set_level(logging.ERROR, logger="dashboard.storage")
    original = snapshot(served)
    taken = backup.backup_now(served)
    cache.connection(str(served))  # the app has started: the file was whole and is open
    damage(served, how)
    at = open_app()
    assert not at.exception
    message = text(at.error[0])
    expected = "is damaged" if how == "corrupt" else "shorter than it should be"
    assert expected in message and str(served) in message and "restart" in message
    assert fault_lines(caplog, how, "while serving")
    # the restart: the damaged file is moved aside and the operator is told the exact restore command
    cache.reset(str(served))
    at = open_app()
    assert not at.exception
    message = text(at.error[-1])
    assert f"make restore FILE={taken}" in message and "moved aside" in message
    assert at.code[0].value == f"OBSERVATORY_DB={served} make restore FILE={taken}"  # copyable, exact
    assert not served.exists() and list(served.parent.glob(served.name + ".damaged-*"))
    backup.restore(taken, served)
    assert snapshot(served) == original  # nothing lost
    at = open_app()
    assert not at.exception and not at.error


@pytest.mark.parametrize("how, with_backup", [("corrupt", True), ("truncated", False), ("not_database", True)])
def test_damage_found_at_start_is_moved_aside_and_said(served, how, with_backup, caplog):
    caplog.set_level(logging.ERROR, logger="dashboard.storage")
    original = snapshot(served)
    taken = backup.backup_now(served) if with_backup else None
    damage(served, how)
    at = open_app()
    assert not at.exception
    assert fault_lines(caplog, how, "at start") and list(served.parent.glob(served.name + ".damaged-*"))
    if with_backup:
        message = text(at.error[-1])
        assert f"make restore FILE={taken}" in message and str(served) in message
        assert at.code[0].value == f"OBSERVATORY_DB={served} make restore FILE={taken}"
        backup.restore(taken, served)  # the operator runs it: everything is back
        assert snapshot(served) == original
        at = open_app()
        assert not at.exception and not at.error and at.get("plotly_chart")
    else:  # rebuilt from the shipped data, and every page says uploads were lost
        assert "uploaded before then are lost" in text(at.warning[0]) and at.get("plotly_chart")
        at.switch_page("app_pages/sources.py").run()
        assert not at.exception and "uploaded before then are lost" in text(at.warning[0])


@contextlib.contextmanager
def immutable(path: Path):
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode:
        environment_cannot(f"chattr +i is not possible here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_file_made_read_only_while_serving_serves_read_only(served, acled_small, caplog):
    caplog.set_level(logging.ERROR, logger="dashboard.storage")
    original = snapshot(served)
    at = open_app(ANALYST, UPLOAD)
    assert at.get("file_uploader")  # writable: uploads offered
    with immutable(served):
        at.run()
        assert not at.exception and not at.get("file_uploader")
        warning = text(at.warning[0])
        assert "read-only" in warning and str(served) in warning and "uploads" in warning
        # the server refuses too (not only the hidden widget), and says why
        from dashboard.ingest import pipeline
        prepared = pipeline.prepare(acled_small.read_bytes(), acled_small.name)
        meta = pipeline.meta_for(prepared, name="x", source="t", licence="t", attribution="t", loaded_by="ana")
        with pytest.raises(StorageError, match="read-only"):
            actions.upload(cache.connection(), ANALYST, meta, prepared.parsed)
        assert any("audit log cannot be written" in r.getMessage() for r in caplog.records)
        # browsing and exports still work
        at = open_app(ANALYST)
        assert not at.exception and at.get("plotly_chart") and at.get("download_button")
    assert snapshot(served) == original


@contextlib.contextmanager
def tmpfs(folder: Path, size: int):
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode:
        environment_cannot(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        cache.reset(str(folder / "observatory.duckdb"))
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_read_only_data_folder_at_start_serves_read_only(default_db_file, tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.ERROR, logger="dashboard.storage")
    with tmpfs(tmp_path / "ro", 64 * 2**20) as folder:
        path = folder / "observatory.duckdb"
        shutil.copy2(default_db_file, path)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        monkeypatch.setenv("OBSERVATORY_DB", str(path))
        # make run's first step no longer stops with an OSError on the lock file
        started = subprocess.run([sys.executable, "-m", "dashboard.warehouse"], cwd=ROOT, capture_output=True,
                                 text=True, env={**os.environ}, timeout=120)
        assert started.returncode == 0, started.stderr
        assert "read-only" in started.stdout and "uploads do not" in started.stdout
        at = open_app(ANALYST)
        assert not at.exception and at.get("plotly_chart")
        at.switch_page(UPLOAD).run()
        assert not at.exception and not at.get("file_uploader")
        assert f"the folder {folder} is read-only" in text(at.warning[0])
        assert at.button(key="catalog_retracted").disabled and at.button(key="catalog_active").disabled
        assert fault_lines(caplog, "read_only", "at start")
        assert snapshot(path) == snapshot_of(default_db_file)


def snapshot_of(path: Path) -> list[list]:
    con = db.connect(path, read_only=True)
    try:
        return db.integrity(con).values.tolist()
    finally:
        con.close()


def test_a_read_only_folder_without_a_database_says_it_cannot_be_built(tmp_path, monkeypatch):
    with tmpfs(tmp_path / "ro", 2**20) as folder:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        monkeypatch.setenv("OBSERVATORY_DB", str(folder / "observatory.duckdb"))
        at = open_app()
        assert not at.exception
        message = text(at.error[-1])
        assert "cannot be written" in message and "cannot be built" in message and str(folder) in message


@pytest.fixture(scope="module")
def acled_small(tmp_path_factory) -> Path:
    return write_acled(3_000, tmp_path_factory.mktemp("acled") / "acled_small.csv", seed=5)


def fill(folder: Path, leave: int) -> Path:
    """Fill the disk but ``leave`` bytes with a filler file (removed later to free the space)."""
    filler = folder / "filler"
    free = shutil.disk_usage(folder).free
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(free - leave, 0))
    return filler


def test_a_load_failing_at_commit_on_a_full_disk_leaves_the_database_as_it_was(default_db_file, tmp_path,
                                                                               monkeypatch, acled_small, caplog):
    caplog.set_level(logging.ERROR, logger="dashboard.storage")
    with tmpfs(tmp_path / "small", default_db_file.stat().st_size + 24 * 2**20) as folder:
        path = folder / "observatory.duckdb"
        shutil.copy2(default_db_file, path)
        monkeypatch.setenv("OBSERVATORY_DB", str(path))
        before = snapshot_of(path)
        at = open_app(ANALYST, UPLOAD)
        at.file_uploader(key="upload_file").set_value((acled_small.name, acled_small.read_bytes(), "text/csv"))
        at.run()
        assert not at.exception and at.button(key="load_button")
        filler = fill(folder, leave=64 * 1024)
        at.button(key="load_button").click().run()
        assert not at.exception
        message = text(at.error[-1])
        assert "is full" in message and "nothing was saved" in message and str(path) in message
        assert "Free space" in message and any("press Load again" in i.value for i in at.info)
        assert fault_lines(caplog, "disk_full", "loading")
        # the failed commit gave its log space back: the failed attempt is in the audit log
        filler.unlink()
        after_failure = snapshot(path)
        con = db.connect(path, read_only=True)
        audit = db.run(con, "audit_log_recent", action="upload", actor="", limit=5)
        con.close()
        assert audit["outcome"].tolist() == ["failed"] and "disk_full" in audit["detail"].iloc[0]
        facts = [row for row in after_failure if row[0] != "audit_log"]
        assert facts == [row for row in before if row[0] != "audit_log"]  # as it was
        # space freed: the analyst presses Load again and it works
        at = open_app(ANALYST, UPLOAD)
        at.file_uploader(key="upload_file").set_value((acled_small.name, acled_small.read_bytes(), "text/csv"))
        at.run()
        at.button(key="load_button").click().run()
        assert not at.exception and at.session_state["upload_loaded"]
        con = cache.connection(str(path))
        assert len(db.run(con, "datasets_integrity")) == len(db.run(con, "datasets_catalog")) == len(DEFAULT_DATASETS) + 1


def test_a_checkpoint_failing_on_a_full_disk_reopens_the_database_as_it_was(default_db_file, tmp_path, monkeypatch,
                                                                            caplog):
    """A large load's commit checkpoints into the main file; when that write fails DuckDB closes the whole
    database. The upload reopens it, finds the load absent, and the app serves the data as it was."""
    caplog.set_level(logging.ERROR, logger="dashboard.storage")
    acled = write_acled(60_000, tmp_path / "acled.csv", seed=3)
    from dashboard.ingest import pipeline
    prepared = pipeline.prepare(acled.read_bytes(), acled.name)
    meta = pipeline.meta_for(prepared, name="big", source="t", licence="t", attribution="t", loaded_by="ana")
    with tmpfs(tmp_path / "small", default_db_file.stat().st_size + 2**20) as folder:
        path = folder / "observatory.duckdb"
        shutil.copy2(default_db_file, path)
        monkeypatch.setenv("OBSERVATORY_DB", str(path))
        before = snapshot_of(path)

        def reopen():
            cache.reset(str(path))
            return cache.connection(str(path))

        with pytest.raises(StorageError) as raised:
            actions.upload(cache.connection(str(path)), ANALYST, meta, prepared.parsed, reopen=reopen)
        assert raised.value.kind == "disk_full" and raised.value.invalidated
        # the disk is still full: the audit row cannot be written either, and the server log says so
        unrecorded = [r.getMessage() for r in caplog.records if "audit log cannot be written" in r.getMessage()]
        assert len(unrecorded) == 1 and "upload failed acled.csv by ana" in unrecorded[0]
        at = open_app()
        assert not at.exception and not at.error and at.get("plotly_chart")
        assert snapshot(path) == before


def test_make_run_stops_on_a_damaged_file_with_a_backup_and_prints_the_restore_command(served):
    taken = backup.backup_now(served)
    damage(served, "corrupt")
    started = subprocess.run([sys.executable, "-m", "dashboard.warehouse"], cwd=ROOT, capture_output=True,
                             text=True, env={**os.environ}, timeout=120)
    assert started.returncode == 1 and "Traceback" not in started.stderr
    assert f"OBSERVATORY_DB={served} make restore FILE={taken}" in started.stderr and "is damaged" in started.stderr
    restored = subprocess.run([sys.executable, "-m", "dashboard.backup", "restore", str(taken)], cwd=ROOT,
                              capture_output=True, text=True, env={**os.environ}, timeout=120)  # make restore's command
    assert restored.returncode == 0, restored.stderr
    again = subprocess.run([sys.executable, "-m", "dashboard.warehouse"], cwd=ROOT, capture_output=True, text=True,
                           env={**os.environ}, timeout=120)
    assert again.returncode == 0 and "database ready" in again.stdout
