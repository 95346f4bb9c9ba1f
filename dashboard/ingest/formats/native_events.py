"""The observatory's events template: one incident (or an aggregate of incidents) a row.

Columns (README, "Uploading data"): event_id, event_date, date_precision, country, region, district,
location, latitude, longitude, group, event_type, sub_event_type, events, killed, injured.
"""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import dates as dates_module
from dashboard.ingest import validate as v
from dashboard.ingest.formats import Format, lower_columns
from dashboard.ingest.model import Parsed, Problem

COLUMNS = ("event_id", "event_date", "date_precision", "country", "region", "district", "location", "latitude",
           "longitude", "group", "event_type", "sub_event_type", "events", "killed", "injured")
# A file whose header holds these is taken for the template without a mapping step.
DETECT = frozenset({"event_date", "region", "group", "killed"})
# What a mapped file must provide: a date (or a year column, see DATE_PARTS). Every other column is
# optional: no group means no group identified, no region an unknown place, no count one event.
REQUIRED = frozenset({"event_date"})
# "Date from columns": the mapping step may build the date from year, month and day columns instead.
DATE_PARTS = ("year", "month", "day")
MAPPABLE = COLUMNS + DATE_PARTS
PRECISIONS = {"day", "week", "month", "year"}


def parse(frame: pd.DataFrame, date_order: str = "auto") -> Parsed:
    """Rows of the template; ``date_order`` is the mapping step's d/m choice (see dashboard.ingest.dates)."""
    frame = lower_columns(frame)
    problems: list[Problem] = []
    has = {c: c in frame for c in MAPPABLE}

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
    if has["event_date"] or not has["year"]:
        dates, parsed_precision = dates_module.check(frame, "event_date", problems, order=date_order)
    else:
        dates, parsed_precision = dates_module.from_parts(frame, "year", "month" if has["month"] else None,
                                                          "day" if has["day"] else None, problems)
    out = pd.DataFrame({
        "source_event_id": text("event_id", max_length=64),
        "source_updated_at": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
        "event_date": dates,
        "date_precision": (precision.fillna(parsed_precision) if precision is not None
                           else parsed_precision).fillna("day"),
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
    detect=lambda columns: {c.strip().lower() for c in columns} >= DETECT,
    parse=parse,
    required=DETECT,  # for recognising a header; a mapping needs only REQUIRED
    essential=REQUIRED | frozenset(DATE_PARTS),
    columns=frozenset(MAPPABLE),
)
