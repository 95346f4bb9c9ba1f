"""One module per source format. Each exposes FORMAT, a Format with detect() and parse(); the observatory's
own templates also expose TEMPLATE, the columns an analyst can map a file onto and download as an example.
The registry of formats, in detection order, is dashboard.ingest.registry."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import pandas as pd

from dashboard.ingest.model import Parsed, Problem
from dashboard.ingest.validate import ROW


@dataclass(frozen=True)
class Format:
    name: str  # stable id stored in the catalog, e.g. "ucdp_ged"
    label: str  # what the analyst sees
    kind: str  # dataset kind: events, content_metrics, complaints, figures
    detect: Callable[[list[str]], bool]  # header (column names) -> is it this format?
    parse: Callable[[pd.DataFrame], Parsed]  # text frame with _row -> rows for the fact table
    required: frozenset[str] = frozenset()  # lower-case header names the format cannot do without
    # Lower-case names of the columns parse() reads; None = all. The reader skips the others, so a
    # million-row ACLED file never holds its long `notes` column in memory.
    columns: frozenset[str] | None = None
    source: str = ""  # default "source" for the catalog (the analyst may change it)
    licence: str = ""  # default licence text for the catalog
    living: str | None = None  # rows replace earlier versions by source event id (see load.refresh_living)
    essential: frozenset[str] | None = None  # columns a row cannot do without; default: required

    def result(self, source: pd.DataFrame, rows: pd.DataFrame, problems: list[Problem],
               rows_read: int | None = None) -> Parsed:
        """Package an adapter's output, keeping each row's spreadsheet row number beside it."""
        rows.insert(0, ROW, source.loc[rows.index, ROW] if len(rows) else [])
        return Parsed(self.name, self.kind, rows, problems, rows_read=len(source) if rows_read is None else rows_read,
                      essential=self.required if self.essential is None else self.essential)


def lower_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Header names trimmed and lower case (ACLED exports come in both cases); _row kept."""
    return frame.rename(columns={c: c.strip().lower() for c in frame.columns if c != ROW})


def has_columns(columns: list[str], required: AbstractSet[str]) -> bool:
    """Header test that ignores case and surrounding spaces."""
    present = {c.strip().lower() for c in columns}
    return required <= present


@dataclass(frozen=True)
class Field:
    """One column of an observatory template: what the mapping step offers and checks, and the example."""

    name: str
    values: str = "any"  # what a file column's values must be to be guessed for it: text, count, number, date, any
    required: bool = False  # a mapping must fill it
    example: str | None = None  # the downloadable template's example cell; None: a mapping-only column
    synonyms: tuple[str, ...] = ()  # other names sources give it, compared as alias keys
    bounds: tuple[float, float] | None = None  # numbers must lie within (latitude, year, ...)


@dataclass(frozen=True)
class Template:
    """An observatory template: the format that reads it, its download label and its columns in order."""

    format: Format
    download: str  # the download button's label
    fields: tuple[Field, ...]
    # Reads a mapped file with the mapping step's d/m date order (see dashboard.ingest.dates); None: the
    # template has no ambiguous dates and a mapped file is read by format.parse.
    parse_dated: Callable[[pd.DataFrame, str], Parsed] | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        """Every column a mapping may fill."""
        return tuple(f.name for f in self.fields)

    @property
    def download_columns(self) -> tuple[str, ...]:
        """The columns of the downloadable template (mapping-only columns such as year are left out)."""
        return tuple(f.name for f in self.fields if f.example is not None)

    @property
    def required(self) -> frozenset[str]:
        """What a mapping must fill."""
        return frozenset(f.name for f in self.fields if f.required)

    def example(self) -> dict[str, str]:
        """One example row, plainly an example, in column order."""
        return {f.name: f.example for f in self.fields if f.example is not None}

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)
