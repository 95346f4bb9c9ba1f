"""Harmonise names and load a parsed dataset in one transaction: all rows and its catalog row, or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from dashboard import db
from dashboard.ingest.model import (
    KIND_TABLE,
    TABLE_COLUMNS,
    DatasetMeta,
    IngestError,
    Parsed,
    Problem,
    blankable,
)
from dashboard.ingest.names import AliasTable, abroad_name, alias_key, home_rows, load_alias_table
from dashboard.ingest.reader import Progress
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
        if entity == "region" and table == "incidents":
            frame[column], missing = harmonise_regions(frame, source, tables["region"], (extra or {}).get("region", {}))
            if missing:
                unknown[entity] = missing
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


def harmonise_regions(frame: pd.DataFrame, source: str, table: AliasTable, own: dict[str, str]
                      ) -> tuple[pd.Series, list[str]]:
    """Canonical regions, matched only within the countries of the reference regions: a row of another
    country keeps its own region under its country's name ('Punjab (India)'), so it can never be counted
    in one of our provinces (map, province charts)."""
    home = home_rows(frame["country"] if "country" in frame else None, table)
    raw = frame[source]
    inside = raw.where(home, None) if not isinstance(home, bool) else raw
    mapped, missing = table.map_series(inside)
    if own:
        mapped = mapped.where(~inside.isin(own.keys()), inside.map(own))
        missing = [name for name in missing if name not in own]
    if not isinstance(home, bool) and not home.all():
        pairs = pd.DataFrame({"raw": raw, "country": frame["country"]})[~home]
        distinct = {key: abroad_name(*key) for key in pairs.drop_duplicates().itertuples(index=False, name=None)}
        abroad = pd.Series([distinct[key] for key in pairs.itertuples(index=False, name=None)], index=pairs.index)
        mapped = mapped.where(home, abroad)
    return mapped, missing


def other_country_rows(frame: pd.DataFrame, table: AliasTable) -> pd.Series:
    """True for the rows of countries the reference regions do not know (reported, kept or left out)."""
    home = home_rows(frame["country"] if "country" in frame else None, table)
    return pd.Series(False, index=frame.index) if isinstance(home, bool) else ~home


def alias_tables(con: db.Connection) -> dict[str, AliasTable]:
    return {entity: load_alias_table(con, entity) for entity in ("region", "group", "platform")}


def blocking(parsed: Parsed, blank_optional: bool) -> list[Problem]:
    """The problems that keep a row out: all of them, or with ``blank_optional`` those a blank cannot fix."""
    if not blank_optional:
        return parsed.problems
    return [p for p in parsed.problems if not blankable(p, parsed.essential)]


def rows_to_load(parsed: Parsed, frame: pd.DataFrame, allow_partial: bool, blank_optional: bool = False
                 ) -> pd.DataFrame:
    """All rows when the file is clean; the rows without problems when the analyst chose so. With
    ``blank_optional`` a row whose only problems are invalid optional cells is kept with those cells blank
    (the parsed rows already hold them as missing)."""
    hard = blocking(parsed, blank_optional)
    if not hard:
        return frame
    if not allow_partial or any(p.row is None for p in hard):
        raise IngestError(parsed.format, parsed.problems)
    bad_rows = {p.row for p in hard}
    return frame[~frame[ROW].isin(bad_rows)]


ALIAS_STATEMENT = {"region": ("load/insert_region_alias", "region"), "group": ("load/insert_group_alias", "group_name"),
                   "platform": ("load/insert_platform_alias", "platform")}


def check_aliases(tables: dict[str, AliasTable], mappings: dict[str, dict[str, str]]) -> None:
    """An analyst's mapping must point at a canonical name, never at another raw spelling."""
    for entity, mapping in mappings.items():
        wrong = sorted(target for target in mapping.values() if target not in tables[entity].canonical)
        if wrong:
            raise ValueError(f"not canonical {entity} names: {wrong}")


def save_aliases(cur: db.Connection, mappings: dict[str, dict[str, str]]) -> int:
    """Record the analyst's mappings (raw spelling -> canonical name) as aliases; run inside a transaction."""
    saved = 0
    for entity, mapping in mappings.items():
        statement, parameter = ALIAS_STATEMENT[entity]
        for raw, canonical in mapping.items():
            if alias_key(raw) and raw != canonical:
                db.execute(cur, statement, alias_key=alias_key(raw), alias=raw, **{parameter: canonical})
                saved += 1
    return saved


