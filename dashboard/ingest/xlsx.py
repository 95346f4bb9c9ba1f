"""A streaming, bounded XLSX reader: rows come out of the sheet's XML as it is unpacked, never padded.

Why not openpyxl: its read-only mode trusts the sheet's declared dimension and pads every row to it (a
4.9 KB file declaring a full sheet cost 20 minutes), and it loads shared strings without a cap. Here:
- nothing is sized from what the file declares (the dimension only drives the progress bar, and one
  beyond Excel's own limits is refused as damaged); rows and columns are capped at Excel's limits;
- shared strings are capped in number and in characters;
- a DTD (and so any entity) is refused outright: no workbook needs one, and entities are how XML bombs work;
- every part is parsed in 1 MB pieces and the whole read runs against a deadline;
- malformed XML, a missing part or a bad reference is a ``Refused`` with a reason, never a traceback.
Cells come out as the text a CSV export would hold (dates through the cell's number format).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import posixpath
import pyexpat
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

MAX_ROWS = 1_048_576  # Excel's own limits
MAX_COLUMNS = 16_384
MAX_SHARED_STRINGS = 1_000_000  # a few seconds to parse; more is a CSV's job
MAX_SHARED_CHARS = 100_000_000
DEFAULT_SECONDS = 60.0
_CHUNK = 1 << 20
_REL_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STRICT_REL_ID = "http://purl.oclc.org/ooxml/officeDocument/relationships}id"
# Built-in number formats that show a date or a time (ECMA-376 18.8.30, plus the CJK ones Excel uses).
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)])
_TIME_FORMAT_IDS = frozenset([18, 19, 20, 21, 22, 45, 46, 47])


class Refused(Exception):
    """The workbook cannot be read safely or at all; ``reason`` says why, ``row``/``column`` where."""

    def __init__(self, reason: str, row: int | None = None, column: str | None = None, value: str | None = None):
        super().__init__(reason)
        self.reason, self.row, self.column, self.value = reason, row, column, value


def max_seconds() -> float:
    """The time reading a workbook or a Parquet file may take: $OBSERVATORY_READ_SECONDS, default 60."""
    try:
        return max(float(os.environ.get("OBSERVATORY_READ_SECONDS", "") or DEFAULT_SECONDS), 0.1)
    except ValueError:
        return DEFAULT_SECONDS


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag: str) -> str:
    """'{namespace}row' -> 'row' (transitional and strict workbooks use different namespaces); cached,
    because a sheet names the same few tags millions of times."""
    local = _LOCAL_NAMES.get(tag)
    if local is None:
        local = _LOCAL_NAMES.setdefault(tag, tag.rpartition("}")[2]) if len(_LOCAL_NAMES) < 10_000 else \
            tag.rpartition("}")[2]
    return local


# expat's handlers: start(tag, attributes), end(tag), text(character data).
StartHandler = Callable[[str, dict[str, str]], None]
EndHandler = Callable[[str], None]
TextHandler = Callable[[str], None]


def _parse(archive: zipfile.ZipFile, name: str, deadline: float, start: StartHandler | None = None,
           end: EndHandler | None = None, text: TextHandler | None = None) -> Iterator[None]:
    """Feed one part to expat in 1 MB pieces, yielding after each so the caller can drain what the
    handlers collected; refuses DTDs, malformed XML and a read past the deadline."""
    parser = pyexpat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def no_dtd(*_args: object) -> None:
        raise Refused(f"part {name} declares a DTD (<!DOCTYPE ...>), which no workbook needs; refused as a "
                      "possible XML bomb")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    try:
        with archive.open(name) as stream:
            while True:
                piece = stream.read(_CHUNK)
                parser.Parse(piece, not piece)
                if time.monotonic() > deadline:
                    raise Refused("reading the workbook took too long (it may be built to exhaust the server); "
                                  "save the sheet as CSV and upload that")
                yield
                if not piece:
                    break
    except pyexpat.ExpatError as exc:
        raise Refused(f"part {name} is not well-formed XML (line {exc.lineno}, column {exc.offset}: "
                      f"{pyexpat.ErrorString(exc.code)}); open the file in Excel and save it again") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # CRC error, truncated member
        raise Refused(f"part {name} of the workbook is damaged ({type(exc).__name__}); open the file in Excel "
                      "and save it again") from None


def _drain(parts: Iterator[None]) -> None:
    for _ in parts:
        pass


def column_index(ref: str) -> int:
    """'A1' -> 0, 'AB7' -> 27 (letters only are read)."""
    number = 0
    for char in ref:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            number = number * 26 + ord(char) - 96
        else:
            break
    return number - 1


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Workbook:
    """An opened workbook: its parts, the sheets in order, and what reading cells needs."""

    archive: zipfile.ZipFile
    deadline: float
    sheets: list[tuple[str, str]]  # (title, part name)
    date1904: bool = False
    date_styles: dict[int, bool] = field(default_factory=dict)  # style index -> shows a time too
    _strings: list[str] | None = None
    _strings_part: str | None = None

    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = _shared_strings(self.archive, self._strings_part, self.deadline)
        return self._strings


def open_workbook(archive: zipfile.ZipFile, seconds: float | None = None) -> Workbook:
    """Read the workbook's sheet list, relationships and styles (small parts)."""
    deadline = time.monotonic() + (seconds if seconds is not None else max_seconds())
    names = set(archive.namelist())
    sheets: list[tuple[str, str]] = []
    flags = {"date1904": False}

    def workbook_start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "sheet":
            sheets.append((attrs.get("name", f"Sheet{len(sheets) + 1}"),
                           attrs.get(_REL_ID) or attrs.get(_STRICT_REL_ID) or ""))
        elif local == "workbookPr":
            flags["date1904"] = attrs.get("date1904", "0") in ("1", "true")

    _drain(_parse(archive, "xl/workbook.xml", deadline, start=workbook_start))
    targets: dict[str, tuple[str, str]] = {}

    def rels_start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship":
            targets[attrs.get("Id", "")] = (attrs.get("Target", ""), attrs.get("Type", ""))

    if "xl/_rels/workbook.xml.rels" in names:
        _drain(_parse(archive, "xl/_rels/workbook.xml.rels", deadline, start=rels_start))

    def part(target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))

    resolved: list[tuple[str, str]] = []
    for position, (title, rel) in enumerate(sheets, start=1):
        target = part(targets[rel][0]) if rel in targets else f"xl/worksheets/sheet{position}.xml"
        if target in names:
            resolved.append((title, target))
    if not resolved:
        raise Refused("the workbook has no sheet with data")
    strings = next((part(t) for t, kind in targets.values() if kind.endswith("/sharedStrings")), None)
    if strings is None and "xl/sharedStrings.xml" in names:
        strings = "xl/sharedStrings.xml"
    book = Workbook(archive, deadline, resolved, flags["date1904"],
                    _date_styles(archive, deadline) if "xl/styles.xml" in names else {})
    book._strings_part = strings if strings in names else None
    return book


