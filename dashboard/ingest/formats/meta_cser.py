"""Meta Community Standards Enforcement Report, long machine-readable CSV (app, policy_area, metric, period, value)."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.formats import Format, has_columns
from dashboard.ingest.model import Parsed, Problem
from dashboard.ingest.periods import quarter_columns

REQUIRED = {"app", "policy_area", "metric", "period", "value"}


_RANGE = r"^\s*([\d.,]+)%\s*-\s*([\d.,]+)%\s*$"


def split_ranges(frame: pd.DataFrame) -> pd.DataFrame:
    """A range such as '4%-5%' (fake-account prevalence) becomes a lower and an upper row."""
    parts = frame["value"].astype("str").str.extract(_RANGE)
    is_range = parts[0].notna()
    if not is_range.any():
        return frame
    ranged = frame[is_range]
    lower = ranged.assign(value=parts.loc[is_range, 0] + "%", metric=ranged["metric"] + " (lower bound)")
    upper = ranged.assign(value=parts.loc[is_range, 1] + "%", metric=ranged["metric"] + " (upper bound)")
    return pd.concat([frame[~is_range], lower, upper], ignore_index=True)


def parse(frame: pd.DataFrame) -> Parsed:
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns if c != v.ROW})
    rows_read = len(frame)
    frame = split_ranges(frame)
    problems: list[Problem] = []
    raw_value = frame["value"].astype("str").str.strip()
    # "N/A" means Meta did not report the metric that quarter: no row, not a zero.
    frame = frame[~raw_value.str.upper().isin({"N/A", "NA", ""})]
    raw_value = raw_value.loc[frame.index]
    is_rate = raw_value.str.endswith("%")
    values = v.number(frame.assign(value=raw_value.str.rstrip("%")), "value", problems, minimum=0)
    periods = quarter_columns(frame["period"].astype("str"))
    unreadable = periods["period_start"].isna()
    for row, label in frame.loc[unreadable, [v.ROW, "period"]].itertuples(index=False):
        problems.append(Problem(int(row), "period", label, "is not a quarter like 2023Q3"))
    out = pd.DataFrame({
        "platform": v.text(frame, "app", problems, required=True),
        "policy_area": v.text(frame, "policy_area", problems, required=True),
        "metric": v.text(frame, "metric", problems, required=True),
        "breakdown": None,
        **{c: periods[c] for c in periods.columns},
        "market": "Global",
        "value": values.where(~is_rate, values / 100),
        "unit": is_rate.map({True: "fraction", False: "count"}),
    })
    return FORMAT.result(frame, out, problems, rows_read)


FORMAT = Format(
    name="meta_cser",
    label="Meta Community Standards Enforcement Report (CSV)",
    kind="content_metrics",
    detect=lambda columns: has_columns(columns, REQUIRED),
    parse=parse,
    required=frozenset(REQUIRED),
    source="Meta CSER",
    licence="Data (c) Meta Platforms, published in the Meta Transparency Center",
)
