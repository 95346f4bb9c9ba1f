"""TikTok Community Guidelines Enforcement report, raw data CSV (UTF-8 with BOM, rates as fractions)."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.formats import Format, has_columns
from dashboard.ingest.model import Parsed, Problem
from dashboard.ingest.periods import quarter_columns

REQUIRED = {"metric", "period", "issue policy", "location", "market", "result"}
_RATE_WORDS = ("rate", "share", "percentage")


def parse(frame: pd.DataFrame) -> Parsed:
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns if c != v.ROW})
    problems: list[Problem] = []
    metric = v.text(frame, "metric", problems, required=True)
    periods = quarter_columns(frame["period"].astype("str"))
    for row, label in frame.loc[periods["period_start"].isna(), [v.ROW, "period"]].itertuples(index=False):
        problems.append(Problem(int(row), "period", label, "is not a quarter like Jul-Sep 2023"))
    policy = frame["issue policy"].astype("str").str.strip()
    location = frame["location"].astype("str").str.strip().str.lower()
    market = frame["market"].astype("str").str.strip()
    task_type = frame.get("task type", pd.Series("all", index=frame.index)).astype("str").str.strip()
    task = frame.get("task", pd.Series("all", index=frame.index)).astype("str").str.strip()
    is_rate = metric.fillna("").str.lower().str.contains("|".join(_RATE_WORDS))
    out = pd.DataFrame({
        "platform": "TikTok",
        "policy_area": policy.where(policy.str.lower() != "all", "All policies"),
        "metric": metric,
        # Moderation-task and turnaround-time rows are breakdowns of a metric, not totals.
        "breakdown": (task_type + ": " + task).where(task_type.str.lower() != "all", None),
        **{c: periods[c] for c in periods.columns},
        "market": market.where(location == "market", ("Language: " + market).where(location == "language", "Global")),
        "value": v.number(frame, "result", problems, required=True, minimum=0),
        "unit": is_rate.map({True: "fraction", False: "count"}),
    })
    return FORMAT.result(frame, out, problems)


FORMAT = Format(
    name="tiktok_cge",
    label="TikTok Community Guidelines Enforcement report (CSV)",
    kind="content_metrics",
    detect=lambda columns: has_columns(columns, REQUIRED),
    parse=parse,
    required=frozenset(REQUIRED),
    source="TikTok CGE",
    licence="Data (c) TikTok, published in the TikTok Transparency Center",
)