def _shared_strings(archive: zipfile.ZipFile, name: str | None, deadline: float) -> list[str]:
    """The shared strings, capped in number and characters (phonetic runs, <rPh>, are not text).
    Only end and text events are handled (no start handler): three Python calls per plain string instead
    of five, which is what a part of a million strings costs."""
    if name is None:
        return []
    _check_declared_count(archive, name)
    strings: list[str] = []
    parts: list[str] = []  # the <t> texts of the current <si>
    buffer: list[str] = []  # character data since the last element ended
    chars = [0]

    def end(tag: str) -> None:
        local = _local(tag)
        if local == "t":
            parts.append("".join(buffer))
        elif local == "rPh" and parts:
            parts.pop()  # a phonetic run holds one <t>: the reading aid, not the text
        elif local == "si":
            strings.append("".join(parts))
            parts.clear()
            if len(strings) > MAX_SHARED_STRINGS:
                raise Refused(f"the workbook holds more than {MAX_SHARED_STRINGS:,} shared strings; save the "
                              "sheet as CSV instead")
        buffer.clear()

    def text(data: str) -> None:
        buffer.append(data)
        chars[0] += len(data)
        if chars[0] > MAX_SHARED_CHARS:
            raise Refused(f"the workbook's shared strings hold more than {MAX_SHARED_CHARS:,} characters; "
                          "save the sheet as CSV instead")

    _drain(_parse(archive, name, deadline, None, end, text))
    return strings


