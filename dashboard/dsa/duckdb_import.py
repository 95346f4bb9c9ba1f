"""The DuckDB importer of daily dumps: the shared aggregation (queries/dsa/statements_aggregate.sql) run on
each inner zip's CSV parts (or the Parquet file), and the partial counts added up per day.

Counts are additive (every statement is in exactly one part), so the sum of the per-inner-zip aggregates is
the day's aggregate; the Spark job runs the same SQL on the whole day at once and gets the same rows.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dashboard import db
from dashboard.dsa.layout import Dump, staged_parts

KEYS = ["platform", "policy_area", "metric", "breakdown", "period_start", "period_end", "period_label", "market",
        "unit"]
COLUMNS = ["platform", "policy_area", "metric", "breakdown", "period_start", "period_end", "period_label", "market",
           "value", "unit"]


def aggregate_files(files: list[Path], *, parquet: bool = False, threads: int | None = None) -> pd.DataFrame:
    """The shared aggregation over some CSV parts (or Parquet files) of one dump, in a fresh in-memory DuckDB."""
    con = db.connect(":memory:")
    try:
        if threads:
            con.execute("set threads = " + str(int(threads)))
        with con.cursor() as cur:
            db.register_files(cur, "dsa_parts", [str(f) for f in files], parquet=parquet)
            columns = db.relation_columns(cur, "dsa_parts")
            db.execute(cur, "dsa/statements_full" if "territorial_scope" in columns else "dsa/statements_light")
            return db.execute(cur, "dsa/statements_aggregate").df()
    finally:
        con.close()


def aggregate_dump(dump: Dump, *, staging: Path | None = None, threads: int | None = None,
                   progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """One day's aggregate; raises layout.BadDumpError (naming the file) for a truncated or corrupt zip."""
    if dump.kind == "parquet":
        return normalise(aggregate_files([dump.path], parquet=True, threads=threads))
    partials = []
    with tempfile.TemporaryDirectory(dir=staging) as tmp:
        for inner, parts in staged_parts(dump, Path(tmp)):
            partials.append(aggregate_files(parts, threads=threads))
            if progress:
                progress(f"{dump.name}: {inner} counted")
    return normalise(sum_partials(partials))


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