def partial_note(meta: DatasetMeta, rejected: int, blanked: int = 0, left_out: int = 0) -> str | None:
    """The catalog note, plus a sentence for each explicit choice: rows skipped, cells blanked, rows of other
    countries left out."""
    choices = []
    if rejected:
        choices.append(f"Loaded only the valid rows: {rejected:,} rows with problems were skipped at the "
                       "analyst's explicit choice.")
    if blanked:
        choices.append(f"{blanked:,} invalid optional cells were left blank and their rows kept, at the analyst's "
                       "explicit choice (listed in the validation report).")
    if left_out:
        choices.append(f"{left_out:,} rows of countries outside the reference tables were left out at the "
                       "analyst's choice.")
    return " ".join(filter(None, [meta.notes, *choices])) or None


def load(con: db.Connection, meta: DatasetMeta, parsed: Parsed, *, allow_partial: bool = False,
         extra_aliases: dict[str, dict[str, str]] | None = None, save_mappings: bool = False,
         retract_ids: tuple[int, ...] = (), progress: Progress | None = None,
         before_commit: Callable[[db.Connection, int], None] | None = None, other_countries: str = "keep",
         blank_optional: bool = False) -> int:
    """Load one dataset in a single transaction and return its id.

    Raises IngestError (problems found, nothing written) or DuplicateDatasetError.
    ``allow_partial`` loads only the rows without problems and records the rejected count and the
    choice in the catalog. ``extra_aliases`` are the analyst's name mappings (entity -> raw -> canonical);
    with ``save_mappings`` they are stored as aliases in the same transaction. ``retract_ids`` retracts
    earlier datasets in the same transaction (a full ACLED export replacing an older one: events it no
    longer holds were deleted). Living series (meta.living_key) show the newest version of each event.
    ``before_commit(cursor, dataset_id)`` runs last inside the transaction (the audit record).
    ``other_countries``: rows of countries the reference regions do not know are kept under their country
    ("keep", never merged into our regions) or left out ("leave_out", counted in the catalog note).
    ``blank_optional`` keeps rows whose only problems are invalid optional cells (already blank in the
    parsed rows), each listed in the report; see blankable().
    """
    step = progress or (lambda share, text: None)
    table = KIND_TABLE[parsed.kind]
    tables = alias_tables(con)
    check_aliases(tables, extra_aliases or {})
    if other_countries not in ("keep", "leave_out"):
        raise ValueError(other_countries)
    harmonised = harmonise(parsed, tables, extra_aliases)
    frame = rows_to_load(parsed, harmonised.frame, allow_partial, blank_optional)
    left_out = 0
    if other_countries == "leave_out" and table == "incidents":
        abroad = other_country_rows(frame, tables["region"])
        left_out = int(abroad.sum())
        frame = frame[~abroad]
    if frame.empty:
        raise IngestError(meta.file_name, [Problem(None, None, None, "no rows to load")])
    staging = frame[[c for c in TABLE_COLUMNS[table] if c in frame.columns]]
    rejected = len({p.row for p in blocking(parsed, blank_optional)}) if allow_partial else 0
    skipped = {p.row for p in blocking(parsed, blank_optional)}
    blanked = sum(1 for p in parsed.problems if blank_optional and blankable(p, parsed.essential)
                  and p.row not in skipped)  # cells of rows that are loaded, not of rows skipped anyway
    with con.cursor() as cur:
        cur.execute("begin transaction")
        try:
            step(0.05, "checking the catalog")
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
                rows_rejected=rejected, loaded_by=meta.loaded_by, notes=partial_note(meta, rejected, blanked, left_out),
                living_key=meta.living_key,
            ).fetchone()[0]
            step(0.15, f"writing {len(staging):,} rows")
            cur.register("staging", staging)
            db.execute(cur, INSERT_STATEMENT[table], dataset_id=dataset_id)
            cur.unregister("staging")
            for old in retract_ids:
                db.execute(cur, "load/set_dataset_status", dataset_id=int(old), status="retracted")
            if meta.living_key and (retract_ids or _series_has_other_datasets(cur, meta.living_key, dataset_id)):
                step(0.7, "keeping the newest version of each event")
                refresh_living_series(cur, meta.living_key)
            elif table in ("incidents", "complaints"):
                step(0.7, "updating the rollups")
                refresh_derived(cur, dataset_id)
            if save_mappings and extra_aliases:
                save_aliases(cur, extra_aliases)
            dates = pd.to_datetime(staging[COVERAGE_COLUMN[table]]).dropna()
            db.execute(cur, "load/set_coverage", dataset_id=dataset_id,
                       coverage_start=dates.min().date() if len(dates) else None,
                       coverage_end=dates.max().date() if len(dates) else None)
            if before_commit is not None:
                before_commit(cur, dataset_id)
            db.bump_data_version(cur)
            step(0.9, "committing")
            cur.execute("commit")
        except BaseException:
            _rollback(cur)
            raise
    step(1.0, "loaded")
    return dataset_id


