"""The global filters in the sidebar, bound to the URL so a copied link restores the view (a permalink).

Streamlit's ``bind="query-params"`` keeps each widget and its URL parameter in step, and silently drops
URL values it cannot use. We check the raw URL first so the reader is told what was ignored and why.
The "Link to this view" box is built from the widgets' values (see ``bound``), drawn after the page ran.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import cache, ui, url_state
from dashboard.filters import Filters
from dashboard.page_models.common import describe as describe  # re-exported: pages call sidebar.describe
from dashboard.ui import md_escape, source_labels
from dashboard.url_state import current as current  # re-exported: pages call sidebar.current
from dashboard.url_state import permalink, remember, url_values

# URL parameter names (also the widget keys)
PERIOD, REGION, GROUP, PLATFORM, SOURCE = "period", "region", "group", "platform", "source"
EVENT_TYPE = "event_type"
FILTER_KEYS = (PERIOD, REGION, GROUP, EVENT_TYPE, PLATFORM, SOURCE)


@dataclass(frozen=True)
class FilterOptions:
    """What the sidebar offers: known values only, so a URL can never smuggle in anything else."""

    first_date: dt.date
    last_date: dt.date
    regions: tuple[str, ...]
    groups: tuple[str, ...]
    platforms: tuple[str, ...]
    sources: dict[str, int]  # event dataset label (its name, made unique) -> dataset id
    event_types: tuple[str, ...] = ()  # of active event datasets ('Unknown' for events without one)

    def facet(self, key: str) -> tuple[str, ...]:
        return {REGION: self.regions, GROUP: self.groups, PLATFORM: self.platforms, EVENT_TYPE: self.event_types,
                SOURCE: tuple(self.sources)}[key]


def load_options() -> FilterOptions:
    """Read the choices from the database (through the cache)."""
    values = cache.query("filter_options")
    period = cache.query("data_period").iloc[0]
    sources = cache.query("event_sources")
    first = _as_date(period["first_date"]) or dt.date(1989, 1, 1)
    last = _as_date(period["last_date"]) or dt.date.today()

    def facet(name: str) -> tuple[str, ...]:
        return tuple(values.loc[values["facet"] == name, "value"].astype(str))

    return FilterOptions(
        first_date=first, last_date=last, regions=facet("region"), groups=facet("group"),
        platforms=facet("platform"), sources=source_labels(sources["source"], sources["dataset_id"]),
        event_types=facet("event_type"),
    )


def chosen_sources(filters: Filters, options: FilterOptions) -> list[tuple[str, int]]:
    """The event datasets the charts show, as (label, dataset id): the chosen ones, else every active one."""
    labels = filters.extra.get("sources") or tuple(options.sources)
    return [(label, options.sources[label]) for label in labels if label in options.sources]


def _as_date(value: Any) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def url_notices(raw: Mapping[str, list[str]], options: FilterOptions) -> list[str]:
    """Messages for URL values that the filters cannot use (they are then ignored). Pure. The values
    are Markdown-escaped: a link can carry any text, and it must show as text."""
    notices = []
    period = raw.get(PERIOD) or []
    if period:
        parsed = [_parse_date(v) for v in period]
        dates = [d for d in parsed if d is not None]
        if len(period) > 2 or len(dates) < len(parsed):
            notices.append(f"period '{md_escape(' to '.join(period))}' is not a date range (YYYY-MM-DD)")
        elif any(not options.first_date <= d <= options.last_date for d in dates):
            notices.append(f"period {md_escape(' to '.join(period))} lies outside the data "
                           f"({options.first_date} to {options.last_date})")
        elif len(dates) == 2 and dates[0] > dates[1]:
            notices.append(f"period {md_escape(' to '.join(period))} ends before it starts")
    for key, label in ((REGION, "region"), (GROUP, "group"), (EVENT_TYPE, "event type"), (PLATFORM, "platform"),
                       (SOURCE, "data source")):
        unknown = [v for v in raw.get(key) or [] if v and v not in options.facet(key)]
        if unknown:
            shown = ", ".join(f"'{md_escape(v)}'" for v in unknown)
            notices.append(f"unknown {label}{'s' if len(unknown) > 1 else ''}: {shown}")
    return notices


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def raw_query_params(keys: Iterable[str]) -> dict[str, list[str]]:
    """Every value of each URL parameter as the browser sent it (repeated parameters kept)."""
    return {k: st.query_params.get_all(k) for k in keys if k in st.query_params}


def bound(widget: Callable[..., Any], label: str, *args: Any, key: str, url_default: Any, **kwargs: Any) -> Any:
    """Draw a widget bound to the URL parameter ``key`` and remember its value for the permalink
    (``url_default`` is the widget's default value: Streamlit leaves it out of the URL).

    Streamlit refreshes ``st.query_params`` only on page changes, while the browser's URL follows every
    widget at once: so the link is built from the widgets' values, not from ``st.query_params``."""
    value = widget(label, *args, key=key, bind="query-params", **kwargs)
    remember(key, url_values(value, url_default))
    return value


def render() -> Filters:
    """Draw the filters, tell the reader about ignored URL values, and return the chosen Filters."""
    url_state.reset()
    options = load_options()
    notices = url_notices(raw_query_params(FILTER_KEYS), options)
    whole_period = (options.first_date, options.last_date)
    with st.sidebar:
        st.header("Filters", divider="gray")
        period = bound(
            st.date_input, "Period", key=PERIOD, url_default=whole_period, value=whole_period,
            min_value=options.first_date, max_value=options.last_date, format="YYYY-MM-DD",
            help="Dates of events, reporting periods and complaint submissions.",
        )
        regions = bound(st.multiselect, "Regions", options.regions, key=REGION, url_default=[], placeholder="All regions",
                        help="Khyber Pakhtunkhwa includes ex-FATA, as the 2023 census and the map count it.")
        groups = bound(st.multiselect, "Groups", options.groups, key=GROUP, url_default=[], placeholder="All groups")
        event_types = bound(st.multiselect, "Event types", options.event_types, key=EVENT_TYPE, url_default=[],
                            placeholder="All event types",
                            help="The type of each event as its source names it (UCDP type of violence, ACLED "
                                 "event type): narrows every chart of event data, the maps included.")
        platforms = bound(st.multiselect, "Platforms", options.platforms, key=PLATFORM, url_default=[],
                          placeholder="All platforms")
        sources = bound(
            st.multiselect, "Event data source", list(options.sources), key=SOURCE, url_default=[],
            placeholder="All event datasets, side by side",
            help="Event datasets count different things: charts show one source, or several side by side, "
                 "never a sum.",
        )
    for notice in notices:
        # the notice quotes the URL's own text: escaped, so a crafted link cannot inject links or images
        st.warning(f"Ignored from the link: {md_escape(notice)}. The rest of the view is as linked.",
                   icon=":material/link_off:")
    date_from, date_to = _period_bounds(period, options)
    filters = Filters(
        date_from=date_from, date_to=date_to, regions=tuple(regions), groups=tuple(groups),
        platforms=tuple(platforms), event_types=tuple(event_types),
        dataset_ids=tuple(options.sources[s] for s in sources),
        extra={"sources": tuple(sources)},
    )
    url_state.set_current(filters)
    return filters


def _period_bounds(period: object, options: FilterOptions) -> tuple[dt.date, dt.date]:
    """The date input returns one date while a range is being picked: fill the open end from the data."""
    given = list(period) if isinstance(period, (tuple, list)) else [period]
    values = [v for v in given if isinstance(v, dt.date)]
    start = values[0] if values else options.first_date
    end = values[1] if len(values) > 1 else options.last_date
    return start, end


def link_box() -> None:
    """The permalink of this view with a copy button. Call it after the page ran, so the page's own
    controls (measure, deadline, a clicked province) are part of the link."""
    state = {k: v for k, v in url_state.recorded().items() if v}
    st.divider()
    st.markdown("**Link to this view**")
    ui.link_field(permalink(st.context.url, state), follow_url=True)  # follows section reruns (fragments)
    st.caption("Opening it restores these filters, the page's controls and any selection on its charts.")