def _check_declared_count(archive: zipfile.ZipFile, name: str) -> None:
    """A part declaring more strings than the cap is refused before it is parsed."""
    try:
        with archive.open(name) as stream:
            head = stream.read(4096).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return  # the parse reports the damage
    tag = re.search(r"<(?:[\w.-]+:)?sst\b[^>]*>", head)
    for declared in re.findall(r'\b(?:uniqueCount|count)="(\d+)"', tag.group() if tag else ""):
        if int(declared) > MAX_SHARED_STRINGS:
            raise Refused(f"the workbook declares {int(declared):,} shared strings; the most accepted is "
                          f"{MAX_SHARED_STRINGS:,}. Save the sheet as CSV instead")


_LITERAL = re.compile(r'"[^"]*"|\\.|\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]')


def _date_styles(archive: zipfile.ZipFile, deadline: float) -> dict[int, bool]:
    """Cell style index -> True for a date-time format, False for a date-only one (absent: not a date)."""
    custom: dict[int, str] = {}
    formats: list[int] = []
    state = {"in_xfs": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "numFmt":
            if attrs.get("numFmtId", "").isdigit():
                custom[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            state["in_xfs"] = True
        elif local == "xf" and state["in_xfs"]:
            value = attrs.get("numFmtId", "0")
            formats.append(int(value) if value.isdigit() else 0)

    def end(tag: str) -> None:
        if _local(tag) == "cellXfs":
            state["in_xfs"] = False

    _drain(_parse(archive, "xl/styles.xml", deadline, start, end))
    styles: dict[int, bool] = {}
    for index, format_id in enumerate(formats):
        if format_id in custom:
            code = _LITERAL.sub("", custom[format_id]).split(";")[0].lower()
            if re.search(r"[dy]|m(?!s)", code.replace("am/pm", "")) or re.search(r"[hs]", code):
                styles[index] = bool(re.search(r"[hs]", code))
        elif format_id in _DATE_FORMAT_IDS:
            styles[index] = format_id in _TIME_FORMAT_IDS
    return styles


def _serial_text(serial: float, with_time: bool, date1904: bool) -> str:
    """An Excel date serial as the text a CSV export would hold ('2024-01-02' or '2024-01-02 10:30:00')."""
    if date1904:
        base = dt.datetime(1904, 1, 1)
    elif serial < 60:  # Excel counts a 29 February 1900 that never was
        base = dt.datetime(1899, 12, 31)
    else:
        base = dt.datetime(1899, 12, 30)
    moment = base + dt.timedelta(seconds=round(serial * 86400))
    # as a CSV export writes it: a time only when there is one (with_time: the format shows one)
    return moment.isoformat(sep=" ") if with_time and moment.time() != dt.time() else moment.strftime("%Y-%m-%d")


_INTEGER = re.compile(r"^-?\d+$")


def number_text(raw: str) -> str:
    """A numeric cell as written by a CSV export: '3' for 3.0, '0.1' for 0.1; non-numbers as they are."""
    if _INTEGER.match(raw):
        return raw
    try:
        value = float(raw)
    except ValueError:
        return raw
    if value != value or value in (float("inf"), float("-inf")):
        return raw
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)


@dataclass
class FormulaCell:
    """A formula whose result was never saved (written by a program that does not calculate)."""

    row: int
    column: int
    formula: str


@dataclass(slots=True)
class _Cell:
    """The <c> element being parsed: its column, type (t), style (s) and the text pieces of its value (v),
    formula (f) and inline string (is); a piece list is None until its element is seen. One is reset per cell:
    a sheet has millions, and resetting is cheaper than a new object."""

    col: int = 0
    t: str = "n"
    s: str | None = None
    v: list[str] | None = None
    f: list[str] | None = None
    inline: list[str] | None = None


@dataclass(slots=True)
class _RowState:
    """The <row> being parsed, and where character data goes (None: nowhere)."""

    number: int = 0
    cells: dict[int, str] = field(default_factory=dict)
    next_col: int = 0
    target: list[str] | None = None


def sheet_rows(book: Workbook, part: str, formulas: list[FormulaCell], max_row: int | None = None
               ) -> Iterator[tuple[int, dict[int, str]]]:
    """(spreadsheet row number, {column index: text}) for every row holding a value, in file order;
    formula cells without a saved value are appended to ``formulas`` (and read as blank)."""
    pending: list[tuple[int, dict[int, str]]] = []
    cell = _Cell()
    row = _RowState()

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "c":
            ref = attrs.get("r")
            col = column_index(ref) if ref else row.next_col
            if col >= MAX_COLUMNS or col < 0:
                raise Refused(f"a cell ({ref}) lies beyond Excel's last column", row=row.number)
            row.next_col = col + 1
            cell.col, cell.t, cell.s = col, attrs.get("t", "n"), attrs.get("s")
            cell.v = cell.f = cell.inline = None
            row.target = None
        elif local == "row":
            raw = attrs.get("r")
            number = int(raw) if raw and raw.isdigit() else row.number + 1
            if number > MAX_ROWS:
                raise Refused(f"row {number:,} lies beyond Excel's last row ({MAX_ROWS:,})", row=number)
            row.number, row.cells, row.next_col = number, {}, 0
        elif local == "v":
            cell.v = row.target = []
        elif local == "f":
            cell.f = row.target = []
        elif local == "t" and cell.t == "inlineStr":
            if cell.inline is None:
                cell.inline = []
            row.target = cell.inline
        elif local == "rPh":
            row.target = None

    def end(tag: str) -> None:
        local = _local(tag)
        if local in ("v", "f", "t"):
            row.target = None
        elif local == "c":
            text = _cell_value(book, cell, row.number)
            if cell.f is not None and cell.v is None and cell.t != "inlineStr":
                formulas.append(FormulaCell(row.number, cell.col, "=" + "".join(cell.f)))
            if text != "":
                row.cells[cell.col] = text
        elif local == "row" and row.cells:
            pending.append((row.number, row.cells))

    def text(data: str) -> None:
        target = row.target
        if target is not None:
            target.append(data)

    for _ in _parse(book.archive, part, book.deadline, start, end, text):
        yield from pending
        pending.clear()
        if max_row is not None and row.number >= max_row:
            return


def _cell_value(book: Workbook, cell: _Cell, row: int) -> str:
    kind = cell.t
    if kind == "inlineStr":
        return "".join(cell.inline or [])
    if cell.v is None:
        return ""
    raw = "".join(cell.v)
    if kind == "s":
        strings = book.strings()
        if not raw.isdigit() or int(raw) >= len(strings):
            raise Refused(f"a cell refers to shared string {raw!r}, which the workbook does not hold; the file is "
                          "damaged", row=row, column=column_letters(cell.col))
        return strings[int(raw)]
    if kind == "b":
        return "true" if raw.strip() in ("1", "true") else "false"
    if kind in ("str", "e"):
        return raw
    if kind == "d":
        return raw.replace("T00:00:00", "").replace("T", " ")
    style = cell.s
    if style is not None and style.isdigit() and int(style) in book.date_styles:
        try:
            return _serial_text(float(raw), book.date_styles[int(style)], book.date1904)
        except (ValueError, OverflowError):
            return raw
    return number_text(raw)


class _Found(Exception):
    """Stops a parse once the wanted element was seen."""


def declared_rows(book: Workbook, part: str) -> int | None:
    """The row count the sheet's <dimension> declares, for the progress bar only (never trusted for
    sizing); a dimension beyond Excel's limits marks a damaged or hostile file."""
    found: dict[str, str] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "dimension":
            found["ref"] = attrs.get("ref", "")
            raise _Found  # the dimension comes before the rows: stop parsing the sheet here
        if _local(tag) == "sheetData":
            raise _Found

    with contextlib.suppress(_Found):
        _drain(_parse(book.archive, part, book.deadline, start=start))
    ref = found.get("ref", "")
    last = ref.split(":")[-1]
    digits = "".join(ch for ch in last if ch.isdigit())
    if not digits:
        return None
    rows, columns = int(digits), column_index(last) + 1
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise Refused(f"the sheet declares a size ({ref}) beyond Excel's limits; the file is damaged or built "
                      "to exhaust the server. Save the sheet as CSV instead")
    return rows
