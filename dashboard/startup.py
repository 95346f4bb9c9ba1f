"""Start-up checks of the database file, before the app serves it (kept apart from the build in warehouse.py).

``prepare(path)`` decides how the file can be served:
- damaged (checksum mismatch, cut short, not a database): moved aside; with a backup, the app stops and the
  operator is told the exact restore command; without one, the default data is rebuilt and a notice says
  that uploads were lost (shown on every page until an admin dismisses it);
- read-only file or folder: served read-only (browsing and exports work, writes are refused with a reason);
- otherwise built or migrated by warehouse.ensure_database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from dashboard import backup, db, storage
from dashboard.storage import StorageError


@dataclass(frozen=True)
class Prepared:
    """How the app may open the file: ``read_only`` holds the reason when it must be read-only;
    ``notice`` what happened at start that users must be told (a rebuild after damage)."""

    path: Path
    read_only: str | None = None
    notice: dict | None = None


def notice_path(path: Path) -> Path:
    return path.with_name(path.name + ".notice.json")


def read_notice(path: Path) -> dict | None:
    try:
        return json.loads(notice_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_notice(path: Path, notice: dict) -> None:
    notice_path(path).write_text(json.dumps(notice, indent=1), encoding="utf-8")


def dismiss_notice(path: Path) -> None:
    """An admin has read the rebuild notice (or the operator restored a backup)."""
    notice_path(path).unlink(missing_ok=True)


def check_file(path: Path) -> StorageError | None:
    """Open the file read-only and read all of it; the fault found, or None when it is whole.

    A file held by the running app (locked) is not checked here: that app checked it when it started."""
    try:
        con = db.connect(path, read_only=True)
    except StorageError as fault:
        return None if fault.kind == "in_use" else fault.at(path)
    try:
        db.integrity(con)
    except StorageError as fault:
        return fault.at(path)
    finally:
        con.close()
    return None


def move_aside(path: Path) -> Path:
    """Rename the damaged file (and its write-ahead log) to <name>.damaged-<UTC time>; returns the new path."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, target)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + ".wal"))
    return target


def restore_command(file: Path, path: Path) -> str:
    """The exact command; it names the database too when it is not the default one."""
    prefix = "" if Path(path).resolve() == db.DEFAULT_DB_PATH.resolve() else f"OBSERVATORY_DB={path} "
    return f"{prefix}make restore FILE={file}"


def rebuild_command(path: Path) -> str:
    suffix = "" if Path(path).resolve() == db.DEFAULT_DB_PATH.resolve() else f" --db {path}"
    return f"python -m dashboard.warehouse --rebuild{suffix}"


def handle_damage(path: Path, fault: StorageError) -> dict:
    """Move the damaged file aside and decide what comes next; raises when a backup should be restored."""
    if storage.write_problem(path):
        raise StorageError(fault.kind, path, fault.cause, advice=(
            "The folder is read-only, so the file cannot be moved aside: restore a backup over it "
            "(make restore FILE=...) or make the folder writable and restart."))
    moved = move_aside(path)
    latest = backup.latest(backup.backup_dir(path))
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if latest is not None:
        notice = {"state": "awaiting_restore", "at": at, "moved_to": str(moved), "cause": fault.cause,
                  "kind": fault.kind, "backup": str(latest), "command": restore_command(latest, path)}
        write_notice(path, notice)
        storage.log_fault(fault, f"at start; moved aside to {moved}; restore with: {notice['command']}")
        waiting = awaiting_restore(path, notice)
        waiting.logged = True
        raise waiting
    notice = {"state": "rebuilt", "at": at, "moved_to": str(moved), "cause": fault.cause, "kind": fault.kind}
    write_notice(path, notice)
    storage.log_fault(fault, f"at start; moved aside to {moved}; no backup: default data rebuilt, uploads lost")
    return notice


def awaiting_restore(path: Path, notice: dict) -> StorageError:
    fault = StorageError(notice.get("kind", "corrupt"), path, notice.get("cause", ""), advice=(
        f"It was moved aside to {notice['moved_to']} and the app will not start on an empty database while a "
        f"backup exists. Stop the app, restore the latest backup with: {notice['command']} "
        "and start the app again. (To start from the shipped default data instead and lose every upload: "
        f"{rebuild_command(path)}.)"))
    fault.command = notice["command"]
    return fault


def read_only_check(path: Path, reason: str) -> Prepared:
    """A database that cannot be written is served read-only, if it is whole and of this program's version."""
    if not path.exists():
        raise StorageError("read_only", path, reason, advice=(
            "There is no database yet and it cannot be built there. Make the folder writable (or point "
            "OBSERVATORY_DB at a writable place), then restart the app."))
    con = db.connect(path, read_only=True)
    try:
        version = db.schema_version(con)
        views = db.stored_views_sha256(con)
    finally:
        con.close()
    if version > db.latest_schema_version():
        raise db.DatabaseVersionError(
            f"The database {path} has schema version {version}, newer than this program's "
            f"{db.latest_schema_version()}. Upgrade the observatory, or point OBSERVATORY_DB at another file.")
    if version < db.latest_schema_version():
        raise StorageError("read_only", path, reason, advice=(
            f"It must be upgraded (schema {version} to {db.latest_schema_version()}) before it can be served. "
            "Make it writable and restart the app."))
    if views != db.views_sha256():
        # views are re-created only on a writable start: a read-only file keeps those of its last one
        raise StorageError("read_only", path, reason, advice=(
            "Its views (queries/views/) are from another version of the observatory and cannot be re-created "
            "in a read-only file. Make it writable and restart the app once; it can be served read-only after."))
    storage.log_fault(StorageError("read_only", path, reason), "at start; serving read-only")
    return Prepared(path, read_only=reason)


def prepare(path: Path) -> Prepared:
    """Check the file at start and build, migrate or move it aside as needed (see the module docstring).

    Raises StorageError (with the operator's next step) or db.DatabaseVersionError when it cannot be served."""
    from dashboard.warehouse import ensure_database  # warehouse imports the ingest pipeline: only when starting

    path = Path(path)
    notice = read_notice(path)
    if notice and notice.get("state") == "awaiting_restore" and not path.exists():
        raise awaiting_restore(path, notice)
    if path.exists():
        fault = check_file(path)
        if fault is not None and fault.kind in storage.DAMAGED:
            notice = handle_damage(path, fault)
        elif fault is not None and fault.kind != "read_only":
            raise fault
    reason = storage.write_problem(path)
    if reason:
        return read_only_check(path, reason)
    with db.storage_errors(path):
        ensure_database(path)
    return Prepared(path, notice=notice if notice and notice.get("state") == "rebuilt" else None)


def start_from_command_line(path: Path) -> int:
    """``python -m dashboard.warehouse`` (make db, make run): prepare the file and say in plain words what
    was done or what the operator must do; exit status 1 when the app cannot serve it."""
    try:
        prepared = prepare(path)
    except (StorageError, db.DatabaseVersionError) as exc:
        print(f"The database cannot be served. {exc}", file=sys.stderr)  # noqa: T201 (the CLI's output)
        return 1
    if prepared.notice:
        print(f"WARNING: the database file was damaged ({prepared.notice['cause']}) and moved aside to "  # noqa: T201
              f"{prepared.notice['moved_to']}. No backup existed: the default data was rebuilt and datasets "
              "uploaded before are lost (they must be uploaded again).", file=sys.stderr)
    if prepared.read_only:
        print(f"database ready, read-only ({prepared.read_only}): browsing and exports work, "  # noqa: T201
              f"uploads do not: {path}")
    else:
        print(f"database ready: {path}")  # noqa: T201
    return 0
