"""A tiny run of the ingest benchmark (the 1,000,000-row run belongs to `make bench`)."""

from __future__ import annotations

from benchmarks.acled_synthetic import HEADER, write
from benchmarks.ingest_bench import run_pipeline
from dashboard.ingest import pipeline


def test_synthetic_acled_file_is_an_acled_export_and_loads_end_to_end(tmp_path, writable_db):
    path = write(2_000, tmp_path / "acled.csv")
    assert path.read_text().splitlines()[0].replace("\"", "") == ",".join(HEADER)
    assert pipeline.prepare(path.read_bytes(), path.name).format.name == "acled_events"
    report = run_pipeline(path, writable_db)
    assert report["rows"] == 2_000 and report["problems"] == 0
    assert report["living"]["new_events"] == 2_000
    assert set(report["stages"]) == {"read_bytes", "inspect_read_validate", "review", "load"}
    assert report["peak_rss_mb"] > 0 and report["seconds"] > 0
