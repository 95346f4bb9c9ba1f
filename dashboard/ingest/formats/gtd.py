"""Global Terrorism Database (START) data file: the full 135 columns or any subset with the key ones.

Dates come as iyear / imonth / iday, where a month or day of 0 means unknown: the event is dated to
the first of the month (precision "month") or of the year (precision "year"). -9 and -99 are GTD's
"unknown" codes and load as missing. ``gname`` "Unknown" means no group was identified: no group.
GTD's terms forbid redistribution: only users' own copies are read.

Subsets without ``eventid`` are recognised by iyear / imonth / iday alone. Their ids are derived the way
GTD builds its own, year, month and day (00 when unknown) and a 4-digit number counting the file's
events of that date in file order, prefixed ``derived-`` so they are never taken for GTD's real ids:
``derived-201501030002`` is the file's second event dated 3 January 2015. The same file gives the same ids.
"""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.formats import Format, lower_columns
from dashboard.ingest.model import Parsed, Problem

REQUIRED = frozenset({"iyear", "imonth", "iday"})
OPTIONAL = frozenset({"eventid", "country_txt", "provstate", "city", "latitude", "longitude", "gname", "attacktype1_txt",
                      "targtype1_txt", "nkill", "nwound"})
UNKNOWN = ("-9", "-99", "-9.0", "-99.0")


def event_dates(frame: pd.DataFrame, problems: list[Problem]) -> tuple[pd.Series, pd.Series]:
    """(date, precision) from iyear/imonth/iday, with 0 for an unknown month or day."""
    year = v.number(frame, "iyear", problems, required=True, minimum=1970, integer=True)
    month = v.number(frame, "imonth", problems, required=True, minimum=0, maximum=12, integer=True)
    day = v.number(frame, "iday", problems, required=True, minimum=0, maximum=31, integer=True)
    known_month, known_day = month.fillna(0) > 0, day.fillna(0) > 0
    parts = pd.DataFrame({"year": year, "month": month.where(known_month, 1), "day": day.where(known_day & known_month, 1)})
    dates = pd.to_datetime(parts.astype("float64"), errors="coerce")
    impossible = parts.notna().all(axis=1) & dates.isna()  # 31 February
    v.report(frame.assign(iday=frame["iyear"] + "-" + frame["imonth"] + "-" + frame["iday"]), impossible, "iday",
              "is not a day of that month (iyear-imonth-iday)", problems)
    today = pd.Timestamp.today().normalize()
    future = dates > today
    v.report(frame, future, "iyear", f"is in the future (after {today.date().isoformat()})", problems)
    precision = pd.Series("day", index=frame.index).where(known_day, "month").where(known_month, "year")
    return dates.where(~future), precision


def derived_ids(frame: pd.DataFrame) -> pd.Series:
    """'derived-' + yyyymmdd (00 for unknown parts) + the event's number among the file's events of that date."""
    def part(column: str, width: int) -> pd.Series:
        digits = frame[column].astype("str").str.strip().str.replace(r"\.0$", "", regex=True)
        return digits.where(digits.str.fullmatch(r"\d+").fillna(False), "0").str.zfill(width).str[-width:]

    day = part("iyear", 4) + part("imonth", 2) + part("iday", 2)
    number = day.groupby(day).cumcount() + 1
    return "derived-" + day + number.astype("str").str.zfill(4)


def parse(frame: pd.DataFrame) -> Parsed:
    frame = lower_columns(frame)
    problems: list[Problem] = []
    has = {c: c in frame for c in OPTIONAL}
    if has["eventid"]:
        v.duplicates(frame, "eventid", problems)

    def text(column: str):
        return v.text(frame, column, problems) if has[column] else None

    def count(column: str):
        if not has[column]:
            return pd.Series(pd.NA, index=frame.index, dtype="Int64")
        return v.number(frame, column, problems, minimum=0, integer=True, missing_values=UNKNOWN)

    group = text("gname")
    dates, precision = event_dates(frame, problems)
    out = pd.DataFrame({
        "source_event_id": (v.text(frame, "eventid", problems, required=True, max_length=64) if has["eventid"]
                            else derived_ids(frame)),
        "source_updated_at": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
        "event_date": dates,
        "date_precision": precision,
        "country": text("country_txt"),
        "region_raw": text("provstate"),
        "district": None,
        "location": text("city"),
        "latitude": (v.number(frame, "latitude", problems, minimum=-90, maximum=90)
                     if has["latitude"] else None),
        "longitude": (v.number(frame, "longitude", problems, minimum=-180, maximum=180)
                      if has["longitude"] else None),
        "group_raw": group.where(group.str.casefold() != "unknown", None) if group is not None else None,
        "event_type": text("attacktype1_txt"),
        "sub_event_type": text("targtype1_txt"),
        "events": 1,
        "killed": count("nkill"),
        "injured": count("nwound"),
    })
    return FORMAT.result(frame, out, problems)


FORMAT = Format(
    name="gtd",
    label="Global Terrorism Database (START)",
    kind="events",
    detect=lambda columns: {c.strip().lower() for c in columns} >= REQUIRED,
    parse=parse,
    required=REQUIRED,
    columns=REQUIRED | OPTIONAL,
    source="GTD (START)",
    licence="GTD terms of use (no redistribution); the analyst's own copy",
)
