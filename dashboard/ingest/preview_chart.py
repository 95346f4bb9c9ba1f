"""The upload page's small charts: pure builders, (DataFrame) -> plotly Figure, no Streamlit."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def monthly_bars(counts: pd.DataFrame, *, title: str, y_label: str, x: str = "month", y: str = "rows") -> go.Figure:
    """Bars per month: what an upload would add, or what a loaded dataset holds."""
    figure = go.Figure(go.Bar(x=counts[x], y=counts[y], marker_color="#0072B2", name=y_label,
                              hovertemplate="%{x|%b %Y}: %{y:,}<extra></extra>"))
    figure.update_layout(title=title, height=280, margin=dict(l=40, r=10, t=40, b=30), template="plotly_white",
                         yaxis_title=y_label, xaxis_title=None, showlegend=False)
    return figure


GRAIN_FORMAT = {"month": "%b %Y", "day": "%d %b %Y"}


def period_bars(counts: pd.DataFrame, *, title: str, y_label: str, grain: str) -> go.Figure:
    """Bars per month or per day on a category axis of readable labels ("01 Jul 2025"): a date axis with
    one bar zooms to milliseconds and labels it "23:59:59.9996 Jun 30 2025"."""
    ordered = counts.sort_values("period")
    labels = pd.to_datetime(ordered["period"]).dt.strftime(GRAIN_FORMAT[grain])
    figure = go.Figure(go.Bar(x=labels, y=ordered["count"], marker_color="#0072B2", name=y_label,
                              hovertemplate="%{x}: %{y:,}<extra></extra>"))
    figure.update_layout(title=title, height=280, margin=dict(l=40, r=10, t=40, b=30), template="plotly_white",
                         yaxis_title=y_label, xaxis_title=None, showlegend=False)
    figure.update_xaxes(type="category")
    return figure
