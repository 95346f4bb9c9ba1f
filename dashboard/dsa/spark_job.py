"""The Spark job: a folder of DSA daily dumps -> one Parquet aggregate per day, shaped like content_metrics.

    python -m dashboard.dsa.spark_job --input DUMPS --output AGGREGATES [--master local[2] | spark://host:7077]
    spark-submit --master yarn --py-files dashboard.zip dashboard/dsa/spark_job.py --input ... --output ...
    (see the README, "Scaling out")

Per dump: its inner zips are staged by Spark tasks (one task per inner zip, so a day's 50 inner zips unpack
in parallel on the cluster; ``--staging`` must then be a folder every executor and the driver share), each
CSV part turned into Parquet of the ten columns the aggregation reads (every column as text; Spark's own CSV
reader parses multi-line quoted cells only file by file, on one core, and far slower), and
queries/dsa/statements_aggregate.sql, the SQL the DuckDB importer runs, counts them. A Parquet dump is read
directly. Each day is written to ``AGGREGATES/<dump name>/`` with ``_dsa.json`` (day, variant, sha256,
statements): the loader keys the day by that checksum. A truncated or corrupt zip is reported by file name
and skipped; the other days go on.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dashboard import db
from dashboard.dsa.layout import (
    BadDumpError,
    DayResult,
    Dump,
    find_dumps,
    inner_zips,
    stage_task,
    view_query,
    write_manifest,
)

TERRORIST_AREA = "Terrorist content (keyword)"  # the same statements again: not part of the day's total


def session(master: str | None = "local[2]", app: str = "observatory-dsa", **conf: str):
    """A SparkSession; tests use one local[2] session for the whole run. ``master`` None leaves it to
    spark-submit (--master yarn, spark://..., k8s://...)."""
    from pyspark.sql import SparkSession

    # executors run this interpreter (the venv's), not whatever python3 is first on the PATH
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    builder = (builder
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", conf.pop("shuffle_partitions", "4"))
               .config("spark.sql.session.timeZone", "UTC"))
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _read_errors() -> tuple[type[Exception], ...]:
    """What Spark raises for a file it cannot read (a broken Parquet dump or part)."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    return PySparkException, Py4JJavaError


def stage_dump(spark, dump: Dump, staging: Path) -> list[str]:
    """Every CSV part of a zip dump, unpacked in parallel; BadDumpError names the first bad member."""
    inners = inner_zips(dump)
    items = [(str(dump.path), inner, str(staging / Path(inner).stem)) for inner in inners]
    results = spark.sparkContext.parallelize(items, max(1, len(items))).map(stage_task).collect()
    errors = [error for _, _, error in results if error]
    if errors:
        raise BadDumpError(errors[0])
    return sorted(path for _, paths, _ in results for path in paths)


def aggregate_day(spark, dump: Dump, staging: Path):
    """The day's aggregate as a Spark DataFrame (the shared SQL over the dump's statements)."""
    if dump.kind == "parquet":
        parts = spark.read.parquet(str(dump.path))
    else:
        parts = spark.read.parquet(*stage_dump(spark, dump, staging))
    parts.createOrReplaceTempView("dsa_parts")
    spark.sql(db.query_text(view_query(parts.columns)))
    return spark.sql(db.query_text("dsa/statements_aggregate"))


def run(spark, input_folder: Path, output: Path, *, staging: Path | None = None,
        progress: Callable[[str], None] = print) -> list[DayResult]:
    """Aggregate every day of ``input_folder`` into ``output``; returns one result per dump (ok or skipped)."""
    from pyspark.sql import functions

    dumps, notes = find_dumps(input_folder)
    for note in notes:
        progress(note)
    output.mkdir(parents=True, exist_ok=True)
    results = []
    unreadable: tuple[type[Exception], ...] = (BadDumpError, *_read_errors())
    for number, dump in enumerate(dumps, start=1):
        started = time.perf_counter()
        target = output / dump.path.name.removesuffix(".zip").removesuffix(".parquet")
        with tempfile.TemporaryDirectory(dir=staging) as tmp:
            try:
                frame = aggregate_day(spark, dump, Path(tmp)).cache()
                frame.coalesce(1).write.mode("overwrite").parquet(str(target))
                totals = frame.where(functions.col("breakdown").isNull()
                                     & (functions.col("policy_area") != TERRORIST_AREA))
                statements = int(totals.agg(functions.sum("value")).collect()[0][0] or 0)
                rows = frame.count()
                frame.unpersist()
            except unreadable as exc:
                shutil.rmtree(target, ignore_errors=True)
                cause = getattr(exc, "java_exception", exc)  # py4j's own text says only which call failed
                reason = str(exc) if isinstance(exc, BadDumpError) else \
                    f"{dump.name} cannot be read ({str(cause).strip().splitlines()[0][:300]})"
                results.append(DayResult(dump.name, dump.day.isoformat(), False, f"skipped: {reason}"))
                progress(f"[{number}/{len(dumps)}] {dump.day} {results[-1].message}")
                continue
        write_manifest(target, dump, statements, rows)
        seconds = time.perf_counter() - started
        results.append(DayResult(dump.name, dump.day.isoformat(), True,
                                 f"{statements:,} statements -> {rows:,} rows in {seconds:.1f} s", target,
                                 seconds, statements))
        progress(f"[{number}/{len(dumps)}] {dump.day} {dump.name}: {results[-1].message}")
    return results


def parser() -> argparse.ArgumentParser:
    out = argparse.ArgumentParser(description="Aggregate EU DSA daily dumps with Spark.")
    out.add_argument("--input", type=Path, required=True, help="folder of sor-global-<day>-<full|light>.zip/.parquet")
    out.add_argument("--output", type=Path, required=True, help="folder for the daily Parquet aggregates")
    out.add_argument("--master", default=None,
                     help="e.g. local[2]; leave it out under spark-submit (its --master), else local[*]")
    out.add_argument("--staging", type=Path, default=None,
                     help="where inner zips are unpacked (on a cluster: a folder all nodes share)")
    return out


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    spark = session(args.master)
    try:
        results = run(spark, args.input, args.output, staging=args.staging)
    finally:
        spark.stop()
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
