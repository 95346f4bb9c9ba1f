"""Small pure computations on already-aggregated series: change between two values, indexing, lagged
correlation. Inputs are a few dozen rows that the named queries aggregated; nothing here sees events."""

from __future__ import annotations

import math

import pandas as pd

MIN_PERIODS = 6  # fewer overlapping periods than this and a correlation means nothing


def change(previous: float | None, current: float | None) -> float | None:
    """Relative change (0.5 = +50%); None when either value is missing or the base is zero."""
    if previous is None or current is None or pd.isna(previous) or pd.isna(current) or previous == 0:
        return None
    return (current - previous) / previous


def format_change(value: float | None) -> str:
    """'+112.6%', '-3.0%' or 'n/a'."""
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:+.1%}"


def latest_two(frame: pd.DataFrame, period: str, value: str) -> tuple[pd.Series, pd.Series] | None:
    """The last two rows by ``period`` (latest, previous), or None when there are fewer than two."""
    ordered = frame.dropna(subset=[value]).sort_values(period)
    if len(ordered) < 2:
        return None
    return ordered.iloc[-1], ordered.iloc[-2]


def common_window(left: pd.Series, right: pd.Series) -> pd.Index:
    """The periods where both series have a value."""
    return left.dropna().index.intersection(right.dropna().index).sort_values()


def indexed(series: pd.Series, window: pd.Index) -> pd.Series:
    """The series divided by its mean over ``window``, times 100 (so two units can share an axis)."""
    base = series.reindex(window).mean()
    if not base or pd.isna(base):
        return series * float("nan")
    return series / base * 100


def lagged_correlation(violence: pd.Series, online: pd.Series, lags: range = range(-4, 5),
                       freq: str = "QS") -> pd.DataFrame:
    """Pearson r between violence at t and the online series at t + lag, per lag. Both are indexed by
    period starts of ``freq`` (quarters by default). Positive lags: the online series follows violence.
    Lags with fewer than MIN_PERIODS overlapping periods get r = NaN."""
    if violence.dropna().empty or online.dropna().empty:
        return pd.DataFrame({"lag": list(lags), "r": float("nan"), "n": 0})
    start = min(violence.index.min(), online.index.min())
    end = max(violence.index.max(), online.index.max())
    periods = pd.date_range(start, end, freq=freq)
    left = violence.reindex(periods).reset_index(drop=True)
    right = online.reindex(periods).reset_index(drop=True)
    rows = []
    for lag in lags:
        pair = pd.concat([left, right.shift(-lag)], axis=1).dropna()  # online at t+lag beside violence at t
        r = pair.iloc[:, 0].corr(pair.iloc[:, 1]) if len(pair) >= MIN_PERIODS else float("nan")
        rows.append({"lag": lag, "r": r, "n": len(pair)})
    return pd.DataFrame(rows)


def complete_periods(frame: pd.DataFrame, period: str, counts: list[str], freq: str = "MS") -> pd.DataFrame:
    """Add the missing periods between the first and the last with zero counts: a month without
    events is a zero, not a gap for a line to jump over. Other columns are carried from the first row."""
    if frame.empty:
        return frame
    dates = pd.to_datetime(frame[period])
    every = pd.date_range(dates.min(), dates.max(), freq=freq)
    filled = frame.assign(**{period: dates}).set_index(period).reindex(every)
    filled[counts] = filled[counts].fillna(0)
    for column in filled.columns.difference(counts):
        filled[column] = filled[column].fillna(frame[column].iloc[0])
    return filled.rename_axis(period).reset_index()
