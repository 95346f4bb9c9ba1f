"""CSV downloads that are safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return, or the full-width forms of those signs)
is read by Excel, LibreOffice and Google Sheets as a formula: a group name or a complaint note from an
uploaded file could then run commands on the reader's machine ("CSV injection", OWASP). Such text cells
are prefixed with a single quote, which spreadsheets show as plain text. Numbers are left as numbers.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: object) -> object:
    """One cell: text that a spreadsheet would evaluate gets a leading single quote; anything else as is."""
    if not isinstance(value, str):
        return value
    # leading spaces do not stop some spreadsheets from evaluating " =1+1"
    if value.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and column name neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_datetime64_any_dtype(safe[column])):
            safe[column] = safe[column].map(neutralise).astype(object)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark so Excel reads Urdu and accented names right), formula-safe."""
    buffer = io.StringIO()
    safe_frame(frame).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")
