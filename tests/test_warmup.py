"""The server's warm-up at start (dashboard/warmup.py): it opens and checks the database before the first
reader arrives, and a fault it meets is left for the first page run to show, never cached."""

from __future__ import annotations

import shutil

from dashboard import cache, warmup


def test_the_warm_up_opens_the_database_the_first_page_then_reuses(default_db_file, tmp_path):
    path = tmp_path / "observatory.duckdb"
    shutil.copy2(default_db_file, path)
    cache.served.clear()
    try:
        warmup.start(str(path), runtime_wait_s=0).join(timeout=300)
        opened = cache.served(str(path))  # what the first page run gets: the same connection, not a new check
        assert cache.served(str(path)) is opened
        assert opened.con.execute("select count(*) from incidents").fetchone()[0] > 0
    finally:
        cache.reset(str(path))


def test_a_fault_found_at_warm_up_is_left_for_the_first_page_run(default_db_file, tmp_path, monkeypatch, caplog):
    """The file is busy while the server warms up (another program holds it): the warm-up gives up quietly,
    and the first page run checks the file again and opens it."""
    from dashboard import startup
    from dashboard.storage import StorageError

    path = tmp_path / "observatory.duckdb"
    shutil.copy2(default_db_file, path)
    real, calls = startup.prepare, []

    def busy_once(target):
        calls.append(target)
        if len(calls) == 1:
            raise StorageError("in_use", target, "held by another program")
        return real(target)

    monkeypatch.setattr(startup, "prepare", busy_once)
    cache.served.clear()
    try:
        thread = warmup.start(str(path), runtime_wait_s=0)  # no Streamlit runtime in a test
        thread.join(timeout=300)
        assert not thread.is_alive() and "warm-up at start did not finish" in caplog.text
        assert cache.served(str(path)).con.execute("select 1").fetchone() == (1,)  # checked again, not cached
        assert len(calls) == 2
    finally:
        cache.reset(str(path))
