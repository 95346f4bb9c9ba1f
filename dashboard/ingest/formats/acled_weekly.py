"""ACLED aggregated data, one row per week, admin1 area and event type, with event and fatality counts.

Columns: week, region, country, admin1, disorder_type, event_type, sub_event_type, events, fatalities,
population_best, centroid_longitude, centroid_latitude. ``region`` is ACLED's world region
("South Asia"); the province is ``admin1``. Rows load as aggregated incidents (``events`` > 1) dated
to the week's first day with precision "week"; they have no actor, so no group.
"""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.dates import check as date_check
from dashboard.ingest.formats import Format, lower_columns
from dashboard.ingest.model import Parsed, Problem

REQUIRED = frozenset({"week", "country", "admin1", "event_type", "events", "fatalities"})
OPTIONAL = frozenset({"sub_event_type", "centroid_longitude", "centroid_latitude"})
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d-%B-%Y")


def parse(frame: pd.DataFrame) -> Parsed:
    frame = lower_columns(frame)
    problems: list[Problem] = []
    keys = frame[["week", "country", "admin1", "event_type"] +
                 (["sub_event_type"] if "sub_event_type" in frame else [])]
    repeated = keys.duplicated(keep="first")
    v.report(frame, repeated, "week", "repeats a week, country, admin1 and event type already given in an "
                                       "earlier row", problems)
    has = {c: c in frame for c in OPTIONAL}
    out = pd.DataFrame({
        "source_event_id": None,
        "source_updated_at": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
        "event_date": date_check(frame, "week", problems)[0],
        "date_precision": "week",
        "country": v.text(frame, "country", problems, required=True),
        "region_raw": v.text(frame, "admin1", problems),
        "district": None,
        "location": None,
        "latitude": (v.number(frame, "centroid_latitude", problems, minimum=-90, maximum=90)
                     if has["centroid_latitude"] else None),
        "longitude": (v.number(frame, "centroid_longitude", problems, minimum=-180, maximum=180)
                      if has["centroid_longitude"] else None),
        "group_raw": None,
        "event_type": v.text(frame, "event_type", problems, required=True),
        "sub_event_type": v.text(frame, "sub_event_type", problems) if has["sub_event_type"] else None,
        "events": v.number(frame, "events", problems, required=True, minimum=0, integer=True),
        "killed": v.number(frame, "fatalities", problems, required=True, minimum=0, integer=True),
        "injured": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
    })
    return FORMAT.result(frame, out, problems)


FORMAT = Format(
    name="acled_weekly",
    label="ACLED aggregated data (weekly)",
    kind="events",
    detect=lambda columns: {c.strip().lower() for c in columns} >= REQUIRED,
    parse=parse,
    required=REQUIRED,
    columns=REQUIRED | OPTIONAL,
    source="ACLED (aggregated)",
    licence="ACLED terms of use (no redistribution); the analyst's own export",
)
