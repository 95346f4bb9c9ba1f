"""The DuckDB importer of daily dumps: the shared aggregation (queries/dsa/statements_aggregate.sql) run on
each inner zip's CSV parts (or the Parquet file), and the partial counts added up per day.

Counts are additive (every statement is in exactly one part), so the sum of the per-inner-zip aggregates is
the day's aggregate; the Spark job runs the same SQL on the whole day at once and gets the same rows.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dashboard import db
from dashboard.dsa.layout import BadDumpError, DayResult, Dump, find_dumps, staged_parts, view_query, write_manifest

KEYS = ["platform", "policy_area", "metric", "breakdown", "period_start", "period_end", "period_label", "market",
        "unit"]
TERRORIST_AREA = "Terrorist content (keyword)"  # counted again beside its category: not added to the total
COLUMNS = ["platform", "policy_area", "metric", "breakdown", "period_start", "period_end", "period_label", "market",
           "value", "unit"]


def aggregate_files(files: list[Path], *, parquet: bool = False, threads: int | None = None) -> pd.DataFrame:
    """The shared aggregation over some CSV parts (or Parquet files) of one dump, in a fresh in-memory DuckDB."""
    con = db.connect(":memory:")
    try:
        if threads:
            db.execute(con, "load/set_threads", threads=int(threads))
        with con.cursor() as cur:
            columns = db.register_files(cur, "dsa_parts", [str(f) for f in files], parquet=parquet)
            db.execute(cur, view_query(columns))
            return db.execute(cur, "dsa/statements_aggregate").df()
    finally:
        con.close()


def aggregate_dump(dump: Dump, *, staging: Path | None = None, threads: int | None = None,
                   progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """One day's aggregate; raises layout.BadDumpError (naming the file) for a truncated or corrupt zip."""
    if dump.kind == "parquet":
        return normalise(_aggregate_or_report(dump.name, [dump.path], parquet=True, threads=threads))
    partials = []
    with tempfile.TemporaryDirectory(dir=staging) as tmp:
        for inner, parts in staged_parts(dump, Path(tmp)):
            partials.append(_aggregate_or_report(f"{dump.name}: {inner}", parts, threads=threads))
            if progress:
                progress(f"{dump.name}: {inner} counted")
    return normalise(sum_partials(partials))


def _aggregate_or_report(name: str, files: list[Path], **options) -> pd.DataFrame:
    """aggregate_files, with a file DuckDB cannot read (a truncated CSV part, a broken Parquet file)
    reported as a BadDumpError naming it."""
    try:
        return aggregate_files(files, **options)
    except db.DatabaseError as exc:
        raise BadDumpError(f"{name} cannot be read ({str(exc).splitlines()[0]})") from exc


def sum_partials(partials: list[pd.DataFrame]) -> pd.DataFrame:
    """Add up the per-inner-zip counts of one day."""
    frame = pd.concat(partials, ignore_index=True)
    summed = frame.groupby(KEYS, dropna=False, sort=False)["value"].sum().reset_index()
    return summed[COLUMNS]


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a fixed order and types, so two engines' results compare equal row for row."""
    out = frame[COLUMNS].copy()
    for column in ("period_start", "period_end"):
        out[column] = pd.to_datetime(out[column]).astype("datetime64[us]")
    out["value"] = out["value"].astype("float64")
    out["breakdown"] = out["breakdown"].astype(object).where(out["breakdown"].notna(), None)
    order = ["period_start", "platform", "policy_area", "breakdown"]
    return out.sort_values(order, na_position="first", kind="stable").reset_index(drop=True)


def run(input_folder: Path, output: Path, *, threads: int | None = None, staging: Path | None = None,
        progress: Callable[[str], None] = print) -> list[DayResult]:
    """The DuckDB counterpart of spark_job.run: the same per-day Parquet aggregates and manifests."""
    dumps, notes = find_dumps(input_folder)
    for note in notes:
        progress(note)
    output.mkdir(parents=True, exist_ok=True)
    results = []
    for number, dump in enumerate(dumps, start=1):
        started = time.perf_counter()
        target = output / dump.path.name.removesuffix(".zip").removesuffix(".parquet")
        try:
            frame = aggregate_dump(dump, staging=staging, threads=threads)
        except BadDumpError as exc:
            shutil.rmtree(target, ignore_errors=True)
            results.append(DayResult(dump.name, dump.day.isoformat(), False, f"skipped: {exc}"))
            progress(f"[{number}/{len(dumps)}] {dump.day} {results[-1].message}")
            continue
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        frame.to_parquet(target / "part-00000.parquet", index=False)
        statements = int(frame.loc[frame["breakdown"].isna() & (frame["policy_area"] != TERRORIST_AREA), "value"].sum())
        write_manifest(target, dump, statements, len(frame))
        seconds = time.perf_counter() - started
        results.append(DayResult(dump.name, dump.day.isoformat(), True,
                                 f"{statements:,} statements -> {len(frame):,} rows in {seconds:.1f} s", target,
                                 seconds, statements))
        progress(f"[{number}/{len(dumps)}] {dump.day} {dump.name}: {results[-1].message}")
    return results
