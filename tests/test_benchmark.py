"""The benchmark runs end to end at a tiny size and writes its table (speed is not judged here)."""

from __future__ import annotations

from benchmarks import run


def test_benchmark_runs_at_a_tiny_size_and_reports(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "WORK", tmp_path / "bench")
    output = tmp_path / "RESULTS.md"
    assert run.main(["--sizes", "1500", "--complaints", "1500", "--runs", "2", "--pandas-runs", "1",
                     "--ingest-rows", "2000", "--no-cold-start", "--browser-rounds", "0", "--output", str(output)]) == 0
    table = output.read_text()
    for page in ("overview", "violence", "online", "links", "sources"):
        assert f"| 1,500 | {page} |" in table
    assert "exception" not in table
    assert "Ingest of a 2,000-row ACLED-format CSV" in table
    assert "peak RSS" in table
    assert "Name pick on the upload page (10,000-row file" in table
    # the profile says where each page's script time goes: every page has a row with its queries counted
    for page in ("overview", "violence", "online", "links", "sources", "briefing"):
        row = next(line for line in table.splitlines() if line.startswith(f"| 1,500 | {page} | ") and line.count("|") == 9)
        assert int(row.split("|")[4].split("(")[1].rstrip(") ")) > 0


def test_gray_code_gives_every_browser_step_filters_no_earlier_step_used():
    """The browser benchmark's premise: each filter change leads to region filters not seen before in that
    run (so the result cache cannot serve it), and each step adds or removes exactly one region."""
    from benchmarks.browser import gray_state, gray_toggles

    start, steps = 37, 60
    states = [gray_state(start)]
    for region in gray_toggles(start, steps):
        states.append(states[-1] ^ {region})
    assert len({frozenset(s) for s in states}) == steps + 1
    assert states[1:] == [gray_state(i) for i in range(start + 1, start + steps + 1)]
