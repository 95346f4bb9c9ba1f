"""Dates as real exports write them, with the precision each one carries.

One parser for every event format and the mapping step. It reads, per cell:

- ISO dates and timestamps: ``2015-01-31``, ``2015/01/31``, ``2015-01-31T10:00:00Z`` (the time is dropped);
- day-month-year and month-day-year with digits: ``31-01-2015``, ``31/01/15``, ``01/31/2015``;
- month names, full or short, in any order ACLED has used: ``31 January 2023``, ``01-January-2015``,
  ``9-May-20``, ``January 31, 2015``, ``Jan-15`` (a month);
- a weekday in front: ``Sunday-November 19-1995``, ``Sun, 19 Nov 1995``;
- Excel serial day numbers (``42005`` is 2015-01-01; 1900 date system);
- a month alone (``2015-03``, ``March 2015``, ``Mar-15``): precision ``month``, dated to the 1st;
- a year alone (``2015``): precision ``year``, dated to 1 January.

**The rule for ambiguous dates** (both numbers 12 or less, ``03/04/2015``): ``order="auto"`` reads them day
first (3 April 2015), as ACLED and Pakistani sources write dates, *unless* another cell of the same column
can only be month first (``04/13/2015``), in which case the whole column is read month first. ``order=
"dmy"`` or ``"mdy"`` fixes the order (the mapping step's date-format choice). Two-digit years are 20yy
up to the current year and 19yy above it.

Work is done once per distinct text: a million rows hold a few thousand dates.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from dashboard.ingest.model import Problem

ORDERS = {
    "auto": "Detect (day first when ambiguous)",
    "dmy": "Day first: 31-01-2015, 31/01/15",
    "mdy": "Month first: 01/31/2015",
}
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 in the 1900 system (its 1900-02-29 bug included)
_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")], start=1) for name in names}
_WEEKDAY = re.compile(r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|nesday|sday|rsday|urday)?\.?[\s,\-]+",
                      re.I)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$")
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}.*)?$")
_SERIAL = re.compile(r"^\d{1,6}(?:\.\d+)?$")
_TOKENS = re.compile(r"[A-Za-z]+|\d+")

Parsed = tuple[dt.date, str]  # (date, precision: day, month or year)


def _year(text: str) -> int:
    value = int(text)
    if len(text) <= 2:
        pivot = dt.date.today().year % 100
        return 2000 + value if value <= pivot else 1900 + value
    return value


def _make(year: int, month: int, day: int | None) -> Parsed | None:
    try:
        return dt.date(year, month, day or 1), "day" if day else "month"
    except ValueError:
        return None


def numeric_order(first: int, second: int) -> str | None:
    """'dmy' or 'mdy' if a d/m or m/d pair can only be read one way; None if both are possible."""
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return None


def parse_one(text: str, order: str = "dmy") -> Parsed | None:
    """(date, precision) for one cell, or None if it is not a date. ``order`` decides d/m vs m/d."""
    text = _WEEKDAY.sub("", str(text).strip()).strip(" ,")
    if not text:
        return None
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return (dt.date(year, 1, 1), "year") if 1000 <= year <= 9999 else None
    if found := _ISO.match(text):
        return _make(int(found[1]), int(found[2]), int(found[3]) or None) if int(found[3]) else None
    if found := _YEAR_MONTH.match(text):
        return _make(int(found[1]), int(found[2]), None)
    if found := _NUMERIC.match(text):
        a, b, year = int(found[1]), int(found[2]), _year(found[3])
        day, month = (b, a) if order == "mdy" else (a, b)
        return _make(year, month, day) if day else None
    if _SERIAL.match(text):
        serial = float(text)
        if 10000 <= serial < 100000:  # 1927..2173: small numbers are never taken for dates
            return EXCEL_EPOCH + dt.timedelta(days=int(serial)), "day"
        return None
    return _with_month_name(text)


def _with_month_name(text: str) -> Parsed | None:
    """'31 January 2023', '01-January-2015', '9-May-20', 'November 19-1995', 'March 2015', 'Mar-15'."""
    tokens = _TOKENS.findall(text)
    months = [i for i, t in enumerate(tokens) if t.lower() in _MONTHS]
    words = [t for t in tokens if t.isalpha()]
    if len(months) != 1 or len(words) != 1:
        return None
    month = _MONTHS[tokens[months[0]].lower()]
    numbers = [(i, t) for i, t in enumerate(tokens) if t.isdigit()]
    if len(numbers) == 1:  # a month: 'March 2015', 'Mar-15'
        return _make(_year(numbers[0][1]), month, None)
    if len(numbers) != 2:
        return None
    (_, first), (_, second) = numbers
    if len(first) == 4 or (len(second) <= 2 and int(first) > 31):  # '2015 March 3': year first
        year, day = _year(first), int(second)
    else:
        day, year = int(first), _year(second)
    return _make(year, month, day) if day else None


def column_order(distinct: list[str]) -> str:
    """The d/m order for a whole column under the 'auto' rule (day first unless some cell says otherwise)."""
    for text in distinct:
        found = _NUMERIC.match(_WEEKDAY.sub("", str(text).strip()))
        if found and numeric_order(int(found[1]), int(found[2])) == "mdy":
            return "mdy"
    return "dmy"


def parse_series(raw: pd.Series, order: str = "auto") -> tuple[pd.Series, pd.Series]:
    """(dates, precision) for a text column; NaT / None where a cell is blank or not a date."""
    text = raw.astype("str").str.strip()
    distinct = [t for t in text.dropna().unique() if t]
    used = column_order(distinct) if order == "auto" else order
    found = [parse_one(t, used) for t in distinct]
    # One look-up per row by position in the distinct values (-1, blank or missing, takes the last slot).
    position = pd.Index(distinct, dtype="object").get_indexer(text.astype("object"))
    days = np.array([f[0] if f else None for f in found] + [None], dtype="datetime64[us]")
    kinds = np.array([f[1] if f else None for f in found] + [None], dtype="object")
    return (pd.Series(days[position], index=raw.index, dtype="datetime64[us]"),
            pd.Series(kinds[position], index=raw.index, dtype="object"))


def check(frame: pd.DataFrame, column: str, problems: list[Problem], *, order: str = "auto", required: bool = True,
          not_before: dt.date = dt.date(1900, 1, 1)) -> tuple[pd.Series, pd.Series]:
    """Dates and precision of one column of a text frame, every bad cell reported (as validate.date does)."""
    from dashboard.ingest import validate as v  # local: validate imports nothing of ours, keep it so

    dates, precision = parse_series(frame[column], order)
    empty = v.blank(frame[column])
    v.report(frame, ~empty & dates.isna(), column, "is not a date (e.g. 2015-01-31, 31-01-2015, 31 January 2015, "
                                                   "9-May-20, March 2015, 2015)", problems)
    if required:
        v.report(frame, empty, column, "is required and is empty", problems)
    return _in_range(frame, column, dates, precision, problems, not_before)


def _in_range(frame: pd.DataFrame, column: str, dates: pd.Series, precision: pd.Series, problems: list[Problem],
              not_before: dt.date) -> tuple[pd.Series, pd.Series]:
    from dashboard.ingest import validate as v

    today = pd.Timestamp(dt.date.today())
    future = dates.notna() & (dates > today)
    v.report(frame, future, column, f"is in the future (after {today.date().isoformat()})", problems)
    ancient = dates.notna() & (dates < pd.Timestamp(not_before))
    v.report(frame, ancient, column, f"is before {not_before.isoformat()}", problems)
    keep = ~future & ~ancient
    return dates.where(keep), precision.where(keep & dates.notna(), None)


def from_parts(frame: pd.DataFrame, year: str, month: str | None, day: str | None,
               problems: list[Problem]) -> tuple[pd.Series, pd.Series]:
    """A date from year, month and day columns; a month or day that is 0 or blank is unknown and sets the
    precision ('month' without a day, 'year' without a month), as GTD codes it."""
    from dashboard.ingest import validate as v

    years = v.number(frame, year, problems, required=True, minimum=1900, maximum=9999, integer=True)
    zero = pd.Series(0, index=frame.index, dtype="Int64")
    months = v.number(frame, month, problems, minimum=0, maximum=12, integer=True).fillna(0) if month else zero
    days = v.number(frame, day, problems, minimum=0, maximum=31, integer=True).fillna(0) if day else zero
    known_month, known_day = months > 0, (days > 0) & (months > 0)
    parts = pd.DataFrame({"year": years, "month": months.where(known_month, 1), "day": days.where(known_day, 1)})
    dates = pd.to_datetime(parts.astype("float64"), errors="coerce").astype("datetime64[us]")
    if day:
        impossible = parts.notna().all(axis=1) & dates.isna()  # 31 February
        shown = frame[year].astype("str") + "-" + frame[month].astype("str") + "-" + frame[day].astype("str")
        v.report(frame.assign(**{day: shown}), impossible, day, f"is not a day of that month ({year}-{month}-{day})",
                 problems)
    precision = pd.Series("day", index=frame.index).where(known_day, "month").where(known_month, "year")
    return _in_range(frame, year, dates, precision, problems, dt.date(1900, 1, 1))


def preview(raw: pd.Series, order: str = "auto", rows: int = 8) -> pd.DataFrame:
    """The first distinct values of a column as the parser reads them: for the mapping step's live preview."""
    sample = raw.dropna().astype("str").drop_duplicates().head(rows)
    dates, precision = parse_series(sample, order)
    return pd.DataFrame({"in the file": sample.to_numpy(),
                         "read as": [d.date().isoformat() if pd.notna(d) else "not a date" for d in dates],
                         "precision": precision.fillna("").to_numpy()})
