"""Streamlit caches: one database connection per database file, query results keyed by file and data version."""

from __future__ import annotations

import contextlib
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import backup, db, startup, storage


@dataclass
class Served:
    """The open database and what start-up found (read-only reason, rebuild notice)."""

    con: db.Connection
    prepared: startup.Prepared


_open: dict[str, db.Connection] = {}  # path -> the connection served now (for the backup thread)


@st.cache_resource(show_spinner="Preparing the database (first start builds it from the shipped data)…")
def served(path: str) -> Served:
    """Check, build or migrate the file (startup.prepare), open it (read-only when it cannot be written)
    and start the backup thread. Faults raise StorageError and are not cached: the next run tries again."""
    prepared = startup.prepare(Path(path))
    con = db.connect(path, read_only=bool(prepared.read_only))
    _open[path] = con
    backup.start_service(lambda: _open[path], Path(path))
    return Served(con, prepared)


def connection(path: str | None = None) -> db.Connection:
    """The process-wide connection to one database file; every query runs on its own cursor (DuckDB 2
    needs that). Keyed by the path so a process that switches $OBSERVATORY_DB (tests do) never reads
    another file through a stale connection."""
    return served(str(db.db_path() if path is None else path)).con


def read_only_reason(path: str | None = None) -> str | None:
    """Why nothing can be written now (opened read-only at start, or the file or folder turned read-only
    since), or None. Pages check it before offering a write; actions check it again on the server."""
    path = str(db.db_path() if path is None else path)
    return served(path).prepared.read_only or storage.write_problem(path)


def start_notice(path: str | None = None) -> dict | None:
    """What start-up had to do that users must know (a damaged file replaced by the default data)."""
    notice = startup.read_notice(Path(db.db_path() if path is None else path))
    return notice if notice and notice.get("state") == "rebuilt" else None


def reset(path: str | None = None) -> None:
    """Close the connection after DuckDB invalidated it (a failed checkpoint): the next run opens the file
    again (read-only if it cannot be written, through the start-up checks)."""
    con = _open.pop(str(db.db_path() if path is None else path), None)
    if con is not None:
        with contextlib.suppress(Exception):
            con.close()
    served.clear()
    clear()


def _current() -> tuple[str, db.Connection]:
    path = str(db.db_path())
    return path, connection(path)


def _plain(value: Any) -> Any:
    """A parameter in one canonical form for the cache key and DuckDB: tuples become lists, dicts (the
    $filters struct) get sorted keys, recursively."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {key: _plain(value[key]) for key in sorted(value)}
    return value


@st.cache_data(ttl=3600, max_entries=1024, show_spinner=False)
def _cached_run(name: str, path: str, version: int, params: dict[str, Any]) -> pd.DataFrame:
    return db.run(connection(path), name, **params)


# --- the data version, read once per script run ------------------------------------------------------------

# one {path: data version} per script run, keyed by an object Streamlit makes anew for every run: a run's
# memo goes when the run's marker does
_versions: weakref.WeakKeyDictionary[Any, dict[str, int]] = weakref.WeakKeyDictionary()
_versions_lock = threading.Lock()


def _run_marker() -> Any | None:
    """An object that is new on every Streamlit script run (a whole page or one fragment), or None outside
    one: Streamlit makes a new fragment coordinator each time it resets a session's context for a run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "parallel_coordinator", None)


def data_version(path: str, con: db.Connection) -> int:
    """The data version of the file at ``path``: read from the database once per script run (a page makes
    a dozen queries: one read, not a dozen), directly outside Streamlit. clear() after a write drops what
    was read, so the next query of the same run sees the write."""
    marker = _run_marker()
    if marker is None:
        return db.data_version(con)
    with _versions_lock:
        known = _versions.get(marker, {}).get(path)
    if known is not None:
        return known
    version = db.data_version(con)
    with _versions_lock:
        _versions.setdefault(marker, {})[path] = version
    return version


def query(name: str, /, **params: Any) -> pd.DataFrame:
    """Run a named query through the cache. The database file and its data version are part of the
    key, so a load or a retract is visible at once; ``clear()`` after a write frees the stale entries too.
    A parameter the query does not take raises TypeError (db.check_parameters), cached or not."""
    db.check_parameters(name, params)
    path, con = _current()
    return _cached_run(name, path, data_version(path, con), _plain(params)).copy()


def clear() -> None:
    """Call after every write (upload, retract, alias change): stale results and data versions are dropped."""
    with _versions_lock:
        _versions.clear()
    _cached_run.clear()
