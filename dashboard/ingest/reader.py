"""Read an uploaded or shipped file into a frame of text cells with spreadsheet row numbers.

Two steps, so the page can decide before paying for a full read:
``inspect`` looks at the bytes (size, file type, encoding, delimiter, header) and rejects what cannot
be read; ``read`` parses the rows (only the columns asked for), every cell as text, blanks as ''.
CSV goes through pyarrow's reader (fast, bounded memory); when it finds a malformed row, Python's
csv module re-reads the text to say exactly which row and why (slow, but only for broken files).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from dashboard.ingest import xlsx
from dashboard.ingest.model import IngestError, Problem
from dashboard.ingest.validate import ROW

Progress = Callable[[float, str], None]

DEFAULT_MAX_UPLOAD_MB = 200  # keep equal to server.maxUploadSize in .streamlit/config.toml
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell: anything longer is not a real cell
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_BLOCK_SIZE = 16 << 20  # one CSV row must fit in a block: 16 MB leaves room for any sane row
_SAMPLE = 1 << 20  # bytes looked at to find the header and the delimiter
# Zip containers (XLSX) are checked before anything unpacks them: a small file may inflate to gigabytes.
MAX_UNCOMPRESSED_FACTOR = 10  # total uncompressed size <= 10 x the upload limit
MAX_COMPRESSION_RATIO = 200  # typical spreadsheets compress 5-30x; a bomb compresses thousands of times
MAX_ZIP_MEMBERS = 10_000

# Signatures of files people upload by mistake, with what to do instead.
_MAGIC = (
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls (or other Office 97) file; save it as .xlsx or CSV"),
    (b"%PDF", "a PDF document, not a data table; export the table as CSV"),
    (b"\x89PNG", "a PNG image, not a data table"),
    (b"\xff\xd8\xff", "a JPEG image, not a data table"),
    (b"GIF8", "a GIF image, not a data table"),
    (b"\x1f\x8b", "a gzip archive; unpack it and upload the CSV inside"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it and upload the file inside"),
    (b"Rar!", "a RAR archive; unpack it and upload the file inside"),
    (b"SQLite format 3", "an SQLite database, not a data table"),
)


@dataclass(frozen=True)
class Source:
    """What ``inspect`` found out about a file."""

    file_name: str
    file_type: str  # "csv", "xlsx" or "parquet"
    size: int
    header: tuple[str, ...]  # column names as written, trimmed; unnamed columns are "_unnamed_N"
    encoding: str | None = None  # CSV only: "utf-8", "utf-8-sig", "utf-16", "cp1252" or "latin-1"
    delimiter: str | None = None  # CSV only
    sheet: str | None = None  # XLSX only: the sheet read

    def describe(self) -> str:
        """One line for the page: how the file was read."""
        if self.file_type == "csv":
            return (f"CSV, {ENCODING_NAMES.get(self.encoding or '', self.encoding)}, "
                    f"{DELIMITER_NAMES.get(self.delimiter or '', repr(self.delimiter))}-separated, "
                    f"{len(self.header)} columns")
        if self.file_type == "xlsx":
            return f"Excel workbook, sheet {self.sheet!r}, {len(self.header)} columns"
        return f"Parquet, {len(self.header)} columns"


ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16",
                  "cp1252": "Windows-1252", "latin-1": "Latin-1"}


def max_upload_bytes() -> int:
    """The operator's size limit: $OBSERVATORY_MAX_UPLOAD_MB, default 200 (as .streamlit/config.toml)."""
    raw = os.environ.get("OBSERVATORY_MAX_UPLOAD_MB", "")
    try:
        mb = float(raw) if raw.strip() else DEFAULT_MAX_UPLOAD_MB
    except ValueError:
        mb = DEFAULT_MAX_UPLOAD_MB
    return int(max(mb, 0.001) * 1024 * 1024)


def _fail(file_name: str, reason: str, row: int | None = None, column: str | None = None,
          value: str | None = None) -> IngestError:
    return IngestError(file_name, [Problem(row, column, value, reason)])


