"""Column coercions that report every bad cell as a Problem (row, column, value, reason).

Each function takes the raw text column (as read, all strings) and returns the typed column with
bad cells set to missing; the problems list is appended to. Row numbers are spreadsheet rows
(header = 1), carried in the frame's ``_row`` column so dropped lines (HXL tags) do not shift them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.ingest.model import Problem

ROW = "_row"
# A rejected file with a million bad cells would make a report nobody reads: per check, list this
# many and then one line with the count of the rest.
MAX_PROBLEMS_PER_CHECK = 200


def _report(frame: pd.DataFrame, mask: pd.Series, column: str, reason: str, problems: list[Problem]) -> None:
    bad = frame.loc[mask, [ROW, column]]
    for row, value in bad.head(MAX_PROBLEMS_PER_CHECK).itertuples(index=False):
        problems.append(Problem(int(row), column, _shown(value), reason))
    rest = len(bad) - MAX_PROBLEMS_PER_CHECK
    if rest > 0:
        problems.append(Problem(None, column, None, f"{rest} more rows: {reason}"))


def _shown(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def blank(series: pd.Series) -> pd.Series:
    """True where a cell is missing or only white space."""
    return series.isna() | (series.astype("str").str.strip() == "")


# A cell a spreadsheet would run as a formula, or a browser would render as markup, is not a name:
# it is refused with a reason rather than stored and neutralised later (see README, "Uploading data").
_FORMULA = r"^(?:[=@]|[+\-]\s*[A-Za-z_(])"
_MARKUP = r"</?[A-Za-z!][^>]*>"  # as browsers see a tag: no space after "<"
_UNSAFE = _FORMULA + "|" + _MARKUP
FORMULA_REASON = "looks like a spreadsheet formula (starts with = + - or @); remove the leading sign"
MARKUP_REASON = "contains HTML markup (<...>); write the name as plain text"


def text(frame: pd.DataFrame, column: str, problems: list[Problem], *, required: bool = False,
         max_length: int = 500, plain: bool = True) -> pd.Series:
    """Trimmed text; blank -> missing. Over-long cells are problems (a 1 MB name is an error), and so
    are formulas and HTML markup unless ``plain`` is False."""
    raw = frame[column].astype("str").str.strip()
    empty = blank(frame[column])
    if required:
        _report(frame, empty, column, "is required and is empty", problems)
    too_long = ~empty & (raw.str.len() > max_length)
    _report(frame, too_long, column, f"is longer than {max_length} characters", problems)
    keep = ~empty & ~too_long
    if plain:
        unsafe = keep & raw.str.contains(_UNSAFE, regex=True)
        if unsafe.any():  # one regex pass over the column; the reason is worked out on the few hits
            formula = unsafe & raw.where(unsafe, "").str.contains(_FORMULA, regex=True)
            _report(frame, formula, column, FORMULA_REASON, problems)
            _report(frame, unsafe & ~formula, column, MARKUP_REASON, problems)
            keep &= ~unsafe
    return raw.where(keep, None)


def number(frame: pd.DataFrame, column: str, problems: list[Problem], *, required: bool = False,
           minimum: float | None = None, maximum: float | None = None, integer: bool = False,
           missing_values: tuple[str, ...] = ()) -> pd.Series:
    """A numeric column; '1,200' and ' 3 ' are accepted, text and out-of-range values are problems."""
    raw = frame[column]
    empty = blank(raw) | raw.astype("str").str.strip().isin(missing_values)
    cleaned = raw.astype("str").str.strip().str.replace(",", "", regex=False)
    values = pd.to_numeric(cleaned.where(~empty, None), errors="coerce")
    not_number = ~empty & values.isna()
    _report(frame, not_number, column, "is not a number", problems)
    if required:
        _report(frame, empty, column, "is required and is empty", problems)
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
        got = pd.to_datetime(raw[todo], format=fmt, errors="coerce", utc=True)
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
             "iso8601": "ISO 8601"}
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
