"""Column coercions that report every bad cell as a Problem (row, column, value, reason).

Each function takes the raw text column (as read, all strings) and returns the typed column with
bad cells set to missing; the problems list is appended to. Row numbers are spreadsheet rows
(header = 1), carried in the frame's ``_row`` column so dropped lines (HXL tags) do not shift them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.model import Problem

ROW = "_row"
# How many problems the page lists on screen; the downloadable report holds every one.
MAX_PROBLEMS_PER_CHECK = 200


def _report(frame: pd.DataFrame, mask: pd.Series, column: str, reason: str, problems: list[Problem]) -> None:
    """Every bad cell, one problem each (issue 11: the report lists every problem, and rows with problems
    are counted right however many there are; the page shows the first ones and downloads them all)."""
    if not mask.any():  # the usual case: no copy of the frame at all
        return
    bad = frame.loc[mask, [ROW, column]]
    problems.extend(Problem(int(row), column, _shown(value), reason) for row, value in bad.itertuples(index=False))


report = _report  # for adapters with checks of their own (e.g. "period_end is before period_start")


def _shown(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def blank(series: pd.Series) -> pd.Series:
    """True where a cell is missing or only white space."""
    return series.isna() | (series.astype("str").str.strip() == "")


# A cell a spreadsheet would run as a formula, or a browser would render as markup, is not a name:
# it is refused with a reason rather than stored and neutralised later (see README, "Uploading data").
# Formula: starts with = or @, or with + or - unless the whole cell is a signed number ("-4").
_FORMULA_START = r"^[=@+\-]"
_SIGNED_NUMBER = r"^[+\-]\s*[\d.,]*$"
_MARKUP = r"</?[A-Za-z!][^>]*>"  # as browsers see a tag: no space after "<"
# A Latin letter next to a Cyrillic or Greek one inside a word: "Рunjab" with a Cyrillic Р reads as
# Punjab but is another name (a second region that looks like the first). Words wholly in one script
# ("Пенджаб", "Punjab / Пенджаб") are fine.
_MIXED_SCRIPT = r"\p{Latin}[\p{Cyrillic}\p{Greek}]|[\p{Cyrillic}\p{Greek}]\p{Latin}"
MIXED_SCRIPT_REASON = ("mixes Latin letters with Cyrillic or Greek look-alikes in one word, so it reads like another "
                       "name; retype it")
FORMULA_REASON = "looks like a spreadsheet formula (starts with = + - or @); remove the leading sign"
MARKUP_REASON = "contains HTML markup (<...>); write the name as plain text"


def matches(series: pd.Series, pattern: str) -> pd.Series:
    """True where a text column matches a regular expression (RE2 syntax), missing as False.
    Arrow's regex engine: ten times faster than pandas' per-cell fallback on a million rows."""
    found = pc.match_substring_regex(pa.array(series.astype("str"), type=pa.large_string()), pattern)
    return pd.Series(pc.fill_null(found, False).to_numpy(zero_copy_only=False), index=series.index)


def text(frame: pd.DataFrame, column: str, problems: list[Problem], *, required: bool = False,
         max_length: int = 500, plain: bool = True) -> pd.Series:
    """Trimmed text; blank -> missing. Over-long cells are problems (a 1 MB name is an error), and so
    are formulas and HTML markup unless ``plain`` is False."""
    raw = frame[column].astype("str").str.strip()
    empty = raw.isna() | (raw == "")
    if required:
        _report(frame, empty, column, "is required and is empty", problems)
    too_long = ~empty & (raw.str.len() > max_length)
    _report(frame, too_long, column, f"is longer than {max_length} characters", problems)
    keep = ~empty & ~too_long
    if plain:
        suspect = keep & matches(raw, _FORMULA_START + "|" + _MARKUP)
        if suspect.any():  # one regex pass over the column; the reasons are worked out on the few hits
            hits = raw.where(suspect, "")
            formula = suspect & matches(hits, _FORMULA_START) & ~matches(hits, _SIGNED_NUMBER)
            markup = suspect & ~formula & matches(hits, _MARKUP)
            _report(frame, formula, column, FORMULA_REASON, problems)
            _report(frame, markup, column, MARKUP_REASON, problems)
            keep &= ~(formula | markup)
        keep &= ~_look_alikes(frame, column, raw, keep, problems)
    return raw.where(keep, None)


def _look_alikes(frame: pd.DataFrame, column: str, raw: pd.Series, keep: pd.Series,
                 problems: list[Problem]) -> pd.Series:
    """Names mixing scripts inside a word, reported (one vectorised regex pass over the column, none at
    all when every cell is ASCII, the usual case)."""
    arr = pa.array(raw.astype("str"), type=pa.large_string())
    if pc.all(pc.fill_null(pc.string_is_ascii(arr), True)).as_py():
        return pd.Series(False, index=raw.index)
    mixed = keep & matches(raw, _MIXED_SCRIPT)
    _report(frame, mixed, column, MIXED_SCRIPT_REASON, problems)
    return mixed


_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"


def to_numbers(cleaned: pd.Series) -> pd.Series:
    """Text -> float64, NaN where the text is not a plain decimal number (no 'inf', 'nan', '0x1f').
    Vectorised in Arrow: pandas' to_numeric walks a million Python strings one by one."""
    arr = pa.array(cleaned.astype("str"), type=pa.large_string())
    ok = pc.fill_null(pc.match_substring_regex(arr, _NUMBER), False)
    numbers = pc.cast(pc.if_else(ok, arr, pa.scalar(None, pa.large_string())), pa.float64())
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=cleaned.index, dtype="float64")


