"""Plain data types shared by the importers."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd


def sha256(data: bytes) -> str:
    """A file's identity in the catalog: the same bytes are never loaded twice."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, precise enough to fix it."""

    row: int | None  # spreadsheet row number, header = 1; None for file-level problems
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = [f"row {self.row}" if self.row is not None else None,
                 f"column {self.column!r}" if self.column else None,
                 f"value {self.value!r}" if self.value is not None else None]
        return ", ".join(w for w in where if w) + (": " if any(where) else "") + self.reason


BLANK_NEVER = ("repeats", "is required")  # reasons that blanking a cell cannot fix


def blankable(problem: Problem, essential: frozenset[str]) -> bool:
    """A problem in one optional cell of a row: the cell can be left blank and the row kept."""
    return (problem.row is not None and problem.row != 1 and problem.column is not None
            and problem.column.strip().lower() not in essential
            and not problem.reason.startswith(BLANK_NEVER))


def blocking(parsed: Parsed, blank_optional: bool) -> list[Problem]:
    """The problems that keep a row out: all of them, or with ``blank_optional`` those a blank cannot fix."""
    if not blank_optional:
        return parsed.problems
    return [p for p in parsed.problems if not blankable(p, parsed.essential)]


class IngestError(ValueError):
    """A file cannot be loaded as it is; ``problems`` says exactly why."""

    def __init__(self, file_name: str, problems: list[Problem]):
        self.file_name = file_name
        self.problems = problems
        first = problems[0] if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{file_name}: {first}{more}")


@dataclass
class Parsed:
    """What an adapter made of a file: rows for one fact table, plus the problems found."""

    format: str
    kind: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    # Lower-case file columns a row cannot do without: a bad cell there drops the row; a bad cell in any
    # other column may be blanked instead, at the analyst's choice (load(blank_optional=True)).
    essential: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DatasetMeta:
    """The catalog row of a dataset, minus what the loader fills in (id, rows, loaded_at)."""

    name: str
    kind: str
    source: str
    licence: str
    attribution: str
    format: str
    file_name: str
    sha256: str
    loaded_by: str = "system"
    is_synthetic: bool = False
    notes: str | None = None
    living_key: str | None = None  # series whose rows replace earlier versions by source event id ("acled")


# What to do with rows of countries the reference regions do not know: keep them (under their country) or
# leave them out.
CountryChoice = Literal["keep", "leave_out"]


@dataclass(frozen=True)
class LoadOptions:
    """The analyst's explicit choices for one load (page, command line and tests alike); all off by default."""

    allow_partial: bool = False  # load only the rows without problems; the rejected count goes to the catalog
    blank_optional: bool = False  # keep rows whose only problems are invalid optional cells, left blank
    other_countries: CountryChoice = "keep"  # rows of countries the reference regions do not know
    extra_aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # entity -> raw -> canonical
    save_mappings: bool = False  # record extra_aliases as aliases, in the same transaction
    retract_ids: tuple[int, ...] = ()  # earlier datasets this full export replaces (retracted in the same step)
