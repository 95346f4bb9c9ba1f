"""Present-day violence from published reports: what the pages show of the published series (pure).

Event-level data for 2022 onwards (ACLED, GTD) cannot be shipped; Pakistan's research institutes publish
monthly and annual counts by province and group. These functions pick from the named queries' results
what a chart or a tile shows: the latest year a series covers, the source a tile leads with, the notes a
chart needs (definitions, lower bounds, population years). No Streamlit; sources are never added up.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.charts import value_marks

MEASURES = {"Attacks": "attacks", "Deaths": "deaths"}


@dataclass(frozen=True)
class LatestMonth:
    """A tile's figure: one source's number for the latest month it published."""

    source: str
    month: pd.Timestamp
    label: str
    value: float
    value_kind: str
    citation_url: str
    previous_label: str | None = None
    previous_value: float | None = None


def latest_year(frame: pd.DataFrame, *, min_sources: int = 1, min_groups: int = 1) -> int | None:
    """The newest year with figures from at least ``min_sources`` sources and about at least ``min_groups``
    groups (a year with one group's figure makes a poor ranking); else the newest year at all."""
    if frame.empty:
        return None
    years = frame.groupby("year")
    enough = years["source"].nunique() >= min_sources
    if min_groups > 1:
        enough &= years["group_name"].nunique() >= min_groups
    chosen = enough[enough].index if enough.any() else enough.index
    return int(chosen.max())


def lead_source(frame: pd.DataFrame, preferences: pd.DataFrame, metric: str) -> str | None:
    """The source a tile leads with: the one whose latest month is newest; ties go to the source the
    source_preferences table prefers for ``metric``, then by name."""
    if frame.empty:
        return None
    rank = preferences[preferences["metric"] == metric].set_index("source")["preference"]
    latest = frame.groupby("source")["month"].max().reset_index()
    latest["preference"] = latest["source"].map(rank).fillna(99)
    latest = latest.sort_values(["month", "preference", "source"], ascending=[False, True, True])
    return str(latest["source"].iloc[0])


def latest_month(frame: pd.DataFrame, source: str) -> LatestMonth | None:
    """One source's latest monthly figure, with the month before it when that month was published."""
    part = frame[frame["source"] == source].sort_values("month")
    if part.empty:
        return None
    last = part.iloc[-1]
    month = pd.Timestamp(last["month"])
    before = part[pd.to_datetime(part["month"]) == month - pd.DateOffset(months=1)]
    return LatestMonth(
        source=source, month=month, label=str(last["period_label"]), value=float(last["value"]),
        value_kind=str(last["value_kind"]), citation_url=str(last["citation_url"] or ""),
        previous_label=str(before["period_label"].iloc[0]) if not before.empty else None,
        previous_value=float(before["value"].iloc[0]) if not before.empty else None,
    )


def with_marks(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a ``mark`` column ('≥' lower bound, '≈' approximate) for bar labels and tables."""
    return frame.assign(mark=value_marks(frame["value_kind"]) if "value_kind" in frame else "")


def population_note(frame: pd.DataFrame) -> str:
    """Which population each rate divides by: '2023 census; Azad Jammu and Kashmir: 2017 census; ...'."""
    rated = frame.dropna(subset=["population"])
    if rated.empty:
        return ""
    years = rated.drop_duplicates("region").set_index("region")["population_year"]
    common = years.mode().iloc[0] if years.notna().any() else None
    odd = [f"{region}: {'year not stated' if pd.isna(year) else int(year)}" for region, year in years.items()
           if pd.isna(year) or year != common]
    head = f"population: {int(common)} census" if common is not None and not pd.isna(common) else "population"
    return head + ("; " + "; ".join(odd) if odd else "")


def definitions(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(source, definition) pairs, one per source, in source order."""
    if frame.empty:
        return []
    first = frame.dropna(subset=["definition"]).drop_duplicates("source").sort_values("source")
    return [(str(r.source), str(r.definition)) for r in first.itertuples()]


def source_line(sources: list[str], what: str = "as published") -> str:
    """Footnote text for published figures: 'PICSS and PIPS, as published (addresses in the table)'. Joined
    as words, not with '; ': the footnote wraps at semicolons, which left a lone name on a line."""
    names = sorted(dict.fromkeys(sources))
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{joined}, {what} (addresses in the table)"


def quarterly(frame: pd.DataFrame, source: str) -> pd.Series:
    """One source's monthly figures as quarterly totals, for quarters it published all three months of as
    exact numbers (a missing month or a lower bound would understate the quarter): indexed by quarter start."""
    part = frame[frame["source"] == source]
    if part.empty:
        return pd.Series(dtype=float)
    months = pd.to_datetime(part["month"])
    quarters = part.assign(quarter=months.dt.to_period("Q").dt.start_time, exact=part["value_kind"] == "exact")
    totals = quarters.groupby("quarter").agg(value=("value", "sum"), months=("value", "size"), exact=("exact", "all"))
    complete = totals[(totals["months"] == 3) & totals["exact"]]
    return complete["value"].astype(float)
