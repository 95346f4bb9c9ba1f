"""Harmonise names and load a parsed dataset in one transaction: all rows and its catalog row, or nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping

import pandas as pd

from dashboard import db
from dashboard.ingest.harmonise import harmonise, other_country_rows
from dashboard.ingest.model import DatasetMeta, IngestError, LoadOptions, Parsed, Problem, blankable, blocking
from dashboard.ingest.names import AliasTable, alias_key, alias_tables
from dashboard.ingest.reader import Progress
from dashboard.ingest.spec import ENTITIES, table_for
from dashboard.ingest.validate import ROW


class DuplicateDatasetError(IngestError):
    """The same bytes were loaded before (and the dataset is still in the catalog)."""


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


def check_aliases(tables: dict[str, AliasTable], mappings: Mapping[str, Mapping[str, str]]) -> None:
    """An analyst's mapping must point at a canonical name, never at another raw spelling."""
    for entity, mapping in mappings.items():
        wrong = sorted(target for target in mapping.values() if target not in tables[entity].canonical)
        if wrong:
            raise ValueError(f"not canonical {entity} names: {wrong}")


def save_aliases(cur: db.Connection, mappings: Mapping[str, Mapping[str, str]]) -> int:
    """Record the analyst's mappings (raw spelling -> canonical name) as aliases; run inside a transaction."""
    saved = 0
    for entity, mapping in mappings.items():
        spec = ENTITIES[entity]
        for raw, canonical in mapping.items():
            if alias_key(raw) and raw != canonical:
                db.execute(cur, spec.alias_statement, alias_key=alias_key(raw), alias=raw, **{spec.column: canonical})
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


def load(con: db.Connection, meta: DatasetMeta, parsed: Parsed, options: LoadOptions | None = None, *,
         progress: Progress | None = None, before_commit: Callable[[db.Connection, int], None] | None = None) -> int:
    """Load one dataset in a single transaction and return its id.

    Raises IngestError (problems found, nothing written) or DuplicateDatasetError. ``options`` holds the
    analyst's choices (see LoadOptions): with ``allow_partial`` only the rows without problems load and the
    rejected count and the choice are recorded in the catalog; ``extra_aliases`` are the analyst's name
    mappings, stored as aliases in the same transaction with ``save_mappings``; ``retract_ids`` retracts
    earlier datasets in the same transaction (a full ACLED export replacing an older one: events it no
    longer holds were deleted); ``other_countries`` keeps rows of countries the reference regions do not
    know under their country ("keep", never merged into our regions) or leaves them out ("leave_out",
    counted in the catalog note); ``blank_optional`` keeps rows whose only problems are invalid optional
    cells (already blank in the parsed rows), each listed in the report (see blankable()).
    Living series (meta.living_key) show the newest version of each event.
    ``before_commit(cursor, dataset_id)`` runs last inside the transaction (the audit record).
    """
    options = options or LoadOptions()
    step = progress or (lambda share, text: None)
    table = table_for(parsed.kind)
    tables = alias_tables(con)
    check_aliases(tables, options.extra_aliases)
    if options.other_countries not in ("keep", "leave_out"):
        raise ValueError(options.other_countries)
    harmonised = harmonise(parsed, tables, options.extra_aliases)
    frame = rows_to_load(parsed, harmonised.frame, options.allow_partial, options.blank_optional)
    left_out = 0
    if options.other_countries == "leave_out" and table.home_countries:
        abroad = other_country_rows(frame, tables["region"])
        left_out = int(abroad.sum())
        frame = frame[~abroad]
    if frame.empty:
        raise IngestError(meta.file_name, [Problem(None, None, None, "no rows to load")])
    staging = frame[[c for c in table.column_names if c in frame.columns]]
    skipped = {p.row for p in blocking(parsed, options.blank_optional)}
    rejected = len(skipped) if options.allow_partial else 0
    blanked = sum(1 for p in parsed.problems if options.blank_optional and blankable(p, parsed.essential)
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
            dataset_id = int(db.execute(
                cur, "load/insert_dataset", name=meta.name, kind=meta.kind, source=meta.source,
                licence=meta.licence, attribution=meta.attribution, is_synthetic=meta.is_synthetic,
                format=meta.format, file_name=meta.file_name, sha256=meta.sha256, row_count=len(staging),
                rows_rejected=rejected, loaded_by=meta.loaded_by, notes=partial_note(meta, rejected, blanked, left_out),
                living_key=meta.living_key,
            ).fetchall()[0][0])
            step(0.15, f"writing {len(staging):,} rows")
            cur.register("staging", staging)
            db.execute(cur, table.insert, dataset_id=dataset_id)
            cur.unregister("staging")
            for old in options.retract_ids:
                db.execute(cur, "load/set_dataset_status", dataset_id=int(old), status="retracted")
            if meta.living_key and (options.retract_ids
                                    or _series_has_other_datasets(cur, meta.living_key, dataset_id)):
                step(0.7, "keeping the newest version of each event")
                refresh_living_series(cur, meta.living_key)
            elif table.rollups:
                step(0.7, "updating the rollups")
                refresh_derived(cur, dataset_id, parsed.kind)
            if options.save_mappings and options.extra_aliases:
                save_aliases(cur, options.extra_aliases)
            dates = pd.to_datetime(staging[table.coverage]).dropna()
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
    with contextlib.suppress(db.DatabaseError):
        cur.execute("rollback")


def refresh_derived(cur: db.Connection, dataset_id: int, kind: str = "events") -> None:
    """Recompute the rollups of one dataset of this kind (an events dataset's monthly cells, a complaint log's
    daily cells and time-to-action histogram), inside the caller's transaction."""
    for delete, insert in table_for(kind).rollups:
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
