"""Streamlit caches: one database connection per process, query results keyed by the data version."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import db
from dashboard.warehouse import ensure_database


@st.cache_resource(show_spinner="Preparing the database (first start builds it from the shipped data)…")
def connection() -> db.Connection:
    """The process-wide connection; every query runs on its own cursor (DuckDB 2 needs that)."""
    return db.connect(ensure_database(db.db_path()))


def _freeze(value: Any) -> Any:
    """Hashable form of a parameter (lists become tuples) for the cache key."""
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


@st.cache_data(ttl=3600, max_entries=1024, show_spinner=False)
def _cached_run(name: str, version: int, frozen: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    params = {key: list(value) if isinstance(value, tuple) else value for key, value in frozen}
    return db.run(connection(), name, **params)


def query(name: str, /, **params: Any) -> pd.DataFrame:
    """Run a named query through the cache. The data version is part of the key, so a load or a
    retract is visible at once; ``clear()`` after a write frees the stale entries too."""
    wanted = db.query_parameters(name)
    frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items() if k in wanted))
    return _cached_run(name, db.data_version(connection()), frozen).copy()


def clear() -> None:
    """Call after every write (upload, retract, alias change)."""
    _cached_run.clear()
