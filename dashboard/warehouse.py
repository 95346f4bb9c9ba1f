"""Build the embedded database from the shipped files, and open it safely on start.

``python -m dashboard.warehouse`` builds data/observatory.duckdb if it is missing (or migrates an
older one). A new file is built beside the target and renamed into place, so a crash mid-build
never leaves a half-built database where the app looks for one.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import logging
import os
import sys
from pathlib import Path

import pandas as pd

from dashboard import db, startup
from dashboard.defaults import DATA, DEFAULT_DATASETS, DefaultDataset
from dashboard.ingest.formats import published_figures
from dashboard.ingest.load import load
from dashboard.ingest.model import DatasetMeta, LoadOptions, Parsed, sha256
from dashboard.ingest.names import alias_key
from dashboard.ingest.reader import read_csv_text
from dashboard.ingest.registry import BY_NAME

REFERENCE = DATA / "reference"
SYSTEM_LOADER = "system (default data)"

# reference table -> (file in data/reference, name column of an alias file or None)
REFERENCE_TABLES = {
    "regions": ("regions.csv", None),
    "groups": ("groups.csv", None),
    "platforms": ("platforms.csv", None),
    "annotations": ("annotations.csv", None),
    "source_preferences": ("source_preferences.csv", None),
    "region_aliases": ("region_aliases.csv", "region"),
    "group_aliases": ("group_aliases.csv", "group_name"),
    "platform_aliases": ("platform_aliases.csv", "platform"),
}

log = logging.getLogger(__name__)


def load_reference(con: db.Connection) -> list[str]:
    """Fill each reference table whose file in data/reference/ changed since it was last loaded (all of
    them in a new database), one transaction per table; returns the tables reloaded. Alias tables keep
    the spellings analysts added: only the shipped spellings are replaced."""
    reloaded = []
    for table, (file_name, _) in REFERENCE_TABLES.items():
        data = (REFERENCE / file_name).read_bytes()
        key, checksum = f"reference/{file_name}", sha256(data)
        if _recorded_sha256(con, key) == checksum:
            continue
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False).replace("", None)
        if "alias" in frame:
            frame.insert(0, "alias_key", frame["alias"].map(alias_key))
            frame = frame.drop_duplicates("alias_key", keep="first")
        with con.cursor() as cur:
            cur.execute("begin transaction")
            try:
                cur.register("staging", frame)
                db.execute(cur, "load/delete_ref_" + table)
                db.execute(cur, "load/insert_ref_" + table)
                cur.unregister("staging")
                db.execute(cur, "load/record_shipped_file", file_name=key, sha256=checksum, dataset_id=None)
                db.bump_data_version(cur)
                cur.execute("commit")
            except BaseException:
                cur.execute("rollback")
                raise
        reloaded.append(table)
    return reloaded


def _recorded_sha256(con: db.Connection, key: str) -> str | None:
    found = db.run(con, "load/shipped_file", file_name=key)
    return None if found.empty else str(found["sha256"].iloc[0])


def shipped_bytes(spec: DefaultDataset) -> bytes:
    """What a shipped dataset is made of: its file, then its review file if it has one."""
    return spec.path.read_bytes() + (spec.review.read_bytes() if spec.review else b"")


def parse_default(spec: DefaultDataset) -> Parsed:
    """A shipped file parsed by its format, with its review laid over it (published figures)."""
    parsed = BY_NAME[spec.format].parse(read_csv_text(spec.path.read_bytes()))
    if spec.review is not None:
        parsed = published_figures.apply_review(parsed, pd.read_csv(spec.review, dtype=str, keep_default_na=False))
    return parsed


def load_default(con: db.Connection, spec: DefaultDataset, replaces: int | None = None) -> int:
    """Parse and load one shipped dataset through the same pipeline analysts' uploads use; ``replaces``
    names the dataset of an earlier version of the file, retracted in the same transaction."""
    checksum = sha256(shipped_bytes(spec))
    fmt = BY_NAME[spec.format]
    meta = DatasetMeta(
        name=spec.name, kind=fmt.kind, source=spec.source, licence=spec.licence,
        attribution=spec.attribution, format=fmt.name, file_name=spec.path.name, sha256=checksum,
        loaded_by=SYSTEM_LOADER, is_synthetic=spec.is_synthetic, notes=spec.notes,
    )

    def record(cur: db.Connection, dataset_id: int) -> None:
        db.execute(cur, "load/record_shipped_file", file_name=spec.path.name, sha256=checksum, dataset_id=dataset_id)

    return load(con, meta, parse_default(spec), LoadOptions(retract_ids=(replaces,) if replaces else ()),
                before_commit=record)


def refresh_shipped(con: db.Connection) -> list[str]:
    """Load each shipped dataset that is new or whose file changed since it was loaded: the new version
    replaces the old one in one transaction (retract and load), so an existing install gets the shipped
    data without a rebuild and keeps every upload. A shipped dataset an admin retracted stays retracted.
    Returns one line per change, for the log."""
    changes = []
    for spec in DEFAULT_DATASETS:
        checksum = sha256(shipped_bytes(spec))
        found = db.run(con, "load/shipped_dataset", loaded_by=SYSTEM_LOADER, file_name=spec.path.name)
        if found.empty:
            dataset_id = load_default(con, spec)
            changes.append(f"loaded {spec.path.name} as dataset {dataset_id}")
            continue
        previous = found.iloc[0]
        if previous["sha256"] == checksum:
            continue
        if previous["status"] != "active":
            changes.append(f"{spec.path.name} changed, but its dataset {previous['dataset_id']} was retracted: "
                           "left as it is")
            continue
        dataset_id = load_default(con, spec, replaces=int(previous["dataset_id"]))
        changes.append(f"{spec.path.name} changed: dataset {dataset_id} replaces {previous['dataset_id']}")
    return changes


def refresh(con: db.Connection) -> None:
    """Bring the shipped reference tables and datasets of an open database up to the files on disk."""
    for line in [f"reference table {t} reloaded" for t in load_reference(con)] + refresh_shipped(con):
        log.info("shipped data: %s", line)


def build(path: Path) -> None:
    """Build a complete database at ``path`` (which must not exist)."""
    con = db.connect(path)
    try:
        db.migrate(con)
        refresh(con)
        con.execute("checkpoint")
    finally:
        con.close()


@contextlib.contextmanager
def _build_lock(path: Path):
    """One builder at a time (two app processes may start together)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(path.suffix + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_database(path: Path | None = None) -> Path:
    """Make sure a current database exists at ``path``: build it if missing, migrate it if older.

    Shipped files that changed since the database was built replace their datasets (refresh_shipped).
    Raises db.DatabaseVersionError for a file from a newer version and db.DatabaseUnreadableError
    for a file that is not a database: both carry a message that says what to do.
    """
    path = Path(path or db.db_path())
    with _build_lock(path):
        if path.exists():
            con = db.connect(path)
            try:
                db.migrate(con, path)
                refresh(con)
            finally:
                con.close()
            return path
        partial = path.with_name(path.name + ".building")
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".wal").unlink(missing_ok=True)
        build(partial)
        os.replace(partial, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="database file (default: $OBSERVATORY_DB or data/)")
    parser.add_argument("--rebuild", action="store_true", help="delete the file first and build it anew")
    args = parser.parse_args()
    path = Path(args.db or db.db_path())
    if args.rebuild:
        path.unlink(missing_ok=True)
        startup.dismiss_notice(path)
    sys.exit(startup.start_from_command_line(path))


if __name__ == "__main__":
    main()
