"""One command: aggregate a folder of DSA daily dumps and load each day into the observatory database.

    python -m dashboard.dsa --input DUMPS [--engine spark|duckdb] [--master local[2]] [--output AGGREGATES]
    python -m dashboard.dsa --aggregates AGGREGATES     # load what spark-submit wrote on a cluster

Progress is printed per day; a truncated or corrupt dump is reported by file name and skipped while the
other days load. Exit status 1 when any dump was skipped.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from dashboard import db, warehouse
from dashboard.dsa import duckdb_import, load_days


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", type=Path, help="folder of sor-global-<day>-<full|light>.zip/.parquet")
    source.add_argument("--aggregates", type=Path, help="only load the daily aggregates already in this folder")
    parser.add_argument("--output", type=Path, default=None, help="keep the daily Parquet aggregates here")
    parser.add_argument("--engine", choices=("spark", "duckdb"), default="spark")
    parser.add_argument("--master", default="local[2]", help="Spark master (spark engine only)")
    parser.add_argument("--staging", type=Path, default=None, help="where inner zips are unpacked")
    parser.add_argument("--database", type=Path, default=None, help="default: $OBSERVATORY_DB or data/observatory.duckdb")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        output = args.aggregates or args.output or Path(tmp)
        if args.aggregates:
            results = []
        elif args.engine == "spark":
            from dashboard.dsa import spark_job  # pyspark is only needed for this engine

            spark = spark_job.session(args.master)
            try:
                results = spark_job.run(spark, args.input, output, staging=args.staging)
            finally:
                spark.stop()
        else:
            results = duckdb_import.run(args.input, output, staging=args.staging)
        path = warehouse.ensure_database(args.database)
        con = db.connect(path)
        try:
            for folder in load_days.aggregate_folders(output):
                done = load_days.load_day(con, folder)
                print(f"load {done.day} {done.dump}: {done.message}", flush=True)
        finally:
            con.close()
    skipped = [r for r in results if not r.ok]
    for result in skipped:
        print(f"SKIPPED {result.day}: {result.message}", file=sys.stderr)
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
