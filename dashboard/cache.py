"""Streamlit caches: one database connection per database file, query results keyed by file and data version."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

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
    _cached_run.clear()


def _current() -> tuple[str, db.Connection]:
    path = str(db.db_path())
    return path, connection(path)


def _freeze(value: Any) -> Any:
    """Hashable form of a parameter (lists become tuples) for the cache key."""
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


@st.cache_data(ttl=3600, max_entries=1024, show_spinner=False)
def _cached_run(name: str, path: str, version: int, frozen: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    params = {key: list(value) if isinstance(value, tuple) else value for key, value in frozen}
    return db.run(connection(path), name, **params)


def query(name: str, /, **params: Any) -> pd.DataFrame:
    """Run a named query through the cache. The database file and its data version are part of the
    key, so a load or a retract is visible at once; ``clear()`` after a write frees the stale entries too."""
    wanted = db.query_parameters(name)
    frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items() if k in wanted))
    path, con = _current()
    return _cached_run(name, path, db.data_version(con), frozen).copy()


def clear() -> None:
    """Call after every write (upload, retract, alias change)."""
    _cached_run.clear()