# --- inspect -------------------------------------------------------------------------------------


def inspect(data: bytes, file_name: str, *, max_bytes: int | None = None) -> Source:
    """Check the file can be read at all and find its type, encoding, delimiter and header.

    Raises IngestError with one file-level problem that says what is wrong and what to do.
    """
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise _fail(file_name, f"the file is {len(data) / 2**20:,.1f} MB; the limit set by the operator is "
                               f"{limit / 2**20:,.0f} MB (OBSERVATORY_MAX_UPLOAD_MB)")
    if not data or data.isspace():  # isspace stops at the first other byte; strip() would copy the file
        raise _fail(file_name, "the file is empty")
    if data[:4] == b"PAR1":
        return _inspect_parquet(data, file_name, limit)
    if data[:4] == b"PK\x03\x04":
        return _inspect_xlsx(data, file_name, limit)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _fail(file_name, f"this is {what}")
    return _inspect_csv(data, file_name)


def detect_encoding(data: bytes, file_name: str = "file") -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1252 (Latin-1 for the
    five bytes Windows-1252 leaves undefined). Files mixing the two are refused: no single reading is right."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise _fail(file_name, f"the file contains NUL bytes (first on line {line}): it is binary, or text in "
                               "UTF-16 without a byte-order mark. Save it as CSV UTF-8", row=line)
    bad = _first_invalid_utf8(data)
    if bad is None:
        return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    _refuse_mixed_encodings(data, bad, file_name)
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _refuse_mixed_encodings(data: bytes, bad: int, file_name: str) -> None:
    """One encoding per file, decided from the whole file: bytes that are not UTF-8 (at ``bad``) and valid
    multi-byte UTF-8 sequences anywhere else mean two encodings, and no single reading is right. The line
    named is the first one that departs from the encoding the file starts in."""
    first_utf8 = _UTF8_SEQUENCE.search(data)
    if first_utf8 is None:
        return  # one legacy encoding throughout
    if first_utf8.start() > bad:  # starts in Windows-1252 / Latin-1, turns to UTF-8 later
        offset, what = first_utf8.start(), "UTF-8 text after Windows-1252 text"
    else:
        offset, what = bad, "a byte that is not UTF-8 after UTF-8 text"
    line = data.count(b"\n", 0, offset) + 1
    raise _fail(file_name, f"the file mixes UTF-8 and another encoding (first {what} on line {line}); re-save it in one "
                           "encoding, preferably CSV UTF-8", row=line,
                value=_cut(data[data.rfind(b"\n", 0, offset) + 1:].split(b"\n", 1)[0].decode("latin-1")))


