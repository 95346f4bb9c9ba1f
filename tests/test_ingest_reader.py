"""The reader: encodings, delimiters, XLSX (with the zip-bomb guard), Parquet, the size limit."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.ingest import reader
from dashboard.ingest.model import IngestError

ROWS = [["event_date", "region", "group", "killed"], ["2024-01-02", "Peshāwar", "TTP", "3"], ["2024-01-03", "Sindh", "", "0"]]


def csv_bytes(delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "\n".join(delimiter.join(r) for r in ROWS).replace("Peshāwar", "Peshäwar" if encoding != "utf-8" else "Peshāwar")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def read_all(data: bytes, name: str = "f.csv") -> tuple[reader.Source, pd.DataFrame]:
    source = reader.inspect(data, name)
    return source, reader.read(data, source)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(delimiter):
    source, frame = read_all(csv_bytes(delimiter))
    assert source.delimiter == delimiter and list(frame.columns) == ["_row"] + ROWS[0]
    assert frame["region"].tolist() == ["Peshāwar", "Sindh"]


@pytest.mark.parametrize("encoding, bom, expected, region", [
    ("utf-8", False, "utf-8", "Peshāwar"), ("utf-8", True, "utf-8-sig", "Peshāwar"),
    ("cp1252", False, "cp1252", "Peshäwar"), ("latin-1", False, "cp1252", "Peshäwar"),
])
def test_encodings_are_detected(encoding, bom, expected, region):
    source, frame = read_all(csv_bytes(encoding=encoding, bom=bom))
    assert source.encoding == expected and frame["region"].iloc[0] == region


def test_bytes_windows_1252_leaves_undefined_fall_back_to_latin_1():
    assert reader.detect_encoding(b"a,b\n\x81x,1\n") == "latin-1"


def test_utf16_with_bom_is_read():
    source, frame = read_all("a,b\nx,1\n".encode("utf-16"))
    assert source.encoding == "utf-16" and frame["a"].tolist() == ["x"]


def test_quoted_newlines_and_delimiters_stay_inside_cells_and_rows_count_records():
    _, frame = read_all(b'a,b\n"line 1\nline 2","x, y"\nz,w\n')
    assert frame["a"].tolist() == ["line 1\nline 2", "z"] and frame["_row"].tolist() == [2, 3]


def test_only_the_wanted_columns_are_read():
    data = csv_bytes()
    frame = reader.read(data, reader.inspect(data, "f.csv"), columns=["region"])
    assert list(frame.columns) == ["_row", "region"]


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_become_the_text_a_csv_would_hold():
    import datetime as dt

    data = xlsx_bytes([ROWS[0], [dt.datetime(2024, 1, 2), "Sindh", "TTP", 3.0], [dt.date(2024, 1, 3), "KP", None, 0]])
    source, frame = read_all(data, "f.xlsx")
    assert source.file_type == "xlsx"
    assert frame[["event_date", "killed", "group"]].values.tolist() == [["2024-01-02", "3", "TTP"], ["2024-01-03", "0", ""]]


def test_xlsx_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 << 20))
    with pytest.raises(IngestError, match="zip bomb"):
        reader.inspect(buffer.getvalue(), "bomb.xlsx")


def test_parquet_columns_of_any_flat_type_are_read_as_text():
    import datetime as dt

    table = pa.table({"event_date": [dt.date(2024, 1, 2)], "region": ["Sindh"], "group": [None], "killed": [3]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    source, frame = read_all(buffer.getvalue(), "f.parquet")
    assert source.file_type == "parquet"
    assert frame[["event_date", "region", "group", "killed"]].values.tolist() == [["2024-01-02", "Sindh", "", "3"]]


def test_the_operator_sets_the_size_limit(monkeypatch):
    monkeypatch.setenv("OBSERVATORY_MAX_UPLOAD_MB", "0.001")
    assert reader.max_upload_bytes() == 1048
    with pytest.raises(IngestError, match="OBSERVATORY_MAX_UPLOAD_MB"):
        reader.inspect(b"a,b\n" + b"1,2\n" * 400, "big.csv")
    monkeypatch.setenv("OBSERVATORY_MAX_UPLOAD_MB", "nonsense")
    assert reader.max_upload_bytes() == 200 * 2**20
    monkeypatch.delenv("OBSERVATORY_MAX_UPLOAD_MB")
    assert reader.max_upload_bytes() == 200 * 2**20


def test_the_default_limit_matches_the_server_upload_limit():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == reader.DEFAULT_MAX_UPLOAD_MB
