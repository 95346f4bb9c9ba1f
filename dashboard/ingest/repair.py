"""Two damages real CSV files often carry, repaired before reading, each with a sentence for the page.

- **Re-saved by Excel**: a comma-separated file opened in a locale whose list separator is ";" lands in
  one column; saved again, every line becomes ``eventid,iyear,...;;;`` (the one cell, then empty ones).
  Read as it is, that is a file of a few semicolon columns. When the header ends in empty fields and its
  first field holds the real header, each line is replaced by its first cell (unquoted as Excel quoted it).
  Done automatically, and said on the page: nothing is guessed, the cell is the original line.
- **Cut off mid-row** (a download or copy that stopped): the last line has fewer cells than the header
  or an unclosed quote. Only at the analyst's explicit choice are the complete rows before it loaded.

The sha256 recorded for the dataset is always that of the bytes uploaded, not of the repaired text.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

_DELIMITERS = (";", ",", "\t", "|")
_MIN_TRAILING_EMPTY = 2  # "a;;" is a header with one empty name; ";;" and more is the Excel pattern


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _first_line(data: bytes) -> str:
    end = data.find(b"\n", 0, 1 << 20)
    return _decode(data[: end if end >= 0 else 1 << 20])[0].rstrip("\r")


def trailing_empty_fields(header_line: str) -> tuple[str, int] | None:
    """(delimiter, count) when a header line ends in two or more empty fields ('...;;;'); else None."""
    for delimiter in _DELIMITERS:
        found = re.search(re.escape(delimiter) + f"{{{_MIN_TRAILING_EMPTY},}}$", header_line)
        if found:
            return delimiter, len(found.group(0))
    return None


@dataclass(frozen=True)
class Repair:
    data: bytes
    notice: str


def excel_resave(data: bytes) -> Repair | None:
    """Undo the one-column Excel re-save (see the module text), or None when the file is not like that."""
    first = _first_line(data)
    found = trailing_empty_fields(first)
    if not found:
        return None
    outer, count = found
    header = next(csv.reader([first], delimiter=outer), [""])[0]
    inner = next((d for d in _DELIMITERS if d != outer and d in header), None)
    if inner is None:
        return None  # a header really split by `outer` that ends in empty names: read as it is (with a hint)
    text, _ = _decode(data)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=outer))
    if any(cell.strip() for row in rows for cell in row[1:]):
        return None  # later cells hold data: not the pattern
    lines = [row[0] if row else "" for row in rows]
    repaired = ("\n".join(lines) + "\n").encode("utf-8")
    shown = outer if outer != "\t" else "tab"
    return Repair(repaired, f"Every line ended in {count} empty {shown!r}-separated fields and held the whole "
                            f"row in its first field: the file was re-saved by Excel. It is read as "
                            f"{'comma' if inner == ',' else repr(inner)}-separated, one row per line as in its "
                            "first field.")


def delimiter_hint(header: tuple[str, ...]) -> str | None:
    """A sentence for a header that ends in many unnamed columns (the reader calls them _unnamed_N)."""
    trailing = 0
    for name in reversed(header):
        if not name.startswith("_unnamed_"):
            break
        trailing += 1
    if trailing < _MIN_TRAILING_EMPTY:
        return None
    first = header[0] if header else ""
    other = next((d for d in _DELIMITERS if d in first), None)
    hint = (f" Its first column name contains {other!r}: the file may use {other!r} as its delimiter (re-saved "
            "by a spreadsheet?).") if other else ""
    return f"The header ends in {trailing} columns without a name.{hint}"


@dataclass(frozen=True)
class Truncated:
    """A file whose last row was cut off: the complete rows before it, and the cut row's line number."""

    data: bytes
    line: int
    text: str


def truncated(data: bytes, delimiter: str, width: int) -> Truncated | None:
    """The complete rows of a file cut off mid-row, or None when the last row is whole."""
    if not data or data.endswith(b"\n"):
        return None
    cut = data.rfind(b"\n")
    # A newline inside a quoted cell is not a row end: step back until the quotes before it balance.
    for _ in range(1000):
        if cut < 0 or data.count(b'"', 0, cut) % 2 == 0:
            break
        cut = data.rfind(b"\n", 0, cut)
    if cut < 0:
        return None
    tail = _decode(data[cut + 1:])[0]
    unclosed = tail.count('"') % 2 == 1
    cells = next(csv.reader(io.StringIO(tail.replace("\n", " ")), delimiter=delimiter), [])
    if not unclosed and len(cells) >= width:
        return None
    line = data.count(b"\n", 0, cut + 1) + 1
    return Truncated(data[: cut + 1], line, tail[:80])
