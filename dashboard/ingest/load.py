"""Harmonise names and load a parsed dataset in one transaction: all rows and its catalog row, or nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from dashboard import db
from dashboard.ingest.model import KIND_TABLE, TABLE_COLUMNS, DatasetMeta, IngestError, Parsed, Problem
from dashboard.ingest.names import AliasTable, load_alias_table
from dashboard.ingest.validate import ROW

# Which columns of each table hold names to harmonise: column -> (entity, column keeping the raw name)
NAME_COLUMNS: dict[str, dict[str, tuple[str, str | None]]] = {
    "incidents": {"region": ("region", "region_raw"), "group_name": ("group", "group_raw")},
    "complaints": {"platform": ("platform", None), "group_name": ("group", None), "region": ("region", None)},
    "content_metrics": {"platform": ("platform", None)},
    "published_figures": {"region": ("region", None), "group_name": ("group", None),
                          "platform": ("platform", None)},
}
INSERT_STATEMENT = {table: "load/insert_" + table for table in TABLE_COLUMNS}
# Date column that gives a dataset's coverage in the catalog.
COVERAGE_COLUMN = {"incidents": "event_date", "complaints": "submitted_at",
                   "content_metrics": "period_start", "published_figures": "period_end"}


class DuplicateDatasetError(IngestError):
    """The same bytes were loaded before (and the dataset is still in the catalog)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Harmonised:
    """The parsed rows with canonical names, and the names no alias table knew."""

    frame: pd.DataFrame
    unknown: dict[str, list[str]] = field(default_factory=dict)  # entity -> raw names


def harmonise(parsed: Parsed, tables: dict[str, AliasTable], extra: dict[str, dict[str, str]] | None = None
              ) -> Harmonised:
    """Map raw names to canonical ones. ``extra`` holds the analyst's own mappings (entity -> raw -> name).

    Unknown names are kept as they came (a new name) and listed so the page can offer a mapping.
    """
    table = KIND_TABLE[parsed.kind]
    frame = parsed.frame.copy()
    unknown: dict[str, list[str]] = {}
    for column, (entity, raw_column) in NAME_COLUMNS[table].items():
        source = raw_column if raw_column else column
        if source not in frame or frame[source].isna().all():
            continue
        mapped, missing = tables[entity].map_series(frame[source])
        own = (extra or {}).get(entity, {})
        if own:
            mapped = mapped.where(~frame[source].isin(own.keys()), frame[source].map(own))
            missing = [name for name in missing if name not in own]
        frame[column] = mapped
        if missing:
            unknown[entity] = missing
    return Harmonised(frame, unknown)


def alias_tables(con: db.Connection) -> dict[str, AliasTable]:
    return {entity: load_alias_table(con, entity) for entity in ("region", "group", "platform")}


def rows_to_load(parsed: Parsed, frame: pd.DataFrame, allow_partial: bool) -> pd.DataFrame:
    """All rows when the file is clean; the rows without problems when the analyst chose so."""
    if not parsed.problems:
        return frame
    if not allow_partial or any(p.row is None for p in parsed.problems):
        raise IngestError(parsed.format, parsed.problems)
    bad_rows = {p.row for p in parsed.problems}
    return frame[~frame[ROW].isin(bad_rows)]


def load(con: db.Connection, meta: DatasetMeta, parsed: Parsed, *, allow_partial: bool = False,
         extra_aliases: dict[str, dict[str, str]] | None = None) -> int:
    """Load one dataset in a single transaction and return its id.

    Raises IngestError (problems found, nothing written) or DuplicateDatasetError.
    ``allow_partial`` loads only the rows without problems and records the rejected count.
    """
    table = KIND_TABLE[parsed.kind]
    harmonised = harmonise(parsed, alias_tables(con), extra_aliases)
    frame = rows_to_load(parsed, harmonised.frame, allow_partial)
    if frame.empty:
        raise IngestError(meta.file_name, [Problem(None, None, None, "no rows to load")])
    staging = frame[[c for c in TABLE_COLUMNS[table] if c in frame.columns]]
    with con.cursor() as cur:
        cur.execute("begin transaction")
        try:
            existing = db.execute(cur, "datasets_by_sha256", sha256=meta.sha256).fetchall()
            if existing:
                raise DuplicateDatasetError(meta.file_name, [Problem(
                    None, None, None,
                    f"this exact file was loaded before as dataset {existing[0][0]} ({existing[0][1]!r}, "
                    f"{existing[0][2]}); retract or restore that one instead")])
            dataset_id = db.execute(
                cur, "load/insert_dataset", name=meta.name, kind=meta.kind, source=meta.source,
                licence=meta.licence, attribution=meta.attribution, is_synthetic=meta.is_synthetic,
                format=meta.format, file_name=meta.file_name, sha256=meta.sha256, row_count=len(staging),
                rows_rejected=len({p.row for p in parsed.problems}), loaded_by=meta.loaded_by, notes=meta.notes,
            ).fetchone()[0]
            cur.register("staging", staging)
            db.execute(cur, INSERT_STATEMENT[table], dataset_id=dataset_id)
            cur.unregister("staging")
            dates = pd.to_datetime(staging[COVERAGE_COLUMN[table]]).dropna()
            db.execute(cur, "load/set_coverage", dataset_id=dataset_id,
                       coverage_start=dates.min().date() if len(dates) else None,
                       coverage_end=dates.max().date() if len(dates) else None)
            db.bump_data_version(cur)
            cur.execute("commit")
        except BaseException:
            cur.execute("rollback")
            raise
    return dataset_id


def set_status(con: db.Connection, dataset_id: int, status: str) -> None:
    """Retract ('retracted') or restore ('active') a dataset; bumps the data version."""
    if status not in ("active", "retracted"):
        raise ValueError(status)
    with con.cursor() as cur:
        cur.execute("begin transaction")
        try:
            db.execute(cur, "load/set_dataset_status", dataset_id=dataset_id, status=status)
            db.bump_data_version(cur)
            cur.execute("commit")
        except BaseException:
            cur.execute("rollback")
            raise
