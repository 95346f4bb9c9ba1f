"""What the Online content page shows of the EU statements of reasons: pure functions over the rows of
queries/dsa_statements_by_day.sql (platform, day, breakdown, statements), no Streamlit."""

from __future__ import annotations

import pandas as pd

AREAS = {  # page choice -> policy areas of the aggregate (empty: every category)
    "Terrorist content (keyword)": ["Terrorist content (keyword)"],
    "Risk for public security (category)": ["Risk for public security"],
    "All categories": [],
}
TOP_PLATFORMS = 8
METRIC = "Statements of reasons"
FULLY_AUTOMATED = "Automated decision: Fully"


def top_platforms(totals: pd.DataFrame, n: int = TOP_PLATFORMS) -> list[str]:
    """The platforms with the most statements in the period, largest first (ties by name)."""
    if totals.empty:
        return []
    sums = totals.groupby("platform")["statements"].sum().reset_index()
    return sums.sort_values(["statements", "platform"], ascending=[False, True]).head(n)["platform"].tolist()


def daily(totals: pd.DataFrame, platforms: list[str]) -> pd.DataFrame:
    """Statements per platform and day, for the chosen platforms."""
    frame = totals[totals["platform"].isin(platforms)]
    return frame[["platform", "day", "statements"]].sort_values(["platform", "day"]).reset_index(drop=True)


def automated_share(totals: pd.DataFrame, decisions: pd.DataFrame, platforms: list[str]) -> pd.DataFrame:
    """Share of statements decided fully automatically, per platform and day (the DSA's automated_decision
    field: fully, partially or not automated)."""
    fully = decisions[decisions["breakdown"] == FULLY_AUTOMATED][["platform", "day", "statements"]]
    merged = totals[totals["platform"].isin(platforms)][["platform", "day", "statements"]].merge(
        fully.rename(columns={"statements": "fully"}), on=["platform", "day"], how="left")
    merged["fully"] = merged["fully"].fillna(0)
    merged["share"] = merged["fully"] / merged["statements"]
    return merged.sort_values(["platform", "day"]).reset_index(drop=True)


def breakdown_shares(totals: pd.DataFrame, parts: pd.DataFrame, platforms: list[str], prefix: str) -> pd.DataFrame:
    """Per platform over the whole period: each breakdown value's statements and their share of the
    platform's statements (visibility decisions can add up to more than 100%: a statement can carry several)."""
    base = totals[totals["platform"].isin(platforms)].groupby("platform")["statements"].sum()
    counted = parts[parts["platform"].isin(platforms)].groupby(["platform", "breakdown"])["statements"].sum()
    frame = counted.reset_index()
    frame["value"] = frame["breakdown"].str.removeprefix(prefix)
    frame["share"] = frame["statements"] / frame["platform"].map(base)
    order = {name: i for i, name in enumerate(platforms)}
    frame["rank"] = frame["platform"].map(order)
    return frame.sort_values(["rank", "share"], ascending=[True, False]).drop(columns="rank").reset_index(drop=True)
