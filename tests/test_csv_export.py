"""CSV downloads never carry a cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard.csv_export import neutralise, to_csv_bytes


def read_back(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("cell", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", " =HYPERLINK()", "＝1+1"])
def test_formula_like_text_is_prefixed_with_a_quote(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Balochistan", "TTP", "", "a=b", "1,099", "e-mail"])
def test_plain_text_is_unchanged(cell):
    assert neutralise(cell) == cell


def test_numbers_stay_numbers_and_text_cells_are_neutralised():
    frame = pd.DataFrame({"group": ["=cmd|' /C calc'!A0", "TTP"], "killed": [-3, 12], "=bad header": ["x", "y"]})
    rows = read_back(to_csv_bytes(frame))
    assert rows[0] == ["group", "killed", "'=bad header"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "-3", "x"]
    assert rows[2] == ["TTP", "12", "y"]


def test_missing_values_and_dates_survive():
    frame = pd.DataFrame({"when": pd.to_datetime(["2024-01-31", None]), "who": [None, "-x"]})
    rows = read_back(to_csv_bytes(frame))
    assert rows[1] == ["2024-01-31", ""] and rows[2] == ["", "'-x"]


def test_output_has_a_byte_order_mark_for_excel():
    assert to_csv_bytes(pd.DataFrame({"a": ["ک"]})).startswith(b"\xef\xbb\xbf")
