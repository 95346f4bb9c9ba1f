"""Ingest benchmark: one ACLED-format CSV through exactly the pipeline the upload page runs
(inspect -> detect -> read -> parse/validate -> unknown names and preview -> load in one transaction),
timed per stage, with the peak resident memory of the process that did it.

    python -m benchmarks.ingest_bench --rows 1000000          # generate, build a database, measure
    python -m benchmarks.ingest_bench --file x.csv --db y.duckdb   # measure one file (in this process)

``measure(rows)`` is what the benchmark runner calls: it runs the pipeline in a fresh subprocess so
the peak RSS is the pipeline's own, not the generator's or the database build's.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0
TARGET_PEAK_MB = 2048.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_pipeline(path: Path, db_path: Path) -> dict:
    """The page's pipeline on one file, in this process; returns seconds per stage and the peak RSS."""
    from dashboard import db
    from dashboard.ingest import pipeline
    from dashboard.ingest.load import alias_tables, load

    stages: dict[str, float] = {}
    start = time.perf_counter()
    data = path.read_bytes()
    stages["read_bytes"] = time.perf_counter() - start
    mark = time.perf_counter()
    prepared = pipeline.prepare(data, path.name, max_bytes=len(data) + 1)
    stages["inspect_read_validate"] = time.perf_counter() - mark
    con = db.connect(db_path)
    try:
        mark = time.perf_counter()
        tables = alias_tables(con)
        unknown = pipeline.unknown_names(prepared.parsed, tables)
        summary = pipeline.summarise(prepared, tables)
        overlap = pipeline.overlap(con, prepared)
        stages["review"] = time.perf_counter() - mark
        mark = time.perf_counter()
        meta = pipeline.meta_for(prepared, name="benchmark", source="ACLED (synthetic)", licence="test",
                                 attribution="synthetic", loaded_by="benchmark")
        dataset_id = load(con, meta, prepared.parsed)
        stages["load"] = time.perf_counter() - mark
        loaded = db.run(con, "datasets_catalog").set_index("dataset_id").loc[dataset_id, "row_count"]
    finally:
        con.close()
    total = time.perf_counter() - start
    return {
        "rows": int(loaded), "problems": len(prepared.parsed.problems), "unknown_names": len(unknown),
        "file_mb": round(len(data) / 2**20, 1), "date_from": str(summary.date_from.date()),
        "date_to": str(summary.date_to.date()), "living": overlap,
        "seconds": round(total, 2), "stages": {k: round(v, 2) for k, v in stages.items()},
        "peak_rss_mb": round(peak_rss_mb(), 0),
        "targets_met": total < TARGET_SECONDS and peak_rss_mb() < TARGET_PEAK_MB,
    }


def measure(rows: int = 1_000_000, workdir: Path | None = None, seed: int = 7) -> dict:
    """Generate an ACLED-format file of ``rows`` rows, build a default database, and run the pipeline in
    a fresh Python process; returns its report (seconds, peak_rss_mb, stages ...)."""
    from benchmarks.acled_synthetic import write
    from dashboard.warehouse import ensure_database

    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="ingest_bench_")) if own else Path(workdir)
    try:
        csv_path = workdir / f"acled_{rows}.csv"
        if not csv_path.exists():
            write(rows, csv_path, seed)
        db_path = workdir / "bench.duckdb"
        db_path.unlink(missing_ok=True)
        ensure_database(db_path)
        result = subprocess.run(
            [sys.executable, "-m", "benchmarks.ingest_bench", "--file", str(csv_path), "--db", str(db_path)],
            cwd=ROOT, capture_output=True, text=True, check=True)
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="measure this file in this process (needs --db)")
    parser.add_argument("--db", type=Path, help="database to load into (a copy of the default one)")
    parser.add_argument("--workdir", type=Path, help="keep the generated file here (reused next time)")
    args = parser.parse_args()
    if args.file:
        print(json.dumps(run_pipeline(args.file, args.db)))
    else:
        print(json.dumps(measure(args.rows, args.workdir), indent=2))


if __name__ == "__main__":
    main()
