"""The observatory's complaints template: one regulator-to-platform escalation a row."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.formats import Field, Format, Template, has_columns
from dashboard.ingest.model import Parsed, Problem

FIELDS = (
    Field("complaint_id", required=True, example="EX-C-0001"),
    Field("platform", "text", required=True, example="Facebook"),
    Field("category", "text", required=True, example="Terrorist propaganda"),
    Field("group", "text", example="Tehrik-i-Taliban Pakistan"),
    Field("region", "text", example="Punjab"),
    Field("submitted_at", "date", required=True, example="2024-03-01 10:00:00"),
    Field("resolved_at", "date", example="2024-03-02 09:30:00"),
    Field("outcome", required=True, example="removed"),
    Field("items", "count", example="1"),
)
REQUIRED = frozenset(f.name for f in FIELDS if f.required)
OUTCOMES = {"removed", "geo_blocked", "rejected", "pending"}
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "iso8601", "%Y-%m-%d")


def parse(frame: pd.DataFrame) -> Parsed:
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns if c != v.ROW})
    problems: list[Problem] = []
    v.duplicates(frame, "complaint_id", problems)
    submitted = v.date(frame, "submitted_at", problems, formats=TIMESTAMP_FORMATS, timestamps=True)
    resolved = (v.date(frame, "resolved_at", problems, required=False, formats=TIMESTAMP_FORMATS,
                       timestamps=True) if "resolved_at" in frame else pd.Series(pd.NaT, index=frame.index))
    outcome = v.choice(frame, "outcome", OUTCOMES, problems)
    before = resolved.notna() & submitted.notna() & (resolved < submitted)
    for row, value in frame.loc[before, [v.ROW, "resolved_at"]].itertuples(index=False):
        problems.append(Problem(int(row), "resolved_at", value, "is before submitted_at"))
    open_but_resolved = (outcome == "pending") & resolved.notna()
    for row, value in frame.loc[open_but_resolved, [v.ROW, "resolved_at"]].itertuples(index=False):
        problems.append(Problem(int(row), "resolved_at", value, "is set but the outcome is pending"))
    closed_unresolved = outcome.notna() & (outcome != "pending") & resolved.isna()
    for row in frame.loc[closed_unresolved, v.ROW]:
        problems.append(Problem(int(row), "resolved_at", "", "is empty but the outcome is not pending"))
    out = pd.DataFrame({
        "complaint_id": v.text(frame, "complaint_id", problems, required=True),
        "platform": v.text(frame, "platform", problems, required=True),
        "category": v.text(frame, "category", problems, required=True),
        "group_name": v.text(frame, "group", problems) if "group" in frame else None,
        "region": v.text(frame, "region", problems) if "region" in frame else None,
        "submitted_at": submitted,
        "resolved_at": resolved,
        "outcome": outcome,
        "items": (v.number(frame, "items", problems, minimum=1, integer=True).fillna(1)
                  if "items" in frame else 1),
    })
    return FORMAT.result(frame, out, problems)


FORMAT = Format(
    name="native_complaints",
    label="Observatory template: complaints log",
    kind="complaints",
    detect=lambda columns: has_columns(columns, REQUIRED),
    parse=parse,
    required=REQUIRED,
)
TEMPLATE = Template(FORMAT, "Complaints template", FIELDS)
