"""Backups of the database: consistent copies taken while the app serves, the last N kept, and restore.

    python -m dashboard.backup [--keep 7]          write a backup now (cron-friendly: exit 0 and its path)
    python -m dashboard.backup list                the backups, newest last
    python -m dashboard.backup restore FILE        put a backup back (the app must be stopped)

A backup is DuckDB's ``COPY FROM DATABASE`` into a new file, one transaction, so it holds the data as it
was at one instant (before or after a load, never half of one). It is written as ``*.partial``, checked
(it opens and every block reads) and only then renamed. DuckDB lets one process write a file, so while the
app runs the command asks the app to take the backup (a request file in the backup folder that the app's
backup thread answers); when the app is stopped it opens the file itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from dashboard import db, storage
from dashboard.storage import StorageError

DEFAULT_KEEP = 7
SUFFIX = ".duckdb"
REQUEST_POLL_SECONDS = 1.0


def backup_dir(db_path: Path | str) -> Path:
    """$OBSERVATORY_BACKUPS, else a backups/ folder beside the database file."""
    configured = os.environ.get("OBSERVATORY_BACKUPS")
    return Path(configured) if configured else Path(db_path).parent / "backups"


def list_backups(folder: Path) -> list[Path]:
    """Finished backups, oldest first (names carry a sortable UTC time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"*{SUFFIX}") if p.is_file())


def latest(folder: Path) -> Path | None:
    found = list_backups(folder)
    return found[-1] if found else None


