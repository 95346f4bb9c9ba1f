"""The only module that imports duckdb: connections, named queries, schema versions.

Queries live in ``queries/<name>.sql``; pages call ``run(con, "name", **params)`` and never see SQL.
Parameters are always bound (``$name`` in the SQL file), never formatted into the text.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard.storage import StorageError, classify, write_problem

ROOT = Path(__file__).resolve().parent.parent
# beside the package; when the package is imported from a zip (spark-submit --py-files), the working directory's
QUERIES_DIR = ROOT / "queries" if (ROOT / "queries").is_dir() else Path.cwd() / "queries"
SCHEMA_DIR = QUERIES_DIR / "schema"
VIEWS_DIR = QUERIES_DIR / "views"
DEFAULT_DB_PATH = ROOT / "data" / "observatory.duckdb"

_QUERY_NAME = re.compile(r"^([a-z][a-z0-9_]*/)?[a-z][a-z0-9_]*$")
_SCHEMA_FILE = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")

Connection = duckdb.DuckDBPyConnection
DatabaseError = duckdb.Error


class DatabaseVersionError(RuntimeError):
    """The database file was written by a newer version of the observatory."""


class DatabaseUnreadableError(StorageError):
    """The database file exists but cannot be opened (corrupt, cut short, not a DuckDB file, locked)."""


class UnknownQueryError(KeyError):
    """A page asked for a query that has no file in queries/."""


def db_path() -> Path:
    """Where the database lives: $OBSERVATORY_DB, else data/observatory.duckdb."""
    return Path(os.environ.get("OBSERVATORY_DB", DEFAULT_DB_PATH))


@contextlib.contextmanager
def storage_errors(path: Path | str | None = None):
    """Turn DuckDB and OS errors about the file itself (damaged, read-only, disk full...) into StorageError;
    other errors (bad SQL, constraints) pass through unchanged."""
    try:
        yield
    except (duckdb.Error, OSError) as exc:
        fault = classify(exc, path)
        if fault is None or fault is exc:
            raise
        raise fault from exc


def connect(path: Path | str, read_only: bool = False) -> Connection:
    """Open the database file; one that cannot be opened raises DatabaseUnreadableError (a StorageError)."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:  # IOException, SerializationException, ...
        fault = classify(exc, path)
        kind = fault.kind if fault else "io"
        raise DatabaseUnreadableError(kind, path, fault.cause if fault else str(exc)) from exc


@cache
def query_text(name: str) -> str:
    """The SQL of a named query. Names are checked so a name can never become a path."""
    if not _QUERY_NAME.match(name):
        raise UnknownQueryError(name)
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise UnknownQueryError(name)
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    """Every named query shipped in queries/."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


@cache
def query_parameters(name: str) -> frozenset[str]:
    """The $parameters a named query uses (for callers that pass a shared filter dict)."""
    text = re.sub(r"--[^\n]*", "", query_text(name))
    return frozenset(re.findall(r"\$([a-z_][a-z0-9_]*)", text))


def _bound(name: str, params: dict[str, Any]) -> dict[str, Any]:
    wanted = query_parameters(name)
    missing = wanted - params.keys()
    if missing:
        raise TypeError(f"query {name!r} needs parameters: {sorted(missing)}")
    return {key: params[key] for key in wanted}


def run(con: Connection, name: str, /, **params: Any) -> pd.DataFrame:
    """Run a named query on a fresh cursor with bound parameters; extra parameters are ignored."""
    with storage_errors(), con.cursor() as cur:
        return cur.execute(query_text(name), _bound(name, params)).df()


def execute(cur: Connection, name: str, /, **params: Any) -> Connection:
    """Run a named statement (e.g. "load/insert_dataset") on the caller's cursor, inside its transaction."""
    with storage_errors():
        return cur.execute(query_text(name), _bound(name, params))


def data_version(con: Connection) -> int:
    """A number that changes whenever data changes; part of every cache key."""
    with storage_errors(), con.cursor() as cur:
        return int(cur.execute("select data_version from observatory_meta").fetchone()[0])


# --- storage: integrity scan and consistent copies (see dashboard/storage.py, dashboard/backup.py) -------------

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def integrity(con: Connection) -> pd.DataFrame:
    """Read every row of every table (DuckDB checks each block's checksum as it reads) and return, per
    table, its row count and a content fingerprint. Raises StorageError on a damaged or cut-short file."""
    tables = run(con, "storage/base_tables")["table_name"].tolist()
    rows = [run(con, "storage/table_scan", table_name=name).assign(table_name=name) for name in tables]
    return pd.concat(rows, ignore_index=True)[["table_name", "row_count", "fingerprint"]]


def database_file(con: Connection) -> dict[str, Any]:
    """The served file's path, whether it is open read-only, and DuckDB's name for it."""
    return run(con, "storage/database_file").iloc[0].to_dict()


def require_writable(con: Connection) -> None:
    """Refuse a write when the database is open read-only or its file or folder cannot be written now.

    Checked before writing: a file made read-only while the app runs still takes writes into the
    write-ahead log, and the checkpoint that follows would fail and close the database."""
    found = database_file(con)
    if found["read_only"]:
        raise StorageError("read_only", found["path"], "the app opened it read-only")
    reason = write_problem(found["path"]) if found["path"] else None
    if reason:
        raise StorageError("read_only", found["path"], reason)