def _first_invalid_utf8(data: bytes, chunk: int = 16 << 20) -> int | None:
    """Offset of the first byte that is not UTF-8, or None. ASCII and valid UTF-8 are confirmed in C
    without copying (Arrow's validator over the bytes as one value); only a failing file is decoded,
    in chunks, to find where."""
    if data.isascii():
        return None
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)]).cast(pa.large_string())
        return None
    except pa.ArrowInvalid:
        pass
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), chunk):
        try:
            decoder.decode(data[start:start + chunk], final=start + chunk >= len(data))
        except UnicodeDecodeError as exc:
            return start + exc.start
    return None


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of cells most often."""
    lines = sample.splitlines()[:50]
    if len(sample) >= _SAMPLE and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample is partial
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for n in counts if n == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _inspect_csv(data: bytes, file_name: str) -> Source:
    encoding = detect_encoding(data, file_name)
    sample = data[:_SAMPLE].decode("utf-16" if encoding == "utf-16" else encoding, errors="ignore")
    sample = sample.lstrip("\ufeff")
    if re.search(r"[\x00-\x08\x0e-\x1f]", sample[:65536]):
        raise _fail(file_name, "the file contains control characters: it is binary, not a CSV text file")
    delimiter = sniff_delimiter(sample)
    try:
        header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration):
        raise _fail(file_name, "the header row (row 1) cannot be read: check its quotes", row=1) from None
    return Source(file_name, "csv", len(data), clean_header(header, file_name), encoding, delimiter)


def clean_header(header: list, file_name: str) -> tuple[str, ...]:
    """Trimmed names; unnamed columns become _unnamed_N; repeated names are refused."""
    names = [("" if h is None else str(h)).strip().lstrip("\ufeff").strip() for h in header]
    names = [n if n else f"_unnamed_{i + 1}" for i, n in enumerate(names)]
    if all(n.startswith("_unnamed_") for n in names):
        raise _fail(file_name, "the first row has no column names: row 1 must be the header", row=1)
    seen: dict[str, int] = {}
    problems = []
    for position, name in enumerate(names, start=1):
        key = name.casefold()
        if key in seen:
            problems.append(Problem(1, name, name, f"the column name appears twice (columns {seen[key]} and "
                                                   f"{position}); rename or delete one"))
        else:
            seen[key] = position
    if problems:
        raise IngestError(file_name, problems)
    return tuple(names)


def _check_zip(data: bytes, file_name: str, limit: int) -> zipfile.ZipFile:
    """Refuse zip bombs before anything is unpacked: sizes are read from the directory, which zipfile
    also enforces while reading (it stops at the declared size)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _fail(file_name, "the file looks like an Excel workbook (a zip archive) but is damaged; "
                               "open it in Excel and save it again") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise _fail(file_name, f"the workbook holds {len(members):,} parts; refused as a possible zip bomb")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_FACTOR * limit:
        raise _fail(file_name, f"the workbook unpacks to {total / 2**20:,.0f} MB (more than "
                               f"{MAX_UNCOMPRESSED_FACTOR} x the upload limit); refused as a possible zip bomb. "
                               "Save the sheet as CSV instead")
    for m in members:
        if m.file_size > (1 << 20) and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1):
            raise _fail(file_name, f"part {m.filename!r} unpacks {m.file_size // max(m.compress_size, 1):,} times "
                                   "its packed size; refused as a possible zip bomb. Save the sheet as CSV instead")
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise _fail(file_name, "this is a zip archive but not an Excel .xlsx workbook; upload the CSV, "
                               "XLSX or Parquet file itself")
    return archive


def _open_workbook(data: bytes, file_name: str, limit: int, seconds: float | None = None):
    """The workbook, opened by the streaming reader (dashboard/ingest/xlsx.py) after the zip checks."""
    archive = _check_zip(data, file_name, limit)
    try:
        return xlsx.open_workbook(archive, seconds)
    except xlsx.Refused as exc:
        raise _xlsx_problem(file_name, exc) from None


def _xlsx_problem(file_name: str, exc: xlsx.Refused) -> IngestError:
    return _fail(file_name, exc.reason, row=exc.row, column=exc.column, value=exc.value)


def _xlsx_header(book, file_name: str) -> tuple[str, int, list[str]]:
    """The first sheet with a row of values: (title, part, header cells up to the last named one)."""
    for title, part in book.sheets:
        first = next(xlsx.sheet_rows(book, part, []), None)
        if first is None:
            continue
        number, cells = first
        if number != 1:
            raise _fail(file_name, f"sheet {title!r} starts on row {number}: row 1 must be the header", row=1)
        header = [cells.get(i, "") for i in range(max(cells) + 1)]
        while header and not str(header[-1]).strip():
            header.pop()  # Excel often reports trailing empty columns
        return title, part, header
    raise _fail(file_name, "the workbook has no sheet with data")


def _inspect_xlsx(data: bytes, file_name: str, limit: int) -> Source:
    book = _open_workbook(data, file_name, limit)
    try:
        title, _, header = _xlsx_header(book, file_name)
    except xlsx.Refused as exc:
        raise _xlsx_problem(file_name, exc) from None
    if not header:
        raise _fail(file_name, f"sheet {title!r} is empty or its first row has no column names", row=1)
    return Source(file_name, "xlsx", len(data), clean_header(header, file_name), sheet=title)


