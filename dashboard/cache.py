"""Streamlit caches: one database connection per database file, query results keyed by file and data version."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import db
from dashboard.warehouse import ensure_database


@st.cache_resource(show_spinner="Preparing the database (first start builds it from the shipped data)…")
def connection(path: str | None = None) -> db.Connection:
    """The process-wide connection to one database file; every query runs on its own cursor (DuckDB 2
    needs that). Keyed by the path so a process that switches $OBSERVATORY_DB (tests do) never reads
    another file through a stale connection."""
    return db.connect(ensure_database(db.db_path() if path is None else path))


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
