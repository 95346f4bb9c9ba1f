"""Plain data types shared by the importers."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# Columns each fact table accepts from an importer (dataset_id is added by the loader).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "incidents": (
        "source_event_id", "source_updated_at", "event_date", "date_precision", "country", "region",
        "region_raw", "district", "location", "latitude", "longitude", "group_name", "group_raw",
        "event_type", "sub_event_type", "events", "killed", "injured",
    ),
    "content_metrics": (
        "platform", "policy_area", "metric", "breakdown", "period_start", "period_end", "period_label",
        "market", "value", "unit",
    ),
    "complaints": (
        "complaint_id", "platform", "category", "group_name", "region", "submitted_at", "resolved_at",
        "outcome", "items",
    ),
    "published_figures": (
        "figure_id", "source", "source_kind", "publication", "published_on", "period_start", "period_end",
        "period_label", "country", "region", "group_name", "platform", "metric", "value", "unit",
        "definition", "citation_url", "confidence", "note", "value_kind",
    ),
}

# Dataset kind (catalog) -> fact table.
KIND_TABLE = {
    "events": "incidents",
    "content_metrics": "content_metrics",
    "complaints": "complaints",
    "figures": "published_figures",
}


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