def _rollback(cur: db.Connection) -> None:
    """Roll back after a failure. When the failure was the commit itself (disk full, file gone) DuckDB may
    have closed the database, and the rollback fails too: the original error is the one to report."""
    try:
        cur.execute("rollback")
    except db.DatabaseError:
        pass


ROLLUP_STATEMENTS = (
    ("load/delete_incident_cells", "load/insert_incident_cells"),
    ("load/delete_incident_district_cells", "load/insert_incident_district_cells"),
    # complaint logs (schema/007); each statement touches only its own dataset's rows, so one list serves both kinds
    ("load/delete_complaint_cells", "load/insert_complaint_cells"),
    ("load/delete_complaint_hours", "load/insert_complaint_hours"),
    ("load/delete_complaint_pending", "load/insert_complaint_pending"),
)


def refresh_derived(cur: db.Connection, dataset_id: int) -> None:
    """Recompute the rollups of one events dataset or complaint log (inside the caller's transaction)."""
    for delete, insert in ROLLUP_STATEMENTS:
        db.execute(cur, delete, dataset_id=dataset_id)
        db.execute(cur, insert, dataset_id=dataset_id)


def refresh_living_series(cur: db.Connection, living_key: str) -> None:
    """Work out the current version of each event of a living series again, and the rollups of every
    dataset in it (a newer upload or a retract moves rows in and out of the current view)."""
    db.execute(cur, "load/refresh_living", living_key=living_key)
    for row in db.execute(cur, "load/datasets_living", living_key=living_key).fetchall():
        refresh_derived(cur, row[0])


def _series_has_other_datasets(cur: db.Connection, living_key: str, dataset_id: int) -> bool:
    """The first dataset of a living series needs no refresh: its rows are all current (ids are unique)."""
    rows = db.execute(cur, "load/datasets_living", living_key=living_key).fetchall()
    return any(row[0] != dataset_id for row in rows)


def living_overlap(con: db.Connection, living_key: str, frame: pd.DataFrame) -> dict[str, int]:
    """How an upload's events compare with the loaded ones of the same living series (for the preview):
    new, newer (will replace), same, older (stays hidden) and absent (loaded before, not in this file)."""
    staging = frame[["source_event_id", "source_updated_at"]]
    with con.cursor() as cur:
        cur.register("staging", staging)
        row = db.execute(cur, "load/living_overlap", living_key=living_key).fetchall()[0]
        cur.unregister("staging")
    keys = ("new_events", "newer_events", "same_events", "older_events", "absent_events")
    return dict(zip(keys, (int(x or 0) for x in row), strict=False))


def set_status(con: db.Connection, dataset_id: int, status: str,
               before_commit: Callable[[db.Connection, int], None] | None = None) -> None:
    """Retract ('retracted') or restore ('active') a dataset; bumps the data version. For a living series
    the current version of each event is worked out again (retracting an update shows the older one)."""
    if status not in ("active", "retracted"):
        raise ValueError(status)
    with con.cursor() as cur:
        cur.execute("begin transaction")
        try:
            found = db.execute(cur, "load/dataset_by_id", dataset_id=dataset_id).fetchall()
            if not found:
                raise KeyError(f"no dataset {dataset_id}")
            db.execute(cur, "load/set_dataset_status", dataset_id=dataset_id, status=status)
            living_key = found[0][4]
            if living_key:
                refresh_living_series(cur, living_key)
            if before_commit is not None:
                before_commit(cur, dataset_id)
            db.bump_data_version(cur)
            cur.execute("commit")
        except BaseException:
            _rollback(cur)
            raise
