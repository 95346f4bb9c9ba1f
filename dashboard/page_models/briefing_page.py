"""Briefing: up to six charts of the current view, a title, a note and findings written from the data. What the
briefing holds is worked out in briefing.py; this module picks the charts, says what is not offered and lays out
the preview. No Streamlit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pandas as pd

from dashboard import briefing
from dashboard.briefing import MAX_CHARTS, BriefingChart
from dashboard.charts import ChartText
from dashboard.filters import Filters
from dashboard.page_models.common import Query, describe

TITLE = "Briefing"
DEFAULT_TITLE = "Militancy and online content: briefing"
PAGES_WITH_CHARTS = "Overview, Violence, Online content, Links, Sources"


class Drawn(Protocol):
    """A chart drawn in this session (view_charts.DrawnChart)."""

    @property
    def key(self) -> str: ...
    @property
    def figure(self) -> object: ...
    @property
    def text(self) -> ChartText: ...
    @property
    def page(self) -> str: ...
    @property
    def link(self) -> str: ...


def default_keys(drawn: Sequence[Drawn]) -> list[str]:
    """What a new briefing holds: the first six charts drawn under these filters."""
    return [c.key for c in drawn[:MAX_CHARTS]]


def chosen(drawn: Sequence[Drawn], keys: Sequence[str]) -> list[BriefingChart]:
    """The charts picked, in the order picked; keys no chart has now are left out."""
    by_key = {c.key: c for c in drawn}
    return [BriefingChart(c.key, c.figure, c.text, c.page, c.link)
            for c in (by_key[k] for k in keys if k in by_key)]


def notices(unfinished: Sequence[str], elsewhere: int) -> list[str]:
    """Why charts the reader may expect are not offered (plain text)."""
    out = []
    if unfinished:
        out.append(f"Left before all its charts were drawn: {', '.join(unfinished)}. Open "
                   f"{'it' if len(unfinished) == 1 else 'them'} again until the charts are drawn to offer the rest "
                   "here.")
    if elsewhere:
        out.append(f"{elsewhere} chart{'s' if elsewhere > 1 else ''} drawn under other filters "
                   f"{'are' if elsewhere > 1 else 'is'} not offered: open their pages again to redraw them under "
                   "these.")
    return out


def make(query: Query, filters: Filters, catalog: pd.DataFrame, *, title: str, note: str,
         charts: Sequence[BriefingChart], data_version: int, fallback_link: str) -> briefing.Briefing:
    """The briefing: findings from the data, the charts picked, their sources, and the live view's link (the first
    chart's page, else this page)."""
    return briefing.make_briefing(
        title=title, note=note, filters_text=describe(filters, platforms=True, sources=True),
        findings=briefing.gather_findings(query, filters, catalog), charts=list(charts), catalog=catalog,
        data_version=data_version, permalink=charts[0].link if charts else fallback_link,
    )


def preview_rows(charts: Sequence[BriefingChart], *, present: bool) -> tuple[int, list[list[BriefingChart]]]:
    """The preview's columns and its rows of charts: two a row, three when presenting more than four."""
    columns = 3 if present and len(charts) > 4 else 2
    return columns, [list(charts[start:start + columns]) for start in range(0, len(charts), columns)]
