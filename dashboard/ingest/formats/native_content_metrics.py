"""The observatory's content-metrics template: one platform figure for one period a row.

Columns (README, "Uploading data"): FIELDS below, in order; unit is count or fraction.
"""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.formats import Field, Format, Template, lower_columns
from dashboard.ingest.model import Parsed, Problem
from dashboard.ingest.periods import quarter_label

FIELDS = (
    Field("platform", "text", required=True, example="TikTok"),
    Field("policy_area", "text", required=True, example="Violent extremism"),
    Field("metric", "text", required=True, example="Videos removed"),
    Field("breakdown", "text", example=""),
    Field("period_start", "date", required=True, example="2024-01-01"),
    Field("period_end", "date", required=True, example="2024-03-31"),
    Field("period_label", example="2024Q1"),
    Field("market", "text", example="Pakistan"),
    Field("value", "number", required=True, example="12000"),
    Field("unit", required=True, example="count"),
)
COLUMNS = tuple(f.name for f in FIELDS)
REQUIRED = frozenset(f.name for f in FIELDS if f.required)


def default_label(start: pd.Series, end: pd.Series) -> pd.Series:
    """'2024Q1' for a calendar quarter, '2024-01' for a month, else 'start to end'."""
    quarter = (start.dt.is_quarter_start & (end == start + pd.offsets.QuarterEnd(0)))
    month = (start.dt.is_month_start & (end == start + pd.offsets.MonthEnd(0)))
    label = start.dt.strftime("%Y-%m-%d") + " to " + end.dt.strftime("%Y-%m-%d")
    label = label.where(start != end, start.dt.strftime("%Y-%m-%d"))
    label = label.where(~month, start.dt.strftime("%Y-%m"))
    return label.where(~quarter, start.map(lambda s: quarter_label(s) if pd.notna(s) else None))


def parse(frame: pd.DataFrame) -> Parsed:
    frame = lower_columns(frame)
    problems: list[Problem] = []
    start = v.date(frame, "period_start", problems)
    end = v.date(frame, "period_end", problems)
    backwards = start.notna() & end.notna() & (end < start)
    v.report(frame, backwards, "period_end", "is before period_start", problems)
    unit = v.choice(frame, "unit", {"count", "fraction"}, problems)
    value = v.number(frame, "value", problems, required=True, minimum=0)
    above_one = (unit == "fraction") & value.notna() & (value > 1)
    v.report(frame, above_one, "value", "is a fraction above 1 (write 0.95, not 95)", problems)
    label = v.text(frame, "period_label", problems) if "period_label" in frame else None
    defaults = default_label(start, end)
    out = pd.DataFrame({
        "platform": v.text(frame, "platform", problems, required=True),
        "policy_area": v.text(frame, "policy_area", problems, required=True),
        "metric": v.text(frame, "metric", problems, required=True),
        "breakdown": v.text(frame, "breakdown", problems) if "breakdown" in frame else None,
        "period_start": start,
        "period_end": end,
        "period_label": label.fillna(defaults) if label is not None else defaults,
        "market": v.text(frame, "market", problems).fillna("Global") if "market" in frame else "Global",
        "value": value,
        "unit": unit,
    })
    return FORMAT.result(frame, out, problems)


FORMAT = Format(
    name="native_content_metrics",
    label="Observatory template: content metrics",
    kind="content_metrics",
    detect=lambda columns: {c.strip().lower() for c in columns} >= REQUIRED,
    parse=parse,
    required=REQUIRED,
    columns=frozenset(COLUMNS),
)
TEMPLATE = Template(FORMAT, "Content metrics template", FIELDS)
