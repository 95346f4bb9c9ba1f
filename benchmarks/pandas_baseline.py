"""What most Streamlit dashboards do: hold the table in a DataFrame, filter with masks, groupby.

Each function computes the same result as the named query of the same name, from frames loaded once
(``load_frames``). The benchmark times these against our query layer on the same data and filters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from dashboard import db


def load_frames(con: db.Connection) -> dict[str, pd.DataFrame]:
    """The whole incidents and complaints tables as DataFrames, joined to what filters need."""
    incidents = db.run(con, "bench/incidents_frame")
    incidents["event_date"] = pd.to_datetime(incidents["event_date"])
    return {"incidents": incidents, "complaints": db.run(con, "bench/complaints_frame"),
            "regions": db.run(con, "reference_regions")}


def _incidents(frames: dict[str, pd.DataFrame], params: dict[str, Any]) -> pd.DataFrame:
    df, p = frames["incidents"], params["filters"]
    mask = (df["status"] == "active") & df["event_date"].between(pd.Timestamp(p["date_from"]), pd.Timestamp(p["date_to"]))
    if p["dataset_ids"]:
        mask &= df["dataset_id"].isin(p["dataset_ids"])
    if p["regions"]:
        mask &= df["region"].isin(p["regions"]) | df["parent_region"].isin(p["regions"])
    if p["groups"]:
        mask &= df["group_name"].isin(p["groups"])
    if p["event_types"]:
        mask &= df["event_type"].fillna("Unknown").isin(p["event_types"])
    return df[mask]


def _complaints(frames: dict[str, pd.DataFrame], params: dict[str, Any]) -> pd.DataFrame:
    df, p = frames["complaints"], params["filters"]
    day = df["submitted_at"].dt.normalize()
    mask = (df["status"] == "active") & day.between(pd.Timestamp(p["date_from"]), pd.Timestamp(p["date_to"]))
    if p["regions"]:
        mask &= df["region"].isin(p["regions"]) | df["parent_region"].isin(p["regions"])
    if p["groups"]:
        mask &= df["group_name"].isin(p["groups"])
    if p["platforms"]:
        mask &= df["platform"].isin(p["platforms"])
    return df[mask]


def _sum(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.groupby(keys, dropna=False)[["events", "killed"]].sum().reset_index()


def by_year(f, p):
    df = _incidents(f, p)
    return _sum(df.assign(year=df["event_date"].dt.year), ["dataset_id", "source", "year"])


def by_month(f, p):
    df = _incidents(f, p)
    return _sum(df.assign(month=df["event_date"].dt.to_period("M")), ["dataset_id", "source", "month"])


def by_region(f, p):
    df = _incidents(f, p)
    out = _sum(df.assign(region=df["region"].fillna("Unknown")), ["dataset_id", "source", "region"])
    out = out.merge(f["regions"][["region", "population"]], on="region", how="left")
    out["events_per_million"] = out["events"] / out["population"] * 1e6
    return out


def by_map_region(f, p):
    df = _incidents(f, p)
    out = _sum(df.dropna(subset=["rollup_region"]), ["dataset_id", "source", "rollup_region"])
    out = out.merge(f["regions"], left_on="rollup_region", right_on="region", how="right")
    out["events_per_million"] = out["events"].fillna(0) / out["population"] * 1e6
    return out


def by_group(f, p):
    return _sum(_incidents(f, p), ["dataset_id", "source", "group_name"])


def by_group_year(f, p):
    df = _incidents(f, p)
    df = df.assign(year=df["event_date"].dt.year)
    top = df.groupby("group_name")["events"].sum().nlargest(p["top_n"]).index
    df = df.assign(group_name=df["group_name"].where(df["group_name"].isin(top), "Other groups"))
    return _sum(df, ["dataset_id", "source", "year", "group_name"])


def by_event_type(f, p):
    return _sum(_incidents(f, p), ["dataset_id", "source", "event_type"])


def by_district(f, p):
    return _sum(_incidents(f, p), ["dataset_id", "source", "region", "district"])


def events(f, p):
    return _incidents(f, p).sort_values(["event_date", "source_event_id"], ascending=[False, True]).head(p["limit"])


def totals(f, p):
    return _incidents(f, p).groupby(["dataset_id", "source"]).agg(
        rows=("events", "size"), events=("events", "sum"), killed=("killed", "sum"),
        first_event=("event_date", "min"), last_event=("event_date", "max")).reset_index()


def complaints_by_dimension(f, p):
    df = _complaints(f, p)
    if p["dimension"] == "all":
        df = df.assign(all_complaints="All complaints")
    column = {"platform": "platform", "category": "category", "group": "group_name", "region": "region",
              "all": "all_complaints"}[p["dimension"]]
    hours = (df["resolved_at"] - df["submitted_at"]).dt.total_seconds() / 3600
    decided = df["outcome"] != "pending"
    df = df.assign(hours=hours.where(decided), complied=df["outcome"].isin(["removed", "geo_blocked"]), decided=decided,
                   breach=hours.where(decided) > p["deadline_hours"])
    out = df.groupby(column, dropna=False).agg(
        complaints=("outcome", "size"), complied=("complied", "sum"), decided=("decided", "sum"),
        median_hours=("hours", "median"), p90_hours=("hours", lambda h: h.quantile(0.9)),
        deadline_breaches=("breach", "sum"))
    out["compliance_rate"] = out["complied"] / out["decided"]
    return out.reset_index()


def complaints_by_month(f, p):
    df = _complaints(f, p)
    df = df.assign(month=df["submitted_at"].dt.to_period("M"), complied=df["outcome"].isin(["removed", "geo_blocked"]))
    return df.groupby(["month", "platform"]).agg(complaints=("outcome", "size"), complied=("complied", "sum")).reset_index()


def complaints_by_quarter(f, p):
    df = _complaints(f, p)
    df = df.assign(quarter=df["submitted_at"].dt.to_period("Q"), complied=df["outcome"].isin(["removed", "geo_blocked"]))
    return df.groupby("quarter").agg(complaints=("outcome", "size"), complied=("complied", "sum")).reset_index()


# named query -> the pandas computation of the same result
BASELINE: dict[str, Callable[[dict[str, pd.DataFrame], dict[str, Any]], pd.DataFrame]] = {
    "incidents_by_year": by_year,
    "incidents_by_month": by_month,
    "incidents_by_region": by_region,
    "incidents_by_map_region": by_map_region,
    "incidents_by_group": by_group,
    "incidents_by_group_year": by_group_year,
    "incidents_by_event_type": by_event_type,
    "incidents_by_district": by_district,
    "incident_events": events,
    "incidents_totals": totals,
    "complaints_by_dimension": complaints_by_dimension,
    "complaints_by_month": complaints_by_month,
    "complaints_by_quarter": complaints_by_quarter,
}
