"""Reporting periods as sources write them -> (start, end) dates."""

from __future__ import annotations

import re

import pandas as pd

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def quarter_bounds(label: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """'2023Q3' (Meta) or 'Jul-Sep 2023' (TikTok) -> first and last day; None if unreadable."""
    text = str(label).strip()
    match = re.fullmatch(r"(\d{4})\s*-?\s*Q([1-4])", text, flags=re.I)
    if match:
        year, quarter = int(match.group(1)), int(match.group(2))
        first_month = 3 * quarter - 2
    else:
        match = re.fullmatch(r"([A-Za-z]{3})\s*-\s*([A-Za-z]{3})\s+(\d{4})", text)
        if not match:
            return None
        start, end = _MONTHS.get(match.group(1).lower()), _MONTHS.get(match.group(2).lower())
        if start is None or end is None or end != start + 2 or start % 3 != 1:
            return None
        year, first_month = int(match.group(3)), start
    begin = pd.Timestamp(year=year, month=first_month, day=1)
    return begin, begin + pd.offsets.QuarterEnd(0)


def quarter_label(start: pd.Timestamp) -> str:
    """One label for a quarter whatever the source wrote: '2023Q3'."""
    return f"{start.year}Q{(start.month - 1) // 3 + 1}"


def quarter_columns(labels: pd.Series) -> pd.DataFrame:
    """period_start, period_end and period_label for a column of quarter labels (NaT if unreadable)."""
    distinct = {label: quarter_bounds(label) for label in labels.dropna().unique()}

    def bound(label: object, which: int) -> pd.Timestamp | None:
        found = distinct.get(label)
        return found[which] if found else None

    start = pd.to_datetime(labels.map(lambda x: bound(x, 0)))
    return pd.DataFrame({
        "period_start": start,
        "period_end": pd.to_datetime(labels.map(lambda x: bound(x, 1))),
        "period_label": start.map(lambda s: quarter_label(s) if pd.notna(s) else None),
    })
