"""Build the embedded database from the shipped files, and open it safely on start.

``python -m dashboard.warehouse`` builds data/observatory.duckdb if it is missing (or migrates an
older one). A new file is built beside the target and renamed into place, so a crash mid-build
never leaves a half-built database where the app looks for one.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import sys
from pathlib import Path

import pandas as pd

from dashboard import db, startup
from dashboard.defaults import DATA, DEFAULT_DATASETS, DefaultDataset
from dashboard.ingest.formats import ucdp_ged, meta_cser, tiktok_cge, published_figures, native_complaints
from dashboard.ingest.load import load, sha256
from dashboard.ingest.model import DatasetMeta
from dashboard.ingest.names import alias_key
from dashboard.ingest.reader import read_csv_text

REFERENCE = DATA / "reference"
FORMATS = {f.FORMAT.name: f.FORMAT for f in (ucdp_ged, meta_cser, tiktok_cge, published_figures, native_complaints)}

# reference table -> (file in data/reference, name column of an alias file or None)
REFERENCE_TABLES = {
    "regions": ("regions.csv", None),
    "groups": ("groups.csv", None),
    "platforms": ("platforms.csv", None),
    "annotations": ("annotations.csv", None),
    "region_aliases": ("region_aliases.csv", "region"),
    "group_aliases": ("group_aliases.csv", "group_name"),
    "platform_aliases": ("platform_aliases.csv", "platform"),
}


def load_reference(con: db.Connection) -> None:
    """Fill the reference tables from data/reference/*.csv in one transaction."""
    with con.cursor() as cur:
        cur.execute("begin transaction")
        for table, (file_name, _) in REFERENCE_TABLES.items():
            frame = pd.read_csv(REFERENCE / file_name, dtype=str, keep_default_na=False)
            frame = frame.replace("", None)
            if "alias" in frame:
                frame.insert(0, "alias_key", frame["alias"].map(alias_key))
                frame = frame.drop_duplicates("alias_key", keep="first")
            cur.register("staging", frame)
            db.execute(cur, "load/insert_ref_" + table)
            cur.unregister("staging")
        db.bump_data_version(cur)
        cur.execute("commit")


def load_default(con: db.Connection, spec: DefaultDataset) -> int:
    """Parse and load one shipped dataset through the same pipeline analysts' uploads use."""
    data = spec.path.read_bytes()
    fmt = FORMATS[spec.format]
    parsed = fmt.parse(read_csv_text(data))
    meta = DatasetMeta(
        name=spec.name, kind=fmt.kind, source=spec.source, licence=spec.licence,
        attribution=spec.attribution, format=fmt.name, file_name=spec.path.name, sha256=sha256(data),
        loaded_by="system (default data)", is_synthetic=spec.is_synthetic, notes=spec.notes,
    )
    return load(con, meta, parsed)


def build(path: Path) -> None:
    """Build a complete database at ``path`` (which must not exist)."""
    con = db.connect(path)
    try:
        db.migrate(con)
        load_reference(con)
        for spec in DEFAULT_DATASETS:
            load_default(con, spec)
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

    Raises db.DatabaseVersionError for a file from a newer version and db.DatabaseUnreadableError
    for a file that is not a database: both carry a message that says what to do.
    """
    path = Path(path or db.db_path())
    with _build_lock(path):
        if path.exists():
            con = db.connect(path)
            try:
                db.migrate(con, path)
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
