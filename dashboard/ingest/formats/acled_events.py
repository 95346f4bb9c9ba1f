"""ACLED event export: the 31-column layout (since 2023-03-20) and the older one (event_id_no_cnty,
data_id, iso3; no disorder_type, civilian_targeting, tags), headers in upper or lower case, actor
types (inter1/inter2) as numeric codes or as text, and event dates in every style ACLED has used
(2015-01-31, 31-01-2015, 31 January 2015, 01-January-2015, 9-May-20, weekday prefixes, Excel serials;
see dashboard.ingest.dates).

ACLED is a living dataset: an event keeps its ``event_id_cnty`` and gets a newer ``timestamp`` when
ACLED revises it. Rows are loaded with both, and the loader shows the newest version of each event
(see load.refresh_living). ACLED's terms forbid redistribution: only users' own exports are read.
"""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.dates import check as date_check
from dashboard.ingest.formats import Format, lower_columns
from dashboard.ingest.model import Parsed, Problem
from dashboard.ingest.names import alias_key

REQUIRED = frozenset({"event_id_cnty", "event_date", "event_type", "actor1", "country", "admin1", "fatalities"})
OPTIONAL = frozenset({"time_precision", "sub_event_type", "inter1", "actor2", "inter2", "admin2", "location",
                      "latitude", "longitude", "timestamp"})
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d %B %Y")
# ACLED time_precision: 1 the day is known, 2 the week, 3 only the month.
DATE_PRECISION = {"1": "day", "2": "week", "3": "month"}

# ACLED actor types. Until 2024 exports carried the codes, since then the names.
ACTOR_TYPES = {
    "1": "State forces", "2": "Rebel group", "3": "Political militia", "4": "Identity militia",
    "5": "Rioters", "6": "Protesters", "7": "Civilians", "8": "External/Other forces",
}
_ACTOR_TYPE_KEYS = {alias_key(name): code for code, name in ACTOR_TYPES.items()} | {
    "rebel groups": "2", "political militias": "3", "identity militias": "4", "communal militia": "4",
    "communal identity militia": "4", "communal militias": "4", "external forces": "8", "other forces": "8",
    "external other forces": "8", "rioter": "5", "protester": "6", "civilian": "7", "state force": "1",
}
ARMED_NON_STATE = {"2", "3", "4"}


def actor_type(frame: pd.DataFrame, column: str, problems: list[Problem]) -> pd.Series:
    """inter1/inter2 as a code '1'..'8' whether the file wrote '3' or 'Political militia'; '' for none."""
    if column not in frame:
        return pd.Series("", index=frame.index, dtype="str")
    raw = frame[column].astype("str").str.strip()
    distinct = {value: _actor_code(value) for value in raw.unique()}
    codes = raw.map(distinct)
    wrong = codes.isna()
    v.report(frame, wrong, column, "is not an ACLED actor type (a code 1-8 or a name such as "
                                    "'State forces' or 'Political militia')", problems)
    return codes.fillna("")


def _actor_code(value: str) -> str | None:
    if value in ("", "0"):
        return ""  # no second actor
    number = value.removesuffix(".0")
    if number in ACTOR_TYPES:
        return number
    return _ACTOR_TYPE_KEYS.get(alias_key(value))


def acting_group(actor1: pd.Series, type1: pd.Series, actor2: pd.Series, type2: pd.Series) -> pd.Series:
    """The non-state armed actor of an event: actor 1 if it is a rebel group or militia, else actor 2
    if that one is; none when neither is (state forces shelling, protests, riots). Without actor types
    (blank inter1), actor 1."""
    first = type1.isin(ARMED_NON_STATE) | (type1 == "")
    second = ~first & type2.isin(ARMED_NON_STATE)
    return actor1.where(first, actor2.where(second, None))


def parse(frame: pd.DataFrame) -> Parsed:
    frame = lower_columns(frame)
    problems: list[Problem] = []
    v.duplicates(frame, "event_id_cnty", problems)
    optional = {c: c in frame for c in OPTIONAL}
    actor1 = v.text(frame, "actor1", problems, required=True)
    actor2 = v.text(frame, "actor2", problems) if optional["actor2"] else pd.Series(None, index=frame.index)
    precision = (v.choice(frame, "time_precision", set(DATE_PRECISION), problems, required=False)
                 if optional["time_precision"] else None)
    dates, parsed_precision = date_check(frame, "event_date", problems)
    out = pd.DataFrame({
        "source_event_id": v.text(frame, "event_id_cnty", problems, required=True, max_length=64),
        "source_updated_at": (v.number(frame, "timestamp", problems, minimum=0, integer=True, column_type="BIGINT")
                              if optional["timestamp"] else pd.Series(pd.NA, index=frame.index, dtype="Int64")),
        "event_date": dates,
        "date_precision": (precision.map(DATE_PRECISION).fillna(parsed_precision) if precision is not None
                           else parsed_precision).fillna("day"),
        "country": v.text(frame, "country", problems, required=True),
        "region_raw": v.text(frame, "admin1", problems),
        "district": v.text(frame, "admin2", problems) if optional["admin2"] else None,
        "location": v.text(frame, "location", problems) if optional["location"] else None,
        "latitude": (v.number(frame, "latitude", problems, minimum=-90, maximum=90)
                     if optional["latitude"] else None),
        "longitude": (v.number(frame, "longitude", problems, minimum=-180, maximum=180)
                      if optional["longitude"] else None),
        "group_raw": acting_group(actor1, actor_type(frame, "inter1", problems), actor2,
                                  actor_type(frame, "inter2", problems)),
        "event_type": v.text(frame, "event_type", problems, required=True),
        "sub_event_type": v.text(frame, "sub_event_type", problems) if optional["sub_event_type"] else None,
        "events": 1,
        "killed": v.number(frame, "fatalities", problems, required=True, minimum=0, integer=True),
        "injured": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
    })
    return FORMAT.result(frame, out, problems)


def _detect(columns: list[str]) -> bool:
    return {c.strip().lower() for c in columns} >= REQUIRED


FORMAT = Format(
    name="acled_events",
    label="ACLED event export",
    kind="events",
    detect=_detect,
    parse=parse,
    required=REQUIRED,
    columns=REQUIRED | OPTIONAL,
    source="ACLED",
    licence="ACLED terms of use (no redistribution); the analyst's own export",
    living="acled",
)
