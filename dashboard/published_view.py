"""The published-series cards the Violence and Overview pages share, drawn: the monthly national trend per source
(with how each source counts), provinces and groups for the latest year. What to show is worked out in
page_models/published_cards.py."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, changes, ui
from dashboard.filters import Filters
from dashboard.page_models import published_cards


def monthly_trend(filters: Filters, measure_label: str, *, key: str, rule: changes.ChangeRule | None = None) -> None:
    """Monthly national figures per source, side by side; the latest notable change of each marked."""
    trend = published_cards.monthly_trend(cache.query, filters, measure_label, key=key, rule=rule)
    ui.show(trend.chart)
    definitions_note(trend.definitions)


def provinces(filters: Filters, measure_label: str, *, per_million: bool, key: str, year: int | None = None) -> None:
    """Each source's figure per province for the latest year with figures from two or more sources (or ``year``)."""
    ui.show(published_cards.provinces(cache.query, filters, measure_label, per_million=per_million, key=key,
                                      year=year))


def groups(filters: Filters, measure_label: str, *, key: str) -> None:
    """Attacks or deaths each source attributes to each armed group, latest year with figures."""
    ui.show(published_cards.groups(cache.query, filters, measure_label, key=key))


def definitions_note(pairs: list[tuple[str, str]]) -> None:
    """How each source defines what it counts: the reason their numbers differ."""
    if not pairs:
        return
    with st.expander("How each source counts"):
        for source, definition in pairs:
            st.markdown(f"- **{ui.md_escape(source)}**: {ui.md_escape(definition)}")
