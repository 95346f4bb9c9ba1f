"""What changed: the latest month's, quarter's and year's notable changes in every series, published or uploaded.

Pure: ``gather_series`` reads aggregated series through a query function (cache.query on a page, db.run
in tests) and ``notable_changes`` compares each series' latest period with the one just before it. A
change is notable when it moves by at least the threshold (25% by default) and either value reaches the
minimum count, so that 3 -> 5 is not news. Lower bounds ("over 800") are never compared: a bound is not
a count. Sources stay apart: each series is one source's numbers, compared only with themselves.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.filters import Filters
from dashboard.frames import records

Query = Callable[..., pd.DataFrame]

STEP = {"month": pd.DateOffset(months=1), "quarter": pd.DateOffset(months=3), "year": pd.DateOffset(years=1)}
PUBLISHED_MONTHLY = ("attacks", "deaths", "injured")
PUBLISHED_ANNUAL = ("attacks", "deaths", "injured", "fatalities", "incidents")
SERIES_COLUMNS = ["series", "source", "grain", "period", "period_label", "value", "value_kind", "citation_url",
                  "synthetic"]
CHANGE_COLUMNS = ["series", "source", "grain", "period", "period_label", "previous_label", "previous", "value",
                  "change", "citation_url", "synthetic"]


@dataclass(frozen=True)
class ChangeRule:
    """When a change is news: |change| >= threshold and the larger value >= min_count."""

    threshold: float = 0.25
    min_count: float = 10


def period_label(period: pd.Timestamp, grain: str) -> str:
    """'Mar 2025', '2025Q1' or '2025'."""
    if grain == "month":
        return f"{period:%b %Y}"
    if grain == "quarter":
        return f"{period.year}Q{period.quarter}"
    return str(period.year)


def notable_changes(series: pd.DataFrame, rule: ChangeRule = ChangeRule()) -> pd.DataFrame:
    """For each series and grain, the latest period against the period just before it (a gap means no
    comparison), kept when the change passes ``rule``. Newest first, then the largest moves."""
    rows = []
    for (name, source, grain), part in series.groupby(["series", "source", "grain"], sort=False):
        grain = str(grain)
        ordered = part.sort_values("period")
        if len(ordered) < 2:
            continue
        latest, previous = ordered.iloc[-1], ordered.iloc[-2]
        if pd.Timestamp(previous["period"]) + STEP[grain] != pd.Timestamp(latest["period"]):
            continue
        if "lower_bound" in (latest["value_kind"], previous["value_kind"]):
            continue
        before, now = float(previous["value"]), float(latest["value"])
        if max(before, now) < rule.min_count:
            continue
        change = (now - before) / before if before else math.inf
        if abs(change) < rule.threshold:
            continue
        rows.append({
            "series": name, "source": source, "grain": grain, "period": latest["period"],
            "period_label": latest["period_label"], "previous_label": previous["period_label"],
            "previous": before, "value": now, "change": change, "citation_url": latest["citation_url"],
            "synthetic": bool(latest["synthetic"]),
        })
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    if out.empty:
        return out
    out["size"] = out["change"].abs()
    return out.sort_values(["period", "size"], ascending=[False, False]).drop(columns="size").reset_index(drop=True)


def describe_change(row: pd.Series) -> str:
    """'rose 45.0% (62 → 90), Feb 2025 against Jan 2025' (plain text)."""
    if math.isinf(row["change"]):
        moved = f"rose from 0 to {row['value']:,.0f}"
    else:
        verb = "rose" if row["change"] > 0 else "fell"
        moved = f"{verb} {abs(row['change']):.1%} ({row['previous']:,.0f} → {row['value']:,.0f})"
    return f"{moved}, {row['period_label']} against {row['previous_label']}"


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=SERIES_COLUMNS) if rows else pd.DataFrame(columns=SERIES_COLUMNS)


def published_series(query: Query, filters: Filters) -> pd.DataFrame:
    """Published figures as series: national months per source and metric, national and provincial years."""
    params = filters.params()
    rows: list[dict[str, Any]] = []
    monthly = query("published_monthly", metrics=list(PUBLISHED_MONTHLY), **params)
    for r in records(monthly):
        rows.append({"series": f"{r.metric.capitalize()} per month, Pakistan (published)", "source": r.source,
                     "grain": "month", "period": pd.Timestamp(r.month), "period_label": r.period_label,
                     "value": r.value, "value_kind": r.value_kind, "citation_url": r.citation_url,
                     "synthetic": False})
    for metric in PUBLISHED_ANNUAL:
        annual = query("published_figures_annual", metric=metric, region="", **params)
        for r in records(annual):
            rows.append({"series": f"{metric.capitalize()} per year, Pakistan (published)", "source": r.source,
                         "grain": "year", "period": pd.Timestamp(int(r.year), 1, 1), "period_label": str(r.year),
                         "value": r.value, "value_kind": r.value_kind, "citation_url": r.citation_url,
                         "synthetic": False})
        regional = query("published_regions", metric=metric, **params)
        for r in records(regional):
            rows.append({"series": f"{metric.capitalize()} per year, {r.area} (published)", "source": r.source,
                         "grain": "year", "period": pd.Timestamp(int(r.year), 1, 1), "period_label": str(r.year),
                         "value": r.value, "value_kind": r.value_kind, "citation_url": r.citation_url,
                         "synthetic": False})
    return _frame(rows)


def complete(frame: pd.DataFrame, period: str, coverage_end: pd.Timestamp | None, grain: str) -> pd.DataFrame:
    """Drop a last period the dataset covers only in part (a file ending on the 12th is no fall in that month)."""
    if frame.empty or coverage_end is None or pd.isna(coverage_end):
        return frame
    last = pd.Timestamp(frame[period].max())
    if pd.Timestamp(coverage_end) < last + STEP[grain] - pd.Timedelta(days=1):
        return frame[pd.to_datetime(frame[period]) < last]
    return frame


def dataset_series(query: Query, filters: Filters, catalog: pd.DataFrame) -> pd.DataFrame:
    """Every active event dataset's events and deaths per month and year, and every complaint log's
    complaints per quarter, each series one dataset (uploads included)."""
    params = filters.params()
    active = catalog[catalog["status"] == "active"].set_index("dataset_id")
    rows: list[dict[str, Any]] = []
    months = query("incidents_by_month", **params)
    years = query("incidents_by_year", **params)
    for dataset_id, part in months.groupby("dataset_id"):
        if dataset_id not in active.index:
            continue
        info = active.loc[dataset_id]
        end: Any = info["coverage_end"]
        for grain, frame, column in (("month", part, "month"),
                                     ("year", years[years["dataset_id"] == dataset_id], "year")):
            frame = frame.assign(period=pd.to_datetime(frame[column].astype(str) + "-01-01")
                                 if column == "year" else pd.to_datetime(frame[column]))
            frame = complete(frame, "period", end, grain)
            for measure, noun in (("events", "Events"), ("killed", "Deaths")):
                for r in records(frame):
                    rows.append({"series": f"{noun} per {grain} ({info['name']})", "source": info["name"],
                                 "grain": grain, "period": r.period, "period_label": period_label(r.period, grain),
                                 "value": getattr(r, measure), "value_kind": "exact", "citation_url": "",
                                 "synthetic": bool(info["is_synthetic"])})
    complaints = query("complaints_by_quarter", **params)
    for dataset_id, part in complaints.groupby("dataset_id"):
        if dataset_id not in active.index:
            continue
        info = active.loc[dataset_id]
        end = info["coverage_end"]
        part = complete(part.assign(period=pd.to_datetime(part["quarter"])), "period", end, "quarter")
        for r in records(part):
            rows.append({"series": f"Complaints per quarter ({info['name']})", "source": info["name"],
                         "grain": "quarter", "period": r.period, "period_label": period_label(r.period, "quarter"),
                         "value": r.complaints, "value_kind": "exact", "citation_url": "",
                         "synthetic": bool(info["is_synthetic"])})
    return _frame(rows)


def gather(query: Query, filters: Filters, catalog: pd.DataFrame, rule: ChangeRule = ChangeRule()) -> pd.DataFrame:
    """The notable changes of every series the data holds under these filters."""
    series = pd.concat([published_series(query, filters), dataset_series(query, filters, catalog)],
                       ignore_index=True)
    return notable_changes(series, rule)


def flags(frame: pd.DataFrame, *, period: str, value: str, source: str, rule: ChangeRule) -> pd.DataFrame:
    """One monthly series (``period``, ``value``) of one source as chart flags (month, value, label): its
    latest month when that change is notable under ``rule``, as "What changed" lists it."""
    if frame.empty:
        return pd.DataFrame(columns=["month", "source", "value", "label"])
    months = pd.to_datetime(frame[period])
    series = pd.DataFrame({"series": value, "source": source, "grain": "month", "period": months,
                           "period_label": months.dt.strftime("%b %Y"), "value": frame[value].astype(float),
                           "value_kind": frame.get("value_kind", "exact"),
                           "citation_url": "", "synthetic": False})
    found = notable_changes(series, rule)
    return pd.DataFrame({"month": found["period"], "source": found["source"], "value": found["value"],
                         "label": found["change"].map(lambda c: "new" if math.isinf(c) else f"{c:+.0%}")})
