"""EU DSA dumps at scale: the Spark job (local mode) and the DuckDB importer run the one shared SQL on
generated dumps in the real layout (zip of zips, full and light, Parquet, a corrupt inner zip, a regenerated
day) and must give identical rows; days load keyed by checksum; the one command reports progress per day."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from dashboard import db
from dashboard.dsa import __main__ as command
from dashboard.dsa import duckdb_import, generate, layout, load_days
from dashboard.filters import Filters
from dashboard.ingest import pipeline

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL_SAMPLE = FIXTURES / "eu_dsa_sor_sample_2025-07-01.csv"
DAY1, DAY2, DAY3, DAY4, DAY5 = (dt.date(2025, 7, d) for d in (1, 2, 3, 4, 5))
N = 1_500  # statements a day: 3 inner zips of 2 parts of 250


@pytest.fixture(scope="session")
def dumps(tmp_path_factory) -> Path:
    """Day 1 full (and light, which the job must leave aside), day 2 light, day 3 full with a corrupt inner
    zip, day 4 Parquet, day 5 a truncated download."""
    folder = tmp_path_factory.mktemp("dumps")
    generate.mark_sample(folder)
    generate.write_zip_dump(folder, DAY1, N, seed=1, per_part=250, parts_per_zip=2)
    generate.write_zip_dump(folder, DAY1, N, seed=1, variant="light", per_part=250, parts_per_zip=2)
    generate.write_zip_dump(folder, DAY2, N, seed=2, variant="light", per_part=250, parts_per_zip=2)
    generate.write_zip_dump(folder, DAY3, N, seed=3, per_part=250, parts_per_zip=2)
    generate.corrupt_inner_zip(folder / f"sor-global-{DAY3}-full.zip", member_index=1)
    generate.write_parquet_dump(folder, DAY4, N, seed=4, batch=400)
    truncated = generate.write_zip_dump(folder, DAY5, 300, seed=5, per_part=100, parts_per_zip=2)
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    return folder


@pytest.fixture(scope="session")
def spark():
    from dashboard.dsa import spark_job  # pyspark (requirements-dev.txt) and a JRE: `make test` installs both

    session = spark_job.session("local[2]", shuffle_partitions="2")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spark_output(spark, dumps, tmp_path_factory):
    from dashboard.dsa import spark_job

    out = tmp_path_factory.mktemp("spark_out")
    messages: list[str] = []
    results = spark_job.run(spark, dumps, out, progress=messages.append)
    return out, results, messages


@pytest.fixture(scope="session")
def duckdb_output(dumps, tmp_path_factory):
    out = tmp_path_factory.mktemp("duckdb_out")
    messages: list[str] = []
    results = duckdb_import.run(dumps, out, progress=messages.append)
    return out, results, messages


def statements_csv(dump: Path) -> pd.DataFrame:
    """Every statement of a (small) zip dump, read independently of the job with pandas."""
    frames = []
    with zipfile.ZipFile(dump) as outer:
        for inner_name in outer.namelist():
            with zipfile.ZipFile(io.BytesIO(outer.read(inner_name))) as inner:
                for part in inner.namelist():
                    frames.append(pd.read_csv(inner.open(part), dtype=str, keep_default_na=False))
    return pd.concat(frames, ignore_index=True)


def day_frame(output: Path, day: dt.date) -> pd.DataFrame:
    [folder] = [p for p in output.iterdir() if p.name.startswith(f"sor-global-{day}")]
    return duckdb_import.normalise(pd.read_parquet(folder))


def test_spark_and_duckdb_give_identical_rows_for_full_light_and_parquet_days(spark_output, duckdb_output):
    spark_dir, spark_results, _ = spark_output
    duck_dir, duck_results, _ = duckdb_output
    assert [(r.day, r.ok) for r in spark_results] == [(r.day, r.ok) for r in duck_results] == [
        (str(DAY1), True), (str(DAY2), True), (str(DAY3), False), (str(DAY4), True), (str(DAY5), False)]
    for day in (DAY1, DAY2, DAY4):
        from_spark, from_duckdb = day_frame(spark_dir, day), day_frame(duck_dir, day)
        assert len(from_spark) > 100
        pd.testing.assert_frame_equal(from_spark, from_duckdb)


def test_a_corrupt_inner_zip_or_a_truncated_dump_is_named_and_its_day_skipped(spark_output, duckdb_output, dumps):
    for out, results, messages in (spark_output, duckdb_output):
        [corrupt, truncated] = [r for r in results if not r.ok]
        assert f"sor-global-{DAY3}-full.zip: sor-global-{DAY3}-full-00001.csv.zip is corrupt" in corrupt.message
        assert f"sor-global-{DAY5}-full.zip: not a readable zip" in truncated.message
        assert not any(p.name.startswith((f"sor-global-{DAY3}", f"sor-global-{DAY5}")) for p in out.iterdir())
        # the light dump of day 1 is left aside: the full one holds the same statements
        assert any(f"sor-global-{DAY1}-light.zip: skipped" in m for m in messages)


def test_counts_match_the_statements_in_the_dump(spark_output, dumps):
    spark_dir, _, _ = spark_output
    frame = day_frame(spark_dir, DAY1)
    raw = statements_csv(dumps / f"sor-global-{DAY1}-full.zip")
    totals = frame[frame["breakdown"].isna()]
    by_area = totals.groupby("policy_area")["value"].sum()
    assert by_area.drop("Terrorist content (keyword)").sum() == len(raw) == N
    terrorist = raw["category_specification"].str.contains('"KEYWORD_TERRORIST_CONTENT"', regex=False)
    assert by_area["Terrorist content (keyword)"] == terrorist.sum() > 0
    fully = frame[(frame["breakdown"] == "Automated decision: Fully")
                  & (frame["policy_area"] != "Terrorist content (keyword)")]["value"].sum()
    assert fully == (raw["automated_decision"] == "AUTOMATED_DECISION_FULLY").sum()
    eea = frame[frame["breakdown"] == "Scope: all EEA countries"]
    assert eea[eea["policy_area"] != "Terrorist content (keyword)"]["value"].sum() == \
        (raw["territorial_scope"].str.count(",") == 29).sum()
    # light dumps carry no territorial scope: no Scope rows, the rest as in a full day
    light = day_frame(spark_dir, DAY2)
    assert not light["breakdown"].fillna("").str.startswith("Scope:").any()
    assert light["breakdown"].fillna("").str.startswith("Visibility:").any()


def test_the_real_sample_gives_the_same_rows_uploaded_or_through_spark(spark, tmp_path):
    from dashboard.dsa import spark_job

    data = REAL_SAMPLE.read_bytes()
    uploaded = pipeline.prepare(data, REAL_SAMPLE.name).parsed
    assert uploaded.problems == [] and uploaded.rows_read == 50
    (tmp_path / "in").mkdir()
    generate.pack_csv(tmp_path / "in", DAY1, data)
    [result] = spark_job.run(spark, tmp_path / "in", tmp_path / "out", progress=lambda m: None)
    from_spark = day_frame(tmp_path / "out", DAY1)
    from_upload = duckdb_import.normalise(uploaded.frame)
    pd.testing.assert_frame_equal(from_spark, from_upload)
    raw = pd.read_csv(REAL_SAMPLE, dtype=str, keep_default_na=False)
    removed = from_upload[from_upload["breakdown"] == "Visibility: Content removed"]["value"].sum()
    assert removed == raw["decision_visibility"].str.contains("DECISION_VISIBILITY_CONTENT_REMOVED").sum()
    germany = from_upload[from_upload["breakdown"] == "Scope: DE only"]["value"].sum()
    assert germany == (raw["territorial_scope"] == '["DE"]').sum()
    assert json.loads((result.output / layout.MANIFEST).read_text())["statements"] == 50


def loaded_total(con: db.Connection, day: dt.date) -> float:
    frame = db.run(con, "dsa_statements_by_day", **Filters(date_from=day, date_to=day).params(
                   policy_areas=[], breakdown_prefix=""))
    return float(frame["statements"].sum())


def test_days_load_keyed_by_checksum_and_a_regenerated_day_replaces_its_day(spark, spark_output, writable_db,
                                                                            tmp_path):
    from dashboard.dsa import spark_job

    spark_dir, _, _ = spark_output
    con = db.connect(writable_db)
    try:
        first = [load_days.load_day(con, f) for f in load_days.aggregate_folders(spark_dir)]
        assert [d.outcome for d in first] == ["loaded"] * 3  # days 1, 2 and 4
        again = [load_days.load_day(con, f) for f in load_days.aggregate_folders(spark_dir)]
        assert [d.outcome for d in again] == ["already loaded"] * 3
        assert loaded_total(con, DAY1) == N
        # the EU regenerates day 1 (another checksum): it replaces the day, never adds to it
        regenerated = tmp_path / "regenerated"
        regenerated.mkdir()
        generate.write_zip_dump(regenerated, DAY1, N + 200, seed=11, per_part=250, parts_per_zip=2)
        spark_job.run(spark, regenerated, tmp_path / "agg", progress=lambda m: None)
        duckdb_import.run(regenerated, tmp_path / "agg_duckdb", progress=lambda m: None)
        pd.testing.assert_frame_equal(day_frame(tmp_path / "agg", DAY1), day_frame(tmp_path / "agg_duckdb", DAY1))
        [replaced] = [load_days.load_day(con, f) for f in load_days.aggregate_folders(tmp_path / "agg")]
        assert replaced.outcome == "replaced" and f"replacing dataset {first[0].dataset_id}" in replaced.message
        assert loaded_total(con, DAY1) == N + 200
        status = db.run(con, "datasets_catalog").set_index("dataset_id")["status"]
        assert status[first[0].dataset_id] == "retracted" and status[replaced.dataset_id] == "active"
    finally:
        con.close()


def test_one_command_runs_the_job_and_loads_with_progress_per_day(dumps, writable_db, capsys):
    code = command.main(["--input", str(dumps), "--engine", "duckdb", "--database", str(writable_db)])
    out, err = capsys.readouterr()
    assert code == 1  # one dump was skipped
    for day in (DAY1, DAY2, DAY4):
        assert f"] {day} sor-global-{day}" in out and f"load {day} " in out
    assert f"SKIPPED {DAY3}" in err and f"sor-global-{DAY3}-full-00001.csv.zip is corrupt" in err
    assert f"SKIPPED {DAY5}" in err and f"sor-global-{DAY5}-full.zip: not a readable zip" in err
    con = db.connect(writable_db, read_only=True)
    try:
        catalog = db.run(con, "datasets_catalog")
        dsa = catalog[catalog["format"] == load_days.FORMAT]
        assert len(dsa) == 3 and dsa["is_synthetic"].all() and dsa["name"].str.startswith("Sample data").all()
    finally:
        con.close()


def test_platform_names_are_harmonised_with_the_platform_table(duckdb_output, writable_db, tmp_path):
    duck_dir, _, _ = duckdb_output
    [source] = [p for p in load_days.aggregate_folders(duck_dir) if p.name.startswith(f"sor-global-{DAY4}")]
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    frame = pd.read_parquet(folder / "part-00000.parquet")
    frame["platform"] = frame["platform"].replace({"TikTok": "Tik Tok", "X": "Twitter"})  # spellings the aliases know
    frame.to_parquet(folder / "part-00000.parquet", index=False)
    con = db.connect(writable_db)
    try:
        load_days.load_day(con, folder)
        loaded = db.run(con, "dsa_statements_by_day", **Filters(date_from=DAY4, date_to=DAY4).params(
                        policy_areas=[], breakdown_prefix=""))
    finally:
        con.close()
    assert {"TikTok", "X"} <= set(loaded["platform"]) and not {"Tik Tok", "Twitter"} & set(loaded["platform"])