FORMULA_WITHOUT_VALUE = ("is a formula with no saved result (the program that wrote the file does not "
                         "calculate); open it in Excel, let it calculate and save it again, or paste the values")


def _read_xlsx(data: bytes, source: Source, wanted: list[str], progress: Progress | None
               ) -> tuple[pa.Table, list[int]]:
    """The wanted columns as text and each record's spreadsheet row (empty rows are skipped, not renumbered)."""
    book = _open_workbook(data, source.file_name, max(len(data), max_upload_bytes()))
    width = len(source.header)
    keep = [i for i, name in enumerate(source.header) if name in set(wanted)]
    cells: list[list[str]] = [[] for _ in keep]
    rows: list[int] = []
    problems: list[Problem] = []
    formulas: list[xlsx.FormulaCell] = []
    try:
        part = dict(book.sheets)[source.sheet]
        total = xlsx.declared_rows(book, part) or 0
        for number, values in xlsx.sheet_rows(book, part, formulas):
            if number == 1:
                continue
            extra = [i for i in values if i >= width]
            if extra and len(problems) < 200:
                problems.append(Problem(number, None, _cut(values[min(extra)]),
                                        f"has a value beyond the last named column (column {width + 1} or later)"))
            for slot, i in enumerate(keep):
                cells[slot].append(values.get(i, ""))
            rows.append(number)
            if progress and len(rows) % 10_000 == 0:
                progress(min(0.99, number / total) if total else 0.5, f"read {len(rows):,} rows")
    except xlsx.Refused as exc:
        raise _xlsx_problem(source.file_name, exc) from None
    problems += [Problem(f.row, source.header[f.column] if f.column < width else xlsx.column_letters(f.column),
                         _cut(f.formula), FORMULA_WITHOUT_VALUE) for f in formulas[:200]]
    if problems:
        raise IngestError(source.file_name, sorted(problems, key=lambda p: p.row or 0))
    table = pa.table({source.header[i]: pa.array(cells[slot], pa.string()) for slot, i in enumerate(keep)})
    return table, rows


def _parquet_file(data: bytes, file_name: str, limit: int):
    import pyarrow.parquet as pq

    # A damaged footer raises ArrowInvalid, ArrowNotImplementedError (odd integer widths) or a plain OSError
    # (thrift cannot deserialise it): what fuzzing a valid file's bytes produced.
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
    except (pa.ArrowException, OSError):
        raise _fail(file_name, "the Parquet file is damaged (its footer cannot be read)") from None
    meta = parquet.metadata
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if unpacked > MAX_UNCOMPRESSED_FACTOR * limit:
        raise _fail(file_name, f"the Parquet file unpacks to {unpacked / 2**20:,.0f} MB; refused (more than "
                               f"{MAX_UNCOMPRESSED_FACTOR} x the upload limit)")
    return parquet


def _inspect_parquet(data: bytes, file_name: str, limit: int) -> Source:
    parquet = _parquet_file(data, file_name, limit)
    schema = parquet.schema_arrow
    nested = [f for f in schema if pa.types.is_nested(f.type) or (pa.types.is_dictionary(f.type) and
              pa.types.is_nested(f.type.value_type))]
    if nested:
        raise IngestError(file_name, [Problem(None, f.name, str(f.type), "is a nested column (list, struct or map); "
                                              "only flat columns of text, numbers and dates can be loaded")
                                      for f in nested])
    binary = [f for f in schema if pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)
              or pa.types.is_fixed_size_binary(f.type) or pa.types.is_binary_view(f.type)]
    if binary:
        raise IngestError(file_name, [Problem(None, f.name, str(f.type), "holds raw bytes, not text or numbers")
                                      for f in binary])
    return Source(file_name, "parquet", len(data), clean_header(schema.names, file_name))


# --- read ----------------------------------------------------------------------------------------


