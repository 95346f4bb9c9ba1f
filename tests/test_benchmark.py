"""The benchmark runs end to end at a tiny size and writes its table (speed is not judged here)."""

from __future__ import annotations

from benchmarks import run


def test_benchmark_runs_at_a_tiny_size_and_reports(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "WORK", tmp_path / "bench")
    output = tmp_path / "RESULTS.md"
    assert run.main(["--sizes", "1500", "--complaints", "1500", "--runs", "2", "--pandas-runs", "1",
                     "--ingest-rows", "2000", "--no-cold-start", "--output", str(output)]) == 0
    table = output.read_text()
    for page in ("overview", "violence", "online", "links", "sources"):
        assert f"| 1,500 | {page} |" in table
    assert "exception" not in table
    assert "Ingest of a 2,000-row ACLED-format CSV" in table
    assert "peak RSS" in table
    assert "Name pick on the upload page (10,000-row file" in table
