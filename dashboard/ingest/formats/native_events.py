"""The observatory's events template: one incident (or an aggregate of incidents) a row.

Columns (README, "Uploading data"): event_id, event_date, date_precision, country, region, district,
location, latitude, longitude, group, event_type, sub_event_type, events, killed, injured.
"""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.formats import Format, lower_columns
from dashboard.ingest.model import Parsed, Problem

COLUMNS = ("event_id", "event_date", "date_precision", "country", "region", "district", "location", "latitude",
           "longitude", "group", "event_type", "sub_event_type", "events", "killed", "injured")
REQUIRED = frozenset({"event_date", "region", "group", "killed"})
PRECISIONS = {"day", "week", "month", "year"}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d %B %Y")


def parse(frame: pd.DataFrame) -> Parsed:
    frame = lower_columns(frame)
    problems: list[Problem] = []
    has = {c: c in frame for c in COLUMNS}

    def text(column: str, **options):
        return v.text(frame, column, problems, **options) if has[column] else None

    def count(column: str, minimum: int = 0):
        if not has[column]:
            return pd.Series(pd.NA, index=frame.index, dtype="Int64")
        return v.number(frame, column, problems, minimum=minimum, integer=True)

    if has["event_id"]:
        v.duplicates(frame, "event_id", problems)
    precision = (v.choice(frame, "date_precision", PRECISIONS, problems, required=False)
                 if has["date_precision"] else None)
    out = pd.DataFrame({
        "source_event_id": text("event_id", max_length=64),
        "source_updated_at": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
        "event_date": v.date(frame, "event_date", problems, formats=DATE_FORMATS),
        "date_precision": precision.fillna("day") if precision is not None else "day",
        "country": text("country"),
        "region_raw": text("region"),
        "district": text("district"),
        "location": text("location"),
        "latitude": v.number(frame, "latitude", problems, minimum=-90, maximum=90) if has["latitude"] else None,
        "longitude": v.number(frame, "longitude", problems, minimum=-180, maximum=180) if has["longitude"] else None,
        "group_raw": text("group"),
        "event_type": text("event_type"),
        "sub_event_type": text("sub_event_type"),
        "events": count("events", minimum=1).fillna(1),
        "killed": count("killed"),
        "injured": count("injured"),
    })
    return FORMAT.result(frame, out, problems)


FORMAT = Format(
    name="native_events",
    label="Observatory template: events",
    kind="events",
    detect=lambda columns: REQUIRED <= {c.strip().lower() for c in columns},
    parse=parse,
    required=REQUIRED,
    columns=frozenset(COLUMNS),
)
