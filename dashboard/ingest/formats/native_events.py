"""The observatory's events template: one incident (or an aggregate of incidents) a row.

Columns (README, "Uploading data"): FIELDS below, in order; year, month and day are for mappings only.
"""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import dates as dates_module
from dashboard.ingest import validate as v
from dashboard.ingest.formats import Field, Format, Template, lower_columns
from dashboard.ingest.model import Parsed, Problem

# Every other column of a mapping is optional: no group means no group identified, no region an unknown place,
# no count one event. "Date from columns": year, month and day may build the date instead of event_date.
FIELDS = (
    Field("event_id", example="EX-0001",
          synonyms=("id", "eventid", "event id cnty", "event id", "incident id")),
    Field("event_date", "date", required=True, example="2024-03-01",
          synonyms=("date", "event date", "incident date", "date start", "month", "week", "period")),
    Field("date_precision", example="day", synonyms=("precision", "time precision")),
    Field("country", "text", example="Pakistan", synonyms=("country txt", "nation")),
    Field("region", "text", example="Khyber Pakhtunkhwa",
          synonyms=("admin1", "province", "provstate", "state", "adm 1", "area")),
    Field("district", "text", example="Peshawar", synonyms=("admin2", "adm 2", "city district")),
    Field("location", "text", example="Example town", synonyms=("city", "town", "place", "village")),
    Field("latitude", "number", example="34.01", synonyms=("lat", "y"), bounds=(-90, 90)),
    Field("longitude", "number", example="71.58", synonyms=("lon", "long", "lng", "x"), bounds=(-180, 180)),
    Field("group", "text", example="Tehrik-i-Taliban Pakistan",
          synonyms=("actor1", "gname", "perpetrator", "perpetrator group", "side b", "organisation", "organization",
                    "outfit", "group name", "claimed by")),
    Field("event_type", "text", example="Armed attack",
          synonyms=("attack type", "attacktype1 txt", "type", "incident type")),
    Field("sub_event_type", "text", example="Attack on police", synonyms=("target type", "targtype1 txt", "subtype")),
    Field("events", "count", example="1", synonyms=("freq", "frequency", "count", "n", "incidents", "attacks",
                                                   "number of events", "number of attacks")),
    Field("killed", "count", example="2",
          synonyms=("fatalities", "deaths", "nkill", "dead", "killed", "best", "total killed")),
    Field("injured", "count", example="3", synonyms=("wounded", "nwound", "injuries", "total injured")),
    Field("year", "count", synonyms=("iyear", "yr"), bounds=(1900, 2100)),
    Field("month", "count", synonyms=("imonth", "mon"), bounds=(0, 12)),
    Field("day", "count", synonyms=("iday",), bounds=(0, 31)),
)
MAPPABLE = tuple(f.name for f in FIELDS)
# A file whose header holds these is taken for the template without a mapping step.
DETECT = frozenset({"event_date", "region", "group", "killed"})
REQUIRED = frozenset(f.name for f in FIELDS if f.required)
DATE_PARTS = ("year", "month", "day")
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
TEMPLATE = Template(FORMAT, "Events template", FIELDS, parse_dated=parse)
