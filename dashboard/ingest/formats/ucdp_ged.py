"""UCDP Georeferenced Event Dataset (GED) CSV, with or without the HXL tag row (HDX copies have it)."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.formats import Format, has_columns
from dashboard.ingest.model import Parsed, Problem

REQUIRED = {"id", "type_of_violence", "side_a", "side_b", "adm_1", "date_start", "best"}

EVENT_TYPES = {"1": "State-based conflict", "2": "Non-state conflict", "3": "One-sided violence"}
# UCDP date_prec: 1 exact day, 2 within 2-6 days, 3 within a week, 4 within a month, 5 longer.
DATE_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}


def drop_hxl_row(frame: pd.DataFrame) -> pd.DataFrame:
    """HDX republications put '#date+year'-style tags in the first data row."""
    if len(frame) and frame.iloc[0].astype("str").str.startswith("#").any():
        return frame.iloc[1:]
    return frame


def acting_group(side_a: pd.Series, side_b: pd.Series) -> pd.Series:
    """The non-state actor of a dyad: side B when side A is a government (state-based conflict),
    else side A (non-state conflict, and one-sided violence where side B is 'Civilians')."""
    a_is_state = side_a.str.startswith("Government of")
    b_is_state = side_b.str.startswith("Government of")
    # Interstate dyads (India - Pakistan) have no non-state actor: keep side A, a state.
    return side_b.where(a_is_state & ~b_is_state, side_a)


def parse(frame: pd.DataFrame) -> Parsed:
    frame = drop_hxl_row(frame)
    frame.columns = [c if c == v.ROW else c.strip().lower() for c in frame.columns]
    problems: list[Problem] = []
    v.duplicates(frame, "id", problems)
    kind = v.choice(frame, "type_of_violence", set(EVENT_TYPES), problems)
    precision = frame["date_prec"].astype("str").str.strip() if "date_prec" in frame else None
    out = pd.DataFrame({
        "source_event_id": v.text(frame, "id", problems, required=True),
        "source_updated_at": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
        "event_date": v.date(frame, "date_start", problems,
                             formats=("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")),
        "date_precision": precision.map(DATE_PRECISION).fillna("day") if precision is not None else "day",
        "country": v.text(frame, "country", problems) if "country" in frame else "Pakistan",
        "region_raw": v.text(frame, "adm_1", problems),
        "district": v.text(frame, "adm_2", problems) if "adm_2" in frame else None,
        "location": v.text(frame, "where_coordinates", problems) if "where_coordinates" in frame else None,
        "latitude": v.number(frame, "latitude", problems, minimum=-90, maximum=90) if "latitude" in frame else None,
        "longitude": v.number(frame, "longitude", problems, minimum=-180, maximum=180) if "longitude" in frame else None,
        "group_raw": acting_group(v.text(frame, "side_a", problems, required=True).fillna(""),
                                  v.text(frame, "side_b", problems, required=True).fillna("")),
        "event_type": kind.map(EVENT_TYPES),
        "sub_event_type": v.text(frame, "dyad_name", problems) if "dyad_name" in frame else None,
        "events": 1,
        "killed": v.number(frame, "best", problems, required=True, minimum=0, integer=True),
        "injured": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
    })
    return FORMAT.result(frame, out, problems)


FORMAT = Format(
    name="ucdp_ged",
    label="UCDP Georeferenced Event Dataset (GED)",
    kind="events",
    detect=lambda columns: has_columns(columns, REQUIRED),
    parse=parse,
    required=frozenset(REQUIRED),
    source="UCDP",
    licence="CC BY 4.0",
)
