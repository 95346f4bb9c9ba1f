"""The charts of the current view: every chart card drawn in this session, for the briefing page.

``ui.chart_card`` hands each chart it draws to ``collect`` (figure, numbers, title/filters/source); the
router names the page being run (``begin_page``). The briefing offers the charts drawn under the filters
now in force: a chart drawn under other filters would not match the briefing's filters line, so it waits
until its page is opened again. Kept per session, newest draw of a chart key wins, at most MAX_KEPT.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import url_state
from dashboard.charts import ChartText
from dashboard.filters import Filters

MAX_KEPT = 40
_CHARTS = "_observatory_view_charts"
_PAGE = "_observatory_view_page"
_counter = itertools.count()


@dataclass(frozen=True)
class DrawnChart:
    key: str
    figure: go.Figure
    table: pd.DataFrame
    text: ChartText
    page: str
    page_url: str | None
    # the page's URL state (filters, controls, selections). The sidebar fills this dict while the page
    # runs, so by the time a briefing reads it, it holds the controls drawn after this chart too.
    url_state: Mapping[str, list[str]]
    filters: Filters
    order: int

    @property
    def label(self) -> str:
        """How the briefing's picker names it: 'Violence · Deaths by province'."""
        return f"{self.page} · {self.text.title}" if self.page else self.text.title

    @property
    def link(self) -> str:
        """The permalink that reopens this chart's page as it was drawn."""
        return url_state.permalink(self.page_url, {k: v for k, v in self.url_state.items() if v})


_UNFINISHED = "_observatory_unfinished_pages"


_PAGES = "_observatory_pages"


def begin_page(title: str, page: object | None = None) -> None:
    """Called by the router before the page runs: charts drawn now belong to this page. The page counts as
    unfinished until ``end_page``: a reader who leaves it early stops its run before its last charts.
    ``page`` (the st.Page) lets the Briefing page link back to it."""
    st.session_state[_PAGE] = title
    st.session_state.setdefault(_UNFINISHED, set()).add(title)
    if page is not None:
        st.session_state.setdefault(_PAGES, {})[title] = page


def current_page() -> str:
    """The title of the page being run (for error reports)."""
    return str(st.session_state.get(_PAGE, ""))


def page_of(title: str) -> st.Page | None:
    """The st.Page of a page run in this session, by title (for links back to it)."""
    return st.session_state.get(_PAGES, {}).get(title)


def end_page(title: str) -> None:
    """Called by the router after the page ran to its end: every chart it draws has been collected."""
    st.session_state.setdefault(_UNFINISHED, set()).discard(title)


def unfinished_pages() -> list[str]:
    """Pages left before they finished drawing (their later charts were never drawn, so never offered)."""
    current = st.session_state.get(_PAGE)
    return sorted(p for p in st.session_state.get(_UNFINISHED, set()) if p != current)


def collect(figure: go.Figure, table: pd.DataFrame, text: ChartText, key: str) -> None:
    """Remember a chart that was just drawn (called by ui.chart_card)."""
    kept: dict[str, DrawnChart] = st.session_state.setdefault(_CHARTS, {})
    kept.pop(key, None)
    kept[key] = DrawnChart(
        key=key, figure=figure, table=table, text=text, page=st.session_state.get(_PAGE, ""),
        page_url=st.context.url, url_state=_url_state(), filters=url_state.current(), order=next(_counter),
    )
    while len(kept) > MAX_KEPT:
        kept.pop(next(iter(kept)))


def _url_state() -> Mapping[str, list[str]]:
    # the record of this run's URL parameters (the sidebar starts a new dict on every run)
    return url_state.recorded()


def in_view(filters: Filters) -> list[DrawnChart]:
    """The charts drawn under ``filters``, in the order they were drawn; of one chart drawn again under a
    new key (a page that resets its charts' selection renames them), only the newest."""
    kept = st.session_state.get(_CHARTS, {}).values()
    newest: dict[str, DrawnChart] = {}
    for chart in sorted((c for c in kept if c.filters == filters), key=lambda c: c.order):
        newest.pop(chart.label, None)
        newest[chart.label] = chart
    return sorted(newest.values(), key=lambda c: c.order)


def current_keys(keys: list[str], charts: list[DrawnChart]) -> list[str]:
    """A saved choice of chart keys, each mapped to the key its chart has now (same label), in order,
    without repeats: a chart chosen once stays chosen when its page redraws it under a new key."""
    kept = st.session_state.get(_CHARTS, {})
    by_label = {c.label: c.key for c in charts}
    out: list[str] = []
    for key in keys:
        label = kept[key].label if key in kept else None
        now = key if key in {c.key for c in charts} else by_label.get(label) if label is not None else None
        if now is not None and now not in out:
            out.append(now)
    return out


def elsewhere(filters: Filters) -> int:
    """How many charts were drawn under other filters (the page says so, rather than hide them silently)."""
    return sum(1 for c in st.session_state.get(_CHARTS, {}).values() if c.filters != filters)


def current_link() -> str:
    """The permalink of the page now running (what the sidebar's link box shows)."""
    return url_state.permalink(st.context.url, {k: v for k, v in _url_state().items() if v})