# What the database columns hold (queries/schema): a whole number beyond its column's range would
# overflow at insert, after validation said "no problems" (issue 17), so it is a problem here.
INTEGER_RANGES = {"INTEGER": (-(2**31), 2**31 - 1), "BIGINT": (-(2**53), 2**53)}  # BIGINT: exact in float64


def number(frame: pd.DataFrame, column: str, problems: list[Problem], *, required: bool = False,
           minimum: float | None = None, maximum: float | None = None, integer: bool = False,
           missing_values: tuple[str, ...] = (), column_type: str = "INTEGER") -> pd.Series:
    """A numeric column; '1,200' and ' 3 ' are accepted, text and out-of-range values are problems.
    Whole numbers are checked against ``column_type``'s range (INTEGER unless said), every number
    against the range of a DOUBLE (1e309 is not a number a column can hold)."""
    stripped = frame[column].astype("str").str.strip()
    empty = stripped.isna() | (stripped == "") | stripped.isin(missing_values)
    values = to_numbers(stripped.str.replace(",", "", regex=False).where(~empty, None))
    not_number = ~empty & values.isna()
    _report(frame, not_number, column, "is not a number", problems)
    if required:
        _report(frame, empty, column, "is required and is empty", problems)
    values = _in_type_range(frame, column, values, problems, INTEGER_RANGES[column_type] if integer else None)
    if integer:
        fractional = values.notna() & (values % 1 != 0)
        _report(frame, fractional, column, "is not a whole number", problems)
        values = values.where(~fractional)
    if minimum is not None:
        low = values.notna() & (values < minimum)
        _report(frame, low, column, f"is below the minimum {minimum:g}", problems)
        values = values.where(~low)
    if maximum is not None:
        high = values.notna() & (values > maximum)
        _report(frame, high, column, f"is above the maximum {maximum:g}", problems)
        values = values.where(~high)
    return values.round().astype("Int64") if integer else values.astype("Float64")


def _in_type_range(frame: pd.DataFrame, column: str, values: pd.Series, problems: list[Problem],
                   bounds: tuple[int, int] | None) -> pd.Series:
    """Values a database column cannot hold reported (row, column, value, reason) and set missing."""
    infinite = values.notna() & ~np.isfinite(values.to_numpy(dtype="float64", na_value=np.nan))
    _report(frame, infinite, column, "is too large to be stored as a number (beyond ±1.8e308)", problems)
    values = values.where(~infinite)
    if bounds is not None:
        low, high = bounds
        outside = values.notna() & ((values < low) | (values > high))
        _report(frame, outside, column, f"is outside the range of whole numbers this column holds "
                                        f"({low:,} to {high:,})", problems)
        values = values.where(~outside)
    return values


def date(frame: pd.DataFrame, column: str, problems: list[Problem], *, required: bool = True,
         formats: tuple[str, ...] = ("%Y-%m-%d",), not_after: dt.date | None = None,
         not_before: dt.date = dt.date(1900, 1, 1), timestamps: bool = False) -> pd.Series:
    """Dates (or timestamps) in one of the given formats; unparseable and future dates are problems.

    Formats are tried in order on the cells the previous ones could not read, so one file can mix
    '2023-01-31' and '31 January 2023'. ``"iso8601"`` accepts any ISO date or timestamp.
    """
    raw = frame[column].astype("str").str.strip()
    empty = blank(frame[column])
    parsed = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    for fmt in formats:
        todo = parsed.isna() & ~empty
        if not todo.any():
            break
        # pandas 3 knows only the upper-case spelling; "iso8601" silently parses nothing
        got = pd.to_datetime(raw[todo], format="ISO8601" if fmt.lower() == "iso8601" else fmt,
                             errors="coerce", utc=True)
        parsed.loc[todo] = got.dt.tz_localize(None).astype("datetime64[us]")
    unreadable = ~empty & parsed.isna()
    shown = " or ".join(_format_name(f) for f in formats)
    _report(frame, unreadable, column, f"is not a date ({shown})", problems)
    if required:
        _report(frame, empty, column, "is required and is empty", problems)
    limit = not_after or dt.date.today()
    future = parsed.notna() & (parsed.dt.normalize() > pd.Timestamp(limit))
    _report(frame, future, column, f"is in the future (after {limit.isoformat()})", problems)
    ancient = parsed.notna() & (parsed < pd.Timestamp(not_before))
    _report(frame, ancient, column, f"is before {not_before.isoformat()}", problems)
    parsed = parsed.where(~future & ~ancient)
    return parsed if timestamps else parsed.dt.normalize()


def _format_name(fmt: str) -> str:
    names = {"%Y-%m-%d": "yyyy-mm-dd", "%d-%m-%Y": "dd-mm-yyyy", "%d %B %Y": "31 January 2023",
             "iso8601": "ISO 8601", "%Y-%m-%d %H:%M:%S": "yyyy-mm-dd hh:mm:ss"}
    return names.get(fmt, fmt)


def choice(frame: pd.DataFrame, column: str, allowed: set[str], problems: list[Problem], *,
           required: bool = True) -> pd.Series:
    """Text that must be one of a fixed set (compared case-insensitively, stored lower case)."""
    raw = frame[column].astype("str").str.strip().str.lower()
    empty = blank(frame[column])
    wrong = ~empty & ~raw.isin(allowed)
    _report(frame, wrong, column, f"is not one of: {', '.join(sorted(allowed))}", problems)
    if required:
        _report(frame, empty, column, "is required and is empty", problems)
    return raw.where(~empty & ~wrong, None)


def duplicates(frame: pd.DataFrame, column: str, problems: list[Problem]) -> None:
    """Report repeated ids (every repeat after the first)."""
    values = frame[column]
    repeated = values.notna() & ~blank(values) & values.duplicated(keep="first")
    _report(frame, repeated, column, "repeats an id already used in an earlier row", problems)
