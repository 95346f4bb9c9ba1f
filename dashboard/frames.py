"""Small typed helpers over pandas frames shared by the pure modules."""

from __future__ import annotations

from typing import Any

import pandas as pd


def records(frame: pd.DataFrame) -> list[Any]:
    """A frame's rows as named tuples. Their fields are typed Any, as the frame's cells are: pandas-stubs
    types them as the union of every scalar, which no caller can use without a cast at each field."""
    return list(frame.itertuples())
