"""Storage health for operators: database path, schema version, size, last backup, free disk.

    python -m dashboard.health     (also on the Admin page)
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from dashboard import backup, db, storage
from dashboard.storage import StorageError

# Below this much free space on the database's disk the report warns (a load needs about its file's size).
LOW_DISK_BYTES = 1 * 2**30


def _size(path: Path) -> int | None:
    files = [path, path.with_name(path.name + ".wal")]
    sizes = [f.stat().st_size for f in files if f.exists()]
    return sum(sizes) if sizes else None


def _version(path: Path, con: db.Connection | None) -> str:
    if con is not None:
        return str(db.schema_version(con))
    try:
        own = db.connect(path, read_only=True)
    except StorageError as fault:
        return "in use by the running app" if fault.kind == "in_use" else f"unreadable: {fault.cause}"
    try:
        return str(db.schema_version(own))
    finally:
        own.close()


def report(path: Path | str, con: db.Connection | None = None) -> dict[str, str]:
    """Label -> value, in reading order. ``con`` is the app's own connection when it asks."""
    path = Path(path)
    folder = backup.backup_dir(path)
    backups = backup.list_backups(folder)
    last = backups[-1] if backups else None
    free = storage.free_bytes(path)
    size = _size(path)
    out = {
        "Database file": str(path),
        "Schema version": (f"{_version(path, con)} (this program: {db.latest_schema_version()})"
                           if path.exists() else "no database file yet"),
        "Size (file and write-ahead log)": f"{size / 2**20:,.1f} MB" if size is not None else "–",
        "Writable": storage.write_problem(path) or "yes",
        "Backups folder": f"{folder} ({len(backups)} backup{'s' if len(backups) != 1 else ''})",
        "Last backup": (f"{last.name}, {age(last)} ago" if last else
                        "none: run `make backup` (and schedule `python -m dashboard.backup`)"),
        "Free disk": f"{free / 2**30:,.1f} GB" if free is not None else "unknown",
    }
    if free is not None and free < LOW_DISK_BYTES:
        out["Free disk"] += " (low: loads may fail; free space on this disk)"
    return out


def age(file: Path) -> str:
    seconds = max(0, dt.datetime.now().timestamp() - file.stat().st_mtime)
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


def main() -> int:
    for label, value in report(db.db_path()).items():
        print(f"{label + ':':34} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