def copy_database(con: Connection, target: Path | str) -> None:
    """Copy the whole served database into a new file ``target`` in one transaction (a consistent snapshot,
    taken while other cursors keep reading and loading)."""
    name = database_file(con)["database_name"]
    if not _IDENTIFIER.match(name):  # DuckDB names the database after the file: only a plain name is spliced in
        raise ValueError(f"cannot back up a database named {name!r}: rename the file to letters, digits and _")
    copy = query_text("storage/copy_to_backup").replace("source_database", '"' + name + '"')
    with storage_errors(target), con.cursor() as cur:
        execute(cur, "storage/attach_backup", path=str(target))
        try:
            cur.execute(copy)
        finally:
            execute(cur, "storage/detach_backup")


def bump_data_version(cur: Connection) -> None:
    """Call inside every write transaction."""
    cur.execute("update observatory_meta set data_version = data_version + 1")


# --- schema versions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path


def migrations() -> list[Migration]:
    """queries/schema/NNN_name.sql files, in version order."""
    found = []
    for path in SCHEMA_DIR.glob("*.sql"):
        match = _SCHEMA_FILE.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), path))
    return sorted(found, key=lambda m: m.version)


def latest_schema_version() -> int:
    return migrations()[-1].version


def schema_version(con: Connection) -> int:
    """0 for an empty database, else the version stored in observatory_meta."""
    with storage_errors(), con.cursor() as cur:
        exists = cur.execute(
            "select count(*) from information_schema.tables where table_name = 'observatory_meta'"
        ).fetchone()[0]
        if not exists:
            return 0
        return int(cur.execute("select schema_version from observatory_meta").fetchone()[0])


def backup_file(path: Path, version: int) -> Path:
    """Copy the database file aside before a migration touches it."""
    target = path.with_name(f"{path.stem}.v{version}.backup{path.suffix}")
    shutil.copy2(path, target)
    return target


def migrate(con: Connection, path: Path | None = None) -> int:
    """Bring the schema to the latest version, one transaction per step, then re-create the views and
    macros if they changed (create_views); returns the final version.

    An older file is copied aside first (when ``path`` is given); a newer one raises
    DatabaseVersionError rather than being touched.
    """
    current = schema_version(con)
    latest = latest_schema_version()
    if current > latest:
        raise DatabaseVersionError(
            f"The database {path or ''} has schema version {current}, newer than this program's {latest}. "
            "Upgrade the observatory, or point OBSERVATORY_DB at another file."
        )
    if 0 < current < latest and path is not None:
        con.execute("checkpoint")
        backup_file(Path(path), current)
    for step in migrations():
        if step.version <= current:
            continue
        with con.cursor() as cur:
            cur.execute("begin transaction")
            try:
                cur.execute(step.path.read_text(encoding="utf-8"))
                cur.execute("update observatory_meta set schema_version = $v", {"v": step.version})
                cur.execute("commit")
            except Exception:
                cur.execute("rollback")
                raise
    create_views(con)
    return latest


# --- views and macros: queries/views/NNN_*.sql, re-created on every writable start ----------------------


def view_files() -> list[Path]:
    """queries/views/*.sql in file-name order (a view may use the ones before it)."""
    return sorted(VIEWS_DIR.glob("*.sql"))


@cache
def views_sha256() -> str:
    """One checksum of every view file, names and text: which version of the views this program holds."""
    digest = hashlib.sha256()
    for path in view_files():
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def stored_views_sha256(con: Connection) -> str | None:
    """The views checksum recorded in the file when its views were last created (None before schema 7)."""
    with storage_errors(), con.cursor() as cur:
        found = cur.execute(
            "select count(*) from information_schema.columns "
            "where table_name = 'observatory_meta' and column_name = 'views_sha256'"
        ).fetchone()[0]
        if not found:
            return None
        return cur.execute("select views_sha256 from observatory_meta").fetchone()[0]


def create_views(con: Connection) -> bool:
    """Create (or replace) every view and macro of queries/views/ in one transaction, on a writable database
    at the latest schema, when the file holds another version of them (views_sha256); returns whether it did.

    Migrations create tables only: views follow the tables they read, so a view changes in one file and
    reaches every existing database on its next writable start. A start with the same views writes nothing
    (a server whose disk is full can still start). The data version is bumped with them, so results cached
    with the old views are not served again."""
    checksum = views_sha256()
    if stored_views_sha256(con) == checksum:
        return False
    with storage_errors(), con.cursor() as cur:
        cur.execute("begin transaction")
        try:
            for path in view_files():
                cur.execute(path.read_text(encoding="utf-8"))
            cur.execute("update observatory_meta set views_sha256 = $sha256", {"sha256": checksum})
            bump_data_version(cur)
            cur.execute("commit")
        except Exception:
            with contextlib.suppress(duckdb.Error):  # a failed commit has ended the transaction already
                cur.execute("rollback")
            raise
    return True


# --- reading statement files (the DSA dumps' CSV parts and Parquet) ----------------------------------


def register_files(cur: Connection, view: str, files: list[str], *, parquet: bool = False) -> list[str]:
    """Register CSV files (header, every column as text, RFC 4180 quotes, line breaks inside quotes) or
    Parquet files as the relation ``view`` on this cursor, for the named queries that read it; returns its
    column names (a full dump or a light one). ``view`` is a plain name chosen by the caller, never user input."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", view):
        raise ValueError(f"not a plain view name: {view!r}")
    if parquet:
        relation = cur.read_parquet(files)
    else:
        relation = cur.read_csv(files, header=True, all_varchar=True, quotechar='"', escapechar='"',
                                sep=",", strict_mode=True)
    cur.register(view, relation)
    return list(relation.columns)