def read(data: bytes, source: Source, *, columns: list[str] | None = None,
         progress: Progress | None = None) -> pd.DataFrame:
    """Every cell of the wanted columns (all when None) as text, blanks as '', with a ``_row`` column
    holding the spreadsheet row number (header = 1). Raises IngestError for malformed rows."""
    wanted = list(source.header) if columns is None else [c for c in source.header if c in set(columns)]
    rows = None  # spreadsheet row of each record; None: consecutive from 2 (no blank lines)
    if source.file_type == "csv":
        table = _read_csv(data, source, wanted, progress)
        rows = csv_record_rows(data, source, table.num_rows)
    elif source.file_type == "xlsx":
        table, rows = _read_xlsx(data, source, wanted, progress)
    else:
        table = _read_parquet(data, source, wanted, progress)
    if table.num_rows == 0:
        raise _fail(source.file_name, "the file has a header but no data rows")
    numbers = np.asarray(rows, dtype=np.int64) if rows is not None else np.arange(2, table.num_rows + 2)
    _check_cell_sizes(table, source.file_name, numbers)
    check_characters(table, source.file_name, numbers)
    frame = table.to_pandas()
    frame.insert(0, ROW, numbers)
    return frame


# --- what a cell may hold, in every file type -------------------------------------------------------

# C0 controls other than tab, line feed and carriage return, DEL, and the C1 block: never in real text,
# but a NUL or an escape sequence in a name breaks exports and terminals.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
# Bidirectional embeddings, overrides and isolates (and the marks): they reorder how text is shown, so a
# title or a name can read differently from what it is (a right-to-left override flips a briefing title).
_BIDI = "[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]"
CHARACTER_CHECKS = (  # (pattern for Arrow's RE2 and Python's re alike, reason)
    (_CONTROL, "contains a control character ({code}); remove it"),
    (_BIDI, "contains an invisible text-direction character ({code}) that changes how the text is shown; "
            "remove it"),
)


# Bytes that can start a character CHARACTER_CHECKS refuses: C0 controls but tab, LF and CR; DEL; and any
# byte >= 0x80 (C1 controls and the direction characters are multi-byte in UTF-8).
_SUSPECT_BYTE = np.ones(256, dtype=bool)
_SUSPECT_BYTE[0x20:0x7f] = False
_SUSPECT_BYTE[[0x09, 0x0a, 0x0d]] = False


def _may_hold_invisible(column: pa.ChunkedArray, piece: int = 16 << 20) -> bool:
    """A fast pre-check over the column's UTF-8 bytes: False proves no cell holds a refused character;
    True (a non-ASCII or control byte somewhere) sends the column to the exact regex check."""
    for chunk in column.chunks:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return True
        data = chunk.buffers()[2]
        if data is None:
            continue
        raw = np.frombuffer(data, dtype=np.uint8)
        for start in range(0, len(raw), piece):
            if _SUSPECT_BYTE[raw[start:start + piece]].any():
                return True
    return False


def check_characters(table: pa.Table, file_name: str, rows: np.ndarray, limit: int = 200) -> None:
    """Refuse cells holding control characters, NUL bytes or bidirectional overrides, anywhere in the
    file (not only its first 64 KB), each named by row, column and code point. One vectorised pass per
    column for both checks; only the hits are looked at in Python."""
    either = "|".join(pattern for pattern, _ in CHARACTER_CHECKS)
    problems: list[Problem] = []
    for name in table.column_names:
        column = table.column(name)
        if not _may_hold_invisible(column):
            continue  # the usual case: a byte scan, no regex
        hits = pc.fill_null(pc.match_substring_regex(column, either), False)
        if not pc.any(hits).as_py():
            continue
        for index in np.flatnonzero(hits.to_numpy(zero_copy_only=False))[:limit]:
            value = column[int(index)].as_py()
            for pattern, reason in CHARACTER_CHECKS:
                found = re.search(pattern, value)
                if found:
                    shown = value.encode("unicode_escape").decode("ascii")
                    problems.append(Problem(int(rows[index]), name, _cut(shown),
                                            reason.format(code=f"U+{ord(found.group()):04X}")))
                    break
    if problems:
        raise IngestError(file_name, sorted(problems, key=lambda p: (p.row, p.column or ""))[:limit])


