"""Read an uploaded or shipped file into a frame of text cells with spreadsheet row numbers."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.ingest.validate import ROW


def read_csv_text(data: bytes, *, encoding: str = "utf-8-sig", sep: str = ",") -> pd.DataFrame:
    """Every cell as text (no type guessing: the adapters decide), blanks as ''."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding=encoding, sep=sep)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.insert(0, ROW, range(2, len(frame) + 2))
    return frame
