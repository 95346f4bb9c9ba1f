"""This run's URL state: the filters the sidebar chose and the URL values of every bound widget and selection,
from which the permalink is built. Below the sidebar, the chart card and the briefing's chart store, so each
of them can read it without importing the others (no import cycle)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from dashboard.filters import Filters

FILTERS_STATE = "_observatory_filters"
URL_STATE = "_observatory_url_state"  # key -> URL values of this run's bound widgets and selections


def url_values(value: Any, default: Any = None) -> list[str]:
    """A widget value as Streamlit writes it in the URL: nothing for the default, repeated values for a
    list or a date range, ISO dates, lowercase booleans, whole numbers without '.0'. Pure."""
    if _same(value, default) or value is None:
        return []
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    out = []
    for v in values:
        if isinstance(v, bool):
            out.append(str(v).lower())
        elif isinstance(v, (dt.date, dt.datetime)):
            out.append(v.isoformat())
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v))
    return out


def _same(value: Any, default: Any) -> bool:
    if isinstance(value, (list, tuple)) and isinstance(default, (list, tuple)):
        return list(value) == list(default)
    return bool(value == default)


def permalink(base_url: str | None, params: Mapping[str, list[str]]) -> str:
    """The URL of this view: the page address plus every query parameter (repeated for lists). Pure."""
    pairs = [(k, v) for k, values in params.items() for v in values if v != ""]
    query = urlencode(pairs)
    return (base_url or "") + ("?" + query if query else "")


def reset() -> None:
    """Start this run's record of URL values (the sidebar calls it before drawing the filters)."""
    st.session_state[URL_STATE] = {}


def remember(key: str, values: list[str]) -> None:
    """Record a piece of URL state for the permalink (bound widgets do this through ``sidebar.bound``)."""
    st.session_state.setdefault(URL_STATE, {})[key] = values


def recorded() -> dict[str, list[str]]:
    """This run's URL values by key. The dict is filled while the page runs: a chart collected early sees the
    controls drawn after it too."""
    state: dict[str, list[str]] = st.session_state.get(URL_STATE, {})
    return state


def set_current(filters: Filters) -> None:
    """Remember the filters the sidebar drew on this run."""
    st.session_state[FILTERS_STATE] = filters


def current() -> Filters:
    """The filters the router drew on this run (pages call this; defaults if the sidebar was not drawn)."""
    filters: Filters = st.session_state.get(FILTERS_STATE, Filters())
    return filters