# --- row numbers -----------------------------------------------------------------------------------

_BLANK_LINE_INSIDE = re.compile(rb"\n\r?\n[^\r\n]")


def csv_record_rows(data: bytes, source: Source, records: int) -> list[int] | None:
    """The spreadsheet row of each data record, counting blank lines as a spreadsheet does (pyarrow skips
    them). None when the file has no blank line before its last record (the common case: rows 2, 3...).
    A quoted cell spanning lines stays one row, as in a spreadsheet."""
    if source.encoding == "utf-16":
        data = data.decode("utf-16").encode("utf-8")
    if not _BLANK_LINE_INSIDE.search(data):
        return None
    text = data.decode("utf-8" if source.encoding in ("utf-8", "utf-8-sig", "utf-16") else source.encoding or "utf-8",
                       errors="replace").lstrip("\ufeff")
    rows = [number for number, record in enumerate(csv.reader(io.StringIO(text, newline=""),
                                                              delimiter=source.delimiter or ","), start=1)
            if record and number > 1]
    return rows if len(rows) == records else None  # cannot happen for a file pyarrow read; never guess


def _read_csv(data: bytes, source: Source, wanted: list[str], progress: Progress | None) -> pa.Table:
    if source.encoding == "utf-16":
        data = data.decode("utf-16").encode("utf-8")  # rare: Excel's "Unicode text"; transcode once
        encoding = "utf8"
    else:
        encoding = "utf8" if source.encoding in ("utf-8", "utf-8-sig") else source.encoding or "utf8"
    options = dict(
        read_options=pa_csv.ReadOptions(column_names=list(source.header), skip_rows=1, encoding=encoding,
                                        block_size=_BLOCK_SIZE),
        # a row with too few or too many cells makes pyarrow raise; diagnose_csv then names each one
        parse_options=pa_csv.ParseOptions(delimiter=source.delimiter, newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(include_columns=wanted,
                                              column_types={c: pa.string() for c in wanted},
                                              strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    batches = []
    try:
        reader = pa_csv.open_csv(io.BytesIO(data), **options)
        done, row_bytes = 0, _avg_row_bytes(data)
        for batch in reader:
            batches.append(batch)
            done += batch.num_rows
            if progress:
                # Bytes are not exposed per batch: estimate from the average row length in the sample.
                progress(min(0.99, done * row_bytes / max(len(data), 1)), f"read {done:,} rows")
        table = pa.Table.from_batches(batches, schema=reader.schema)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise IngestError(source.file_name, diagnose_csv(data, source) or [
            Problem(None, None, None, _arrow_reason(str(exc)))]) from None
    return table


def _avg_row_bytes(data: bytes) -> float:
    sample = data[:_SAMPLE]
    return len(sample) / max(sample.count(b"\n"), 1)


def _arrow_reason(message: str) -> str:
    if "straddling" in message:
        return (f"a row is longer than {_BLOCK_SIZE >> 20} MB: probably a huge cell or a quote that is never "
                "closed")
    return "the file cannot be read as CSV: " + message.splitlines()[0][:200]


def diagnose_csv(data: bytes, source: Source, limit: int = 200) -> list[Problem]:
    """Re-read a broken CSV with Python's csv module to name each bad row: wrong cell count,
    a stray quote, or a quote that is never closed."""
    encoding = "utf-16" if source.encoding == "utf-16" else source.encoding or "utf-8"
    text = data.decode(encoding, errors="replace").lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=source.delimiter or ",", strict=True)
    width = len(source.header)
    problems: list[Problem] = []
    row, line_end = 0, 0
    try:
        for record in reader:
            row += 1
            line_start, line_end = line_end + 1, reader.line_num
            if row == 1 or record == []:
                continue
            if len(record) != width:
                lines = f"line {line_start}" if line_start == line_end else f"lines {line_start}-{line_end}"
                problems.append(Problem(row, None, _cut((source.delimiter or ",").join(record)),
                                        f"has {len(record)} cells but the header has {width} ({lines}); "
                                        "check for a missing or extra delimiter or an unquoted delimiter in a cell"))
                if len(problems) >= limit:
                    break
    except csv.Error as exc:
        if "end of data" in str(exc):
            reason = (f"a quoted cell opened on line {line_end + 1} is never closed: add the closing "
                      "quote (\") or double the quote inside the cell")
        else:
            reason = (f"a quote inside a cell on line {reader.line_num} is not doubled ({exc}); write \"\" for a "
                      "quote inside a quoted cell")
        problems.append(Problem(row + 1, None, None, reason))
    return problems


def _cut(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _check_cell_sizes(table: pa.Table, file_name: str, rows: np.ndarray) -> None:
    """A cell longer than Excel allows is a broken export (or an attack), never data."""
    for name in table.column_names:
        column = table.column(name)
        if column.num_chunks == 0 or len(column) == 0:
            continue
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py() or 0
        if longest > MAX_CELL_CHARS:
            index = pc.index(lengths, longest).as_py()
            raise _fail(file_name, f"the cell holds {longest:,} characters; the most accepted is "
                                   f"{MAX_CELL_CHARS:,} (Excel's cell limit)", row=int(rows[index]), column=name,
                        value=_cut(column[index].as_py(), 40))


def _read_parquet(data: bytes, source: Source, wanted: list[str], progress: Progress | None) -> pa.Table:
    parquet = _parquet_file(data, source.file_name, max(len(data), max_upload_bytes()))
    groups = parquet.metadata.num_row_groups
    parts = []
    deadline = time.monotonic() + xlsx.max_seconds()
    for i in range(groups):
        if time.monotonic() > deadline:  # memory is bounded by the unpacked-size check, time here
            raise _fail(source.file_name, f"reading the Parquet file took more than {xlsx.max_seconds():.0f} s "
                                          f"(row group {i + 1} of {groups}); save it as CSV or in fewer row groups")
        try:
            part = parquet.read_row_group(i, columns=wanted)
        except (pa.ArrowException, OSError, ValueError) as exc:  # a damaged page or an unsupported encoding
            raise _fail(source.file_name, f"row group {i + 1} of the Parquet file cannot be read "
                                          f"({type(exc).__name__}); write the file again or save it as CSV") from None
        parts.append(pa.table({name: _parquet_text(part.column(name), name, source.file_name) for name in wanted}))
        if progress:
            progress((i + 1) / max(groups, 1), f"read {sum(p.num_rows for p in parts):,} rows")
    if not parts:
        return pa.table({name: pa.array([], pa.string()) for name in wanted})
    return pa.concat_tables(parts)


def _parquet_text(column: pa.ChunkedArray, name: str, file_name: str) -> pa.ChunkedArray:
    """A Parquet column as text, or a message naming the column and its type (durations, intervals...)."""
    try:
        return _as_text(column)
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        raise _fail(file_name, "this column's type cannot be read as text, numbers or dates",
                    column=name, value=str(column.type)) from None


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Any flat Arrow column as text, nulls as ''; timestamps at midnight as plain dates."""
    if pa.types.is_timestamp(column.type):
        text = pc.strftime(column, format="%Y-%m-%d %H:%M:%S")
        text = pc.replace_substring_regex(text, pattern=" 00:00:00$", replacement="")
    else:
        text = pc.cast(column, pa.string())
    return pc.fill_null(text, "")


def read_csv_text(data: bytes, *, encoding: str = "utf-8-sig", sep: str = ",") -> pd.DataFrame:
    """Every cell as text (no type guessing: the adapters decide), blanks as ''. Used for the shipped
    default files, which are known to be well-formed."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding=encoding, sep=sep)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.insert(0, ROW, range(2, len(frame) + 2))
    return frame