def _new_name(folder: Path, db_path: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return folder / f"{db_path.stem}-{stamp}{SUFFIX}"


def verify(file: Path) -> None:
    """The file opens and every block of every table reads (raises StorageError otherwise)."""
    con = db.connect(file, read_only=True)
    try:
        db.integrity(con)
    finally:
        con.close()


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups; returns the deleted files."""
    found = list_backups(folder)
    doomed = found[:-keep] if keep > 0 else []
    for file in doomed:
        file.unlink(missing_ok=True)
    return doomed


def create(con: db.Connection, db_path: Path | str, keep: int = DEFAULT_KEEP, folder: Path | None = None) -> Path:
    """Write a consistent backup of the database served by ``con``, check it, keep the newest ``keep``."""
    db_path = Path(db_path)
    folder = folder or backup_dir(db_path)
    with db.storage_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
    target = _new_name(folder, db_path)
    partial = target.with_name(target.name + ".partial")
    try:
        db.copy_database(con, partial)
        verify(partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".wal").unlink(missing_ok=True)
        raise
    prune(folder, keep)
    return target


def restore(file: Path | str, db_path: Path | str) -> Path | None:
    """Put backup ``file`` in place of the database at ``db_path`` (the app must be stopped). The current
    file, if any, is kept as <name>.before-restore-<time>; returns that path."""
    from dashboard import startup  # startup imports this module

    file, db_path = Path(file), Path(db_path)
    if not file.is_file():
        raise FileNotFoundError(f"no backup file {file}")
    verify(file)
    if db_path.exists():
        try:
            db.connect(db_path, read_only=True).close()
        except StorageError as fault:
            if fault.kind == "in_use":
                raise StorageError("in_use", db_path, fault.cause, advice="Stop the app, then restore.") from fault
    incoming = db_path.with_name(db_path.name + ".restoring")
    with db.storage_errors(db_path):
        shutil.copyfile(file, incoming)
        kept = None
        if db_path.exists():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
            os.replace(db_path, kept)
        wal = db_path.with_name(db_path.name + ".wal")
        if wal.exists():  # a log of the replaced file must not be replayed onto the backup
            os.replace(wal, kept.with_name(kept.name + ".wal") if kept else wal.with_name(wal.name + ".old"))
        os.replace(incoming, db_path)
    startup.dismiss_notice(db_path)
    return kept


# --- backups asked of the running app -----------------------------------------------------------------------


def _answer(folder: Path, request: Path, con: db.Connection, db_path: Path) -> None:
    try:
        keep = int(json.loads(request.read_text(encoding="utf-8")).get("keep", DEFAULT_KEEP))
        result = {"ok": True, "file": str(create(con, db_path, keep=keep, folder=folder))}
    except Exception as exc:  # noqa: BLE001 -- reported to the waiting command, which prints it
        result = {"ok": False, "error": storage.one_line(exc)}
    done = folder / request.name.replace("request-", "done-")
    done.write_text(json.dumps(result), encoding="utf-8")
    request.unlink(missing_ok=True)


def serve_requests(connection: Callable[[], db.Connection], db_path: Path, stop: threading.Event) -> None:
    """The app's backup thread: answer request files dropped by ``python -m dashboard.backup``."""
    folder = backup_dir(db_path)
    while not stop.wait(REQUEST_POLL_SECONDS):
        for request in sorted(folder.glob("request-*.json")) if folder.is_dir() else ():
            try:
                _answer(folder, request, connection(), db_path)
            except Exception as exc:  # noqa: BLE001 -- a full disk must not kill the thread: the command reports the timeout
                storage.log.error("backup request %s failed: %s", request.name, storage.one_line(exc))


_threads: dict[str, threading.Event] = {}


def start_service(connection: Callable[[], db.Connection], db_path: Path) -> threading.Event:
    """Start the backup thread for ``db_path`` once per process; set the returned event to stop it."""
    key = str(db_path)
    if key not in _threads:
        stop = threading.Event()
        threading.Thread(target=serve_requests, args=(connection, Path(db_path), stop), daemon=True,
                         name=f"backups {db_path.name}").start()
        _threads[key] = stop
    return _threads[key]


def ask_running_app(db_path: Path, keep: int, wait_seconds: float) -> Path:
    """Drop a request for the running app and wait for its answer (at most ``wait_seconds``)."""
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    request, done = folder / f"request-{token}.json", folder / f"done-{token}.json"
    request.write_text(json.dumps({"keep": keep}), encoding="utf-8")
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if done.exists():
            answer = json.loads(done.read_text(encoding="utf-8"))
            done.unlink(missing_ok=True)
            if not answer["ok"]:
                raise RuntimeError(f"the app could not write the backup: {answer['error']}")
            return Path(answer["file"])
        time.sleep(REQUEST_POLL_SECONDS)
    request.unlink(missing_ok=True)
    raise TimeoutError(f"the app holding {db_path} did not answer within {wait_seconds:.0f} s: is a page of it open "
                       "since it started? (The backup thread starts with the app's first page view.)")


def backup_now(db_path: Path, keep: int = DEFAULT_KEEP, wait_seconds: float = 300) -> Path:
    """A backup whether or not the app runs: directly when the file is free, else through the app."""
    try:
        con = db.connect(db_path, read_only=True)
    except StorageError as fault:
        if fault.kind != "in_use":
            raise
        return ask_running_app(db_path, keep, wait_seconds)
    try:
        return create(con, db_path, keep=keep)
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Back up or restore the observatory database.")
    parser.add_argument("command", nargs="?", default="create", choices=("create", "list", "restore"))
    parser.add_argument("file", nargs="?", help="restore: the backup file to put back")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: $OBSERVATORY_DB or data/)")
    parser.add_argument("--keep", type=int, default=DEFAULT_KEEP, help="backups to keep (default 7)")
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for a running app")
    args = parser.parse_args(argv)
    path = Path(args.db or db.db_path())
    try:
        if args.command == "list":
            for file in list_backups(backup_dir(path)):
                print(f"{file}  {file.stat().st_size / 2**20:,.1f} MB")
        elif args.command == "restore":
            if not args.file:
                parser.error("restore needs the backup file: python -m dashboard.backup restore FILE")
            kept = restore(args.file, path)
            print(f"restored {args.file} to {path}" + (f"; the previous file is kept as {kept}" if kept else ""))
        else:
            print(backup_now(path, keep=args.keep, wait_seconds=args.wait))
    except (StorageError, OSError, RuntimeError, db.DatabaseVersionError) as exc:
        print(f"backup {args.command} failed: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
