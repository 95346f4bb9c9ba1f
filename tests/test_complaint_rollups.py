"""The complaint rollups (schema/008) give what the raw complaint rows give: counts exactly, the hours to
action within the histogram's stated bin error (1 h up to 720 h, 5% above), for any period, filter and
breakdown, and after a load, a retract and a restore."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dashboard import db
from dashboard.filters import Filters
from dashboard.ingest import load as loader
from dashboard.ingest import pipeline
from dashboard.ingest.spec import table_for

# The tracker's figures straight from the raw rows, by their definitions (exact quantiles by sorting).
RAW = """
with complaints as (
    select
        dataset_id,
        case $dimension when 'platform' then platform when 'category' then category
            when 'group' then coalesce(group_name, 'Unknown') when 'region' then coalesce(region, 'Unknown')
            when 'all' then 'All complaints' end as dimension_value,
        outcome,
        items,
        date_diff('second', submitted_at, resolved_at) / 3600.0 as hours,
        date_diff('second', submitted_at, max(submitted_at) over ()) / 3600.0 as hours_open
    from filtered_complaints($filters)
)
select
    dataset_id,
    dimension_value,
    count(*) as complaints,
    sum(items) as items,
    count(*) filter (where outcome in ('removed', 'geo_blocked')) as complied,
    count(*) filter (where outcome = 'rejected') as rejected,
    count(*) filter (where outcome = 'pending') as pending,
    count(*) filter (where outcome in ('removed', 'geo_blocked'))
        / nullif(count(*) filter (where outcome <> 'pending'), 0) as compliance_rate,
    median(hours) filter (where outcome <> 'pending') as median_hours,
    quantile_cont(hours, 0.9) filter (where outcome <> 'pending') as p90_hours,
    count(*) filter (where (outcome <> 'pending' and hours > $deadline_hours)
                     or (outcome = 'pending' and hours_open > $deadline_hours)) as deadline_breaches
from complaints
group by all
"""
RAW_BY_QUARTER = """
select dataset_id, date_trunc('quarter', submitted_at) as quarter, count(*) as complaints,
       count(*) filter (where outcome in ('removed', 'geo_blocked'))
           / nullif(count(*) filter (where outcome <> 'pending'), 0) as compliance_rate
from filtered_complaints($filters)
group by all order by all
"""
RAW_BY_MONTH = RAW_BY_QUARTER.replace("'quarter'", "'month'").replace("as quarter", "as month").replace(
    "select dataset_id,", "select platform,")
EXACT = ["complaints", "items", "complied", "rejected", "pending", "deadline_breaches"]

PERIODS = [
    (dt.date(1989, 1, 1), dt.date(2030, 12, 31)),  # everything
    (dt.date(2023, 3, 15), dt.date(2024, 2, 10)),  # partial months at both ends
    (dt.date(2023, 6, 7), dt.date(2023, 6, 7)),  # one day
]
FILTERS = [{}, {"regions": ("Khyber Pakhtunkhwa",)}, {"platforms": ("X", "Telegram"), "groups": ("TTP",)}]


def hours_error_bound(exact: float) -> float:
    """The stated bin error: one hour up to 720 h, 5% of the value (a bin's width, rounded up) above."""
    return max(1.0, 0.0525 * exact) + 1e-9


def compare(con: db.Connection, period: tuple[dt.date, dt.date], extra: dict, dimension: str,
            deadline: float = 48.0) -> int:
    """Assert the rollup query equals the raw rows; returns the rows compared (so a test sees it compared any)."""
    params = Filters(date_from=period[0], date_to=period[1], **extra).params()
    with con.cursor() as cur:
        raw = cur.execute(RAW, params | {"dimension": dimension, "deadline_hours": deadline}).df()
    ours = db.run(con, "complaints_by_dimension", **params, dimension=dimension, deadline_hours=deadline)
    key = ["dataset_id", "dimension_value"]
    merged = raw.merge(ours, on=key, how="outer", suffixes=("_raw", "_ours"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][key]
    for column in EXACT:
        assert (merged[f"{column}_raw"].astype("int64") == merged[f"{column}_ours"]).all(), column
    assert merged["compliance_rate_raw"].equals(merged["compliance_rate_ours"]) or (
        (merged["compliance_rate_raw"] - merged["compliance_rate_ours"]).abs().max() < 1e-12)
    for column in ("median_hours", "p90_hours"):
        exact, estimate = merged[f"{column}_raw"], merged[f"{column}_ours"]
        assert (exact.isna() == estimate.isna()).all(), column
        for value, guess in zip(exact.dropna(), estimate.dropna(), strict=True):
            assert abs(value - guess) <= hours_error_bound(value), (column, value, guess)
    for name, raw_sql in (("complaints_by_quarter", RAW_BY_QUARTER),
                          ("complaints_by_month", RAW_BY_MONTH)):
        with con.cursor() as cur:
            expected = cur.execute(raw_sql, params).df()
        got = db.run(con, name, **params)[list(expected.columns)]
        got = got.sort_values(list(expected.columns[:2])).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    return len(merged)


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p[0]}..{p[1]}")
@pytest.mark.parametrize("extra", FILTERS, ids=["all", "kp", "x-telegram-ttp"])
@pytest.mark.parametrize("dimension", ["all", "platform", "category", "group", "region"])
def test_rollup_figures_match_the_raw_complaints_of_the_sample_log(con, period, extra, dimension):
    compared = compare(con, period, extra, dimension)
    if not extra and period == PERIODS[0]:
        assert compared > 0  # the sample log is in the default database: the comparison compared something


@pytest.mark.parametrize("deadline", [1.0, 12.0, 48.0, 200.0, 720.0])
def test_deadline_breaches_are_exact_for_whole_hours_up_to_720(con, deadline):
    assert compare(con, PERIODS[0], {}, "platform", deadline) > 0


# A log made to sit on the bins' edges: exactly 48 h, a second past it, more than 720 h (the 5% bins), a
# decision in the same second, pending complaints old and new, a group the reference tables do not know.
LOG = b"""complaint_id,platform,category,group,region,submitted_at,resolved_at,outcome,items
T-1,X,Recruitment,TTP,Khyber Pakhtunkhwa,2024-03-01 00:00:00,2024-03-03 00:00:00,removed,1
T-2,X,Recruitment,TTP,Khyber Pakhtunkhwa,2024-03-01 00:00:00,2024-03-03 00:00:01,removed,2
T-3,X,Recruitment,TTP,ex-FATA,2024-03-01 12:00:00,2024-05-15 12:00:00,rejected,1
T-4,Telegram,Sectarian hate,,Sindh,2024-03-02 08:00:00,2024-03-02 08:00:00,geo_blocked,3
T-5,Telegram,Sectarian hate,,Sindh,2024-03-02 09:30:00,,pending,1
T-6,Telegram,Recruitment,TTP,Punjab,2024-03-20 10:00:00,,pending,4
T-7,YouTube,Recruitment,TTP,Punjab,2024-03-20 10:00:00,2024-07-30 10:00:00,removed,2
T-8,YouTube,Terrorist propaganda,ISKP,Balochistan,2024-03-31 23:59:59,2024-04-01 00:30:00,removed,1
"""


def load_log(con: db.Connection, data: bytes, name: str) -> int:
    prepared = pipeline.prepare(data, name)
    meta = pipeline.meta_for(prepared, name=name, source="test log", licence="t", attribution="t", loaded_by="t")
    return loader.load(con, meta, prepared.parsed)


def test_rollups_follow_a_load_retract_and_restore(rw_con):
    log_id = load_log(rw_con, LOG, "complaints_edges.csv")
    periods = [(dt.date(2024, 3, 1), dt.date(2024, 3, 31)), (dt.date(2024, 3, 2), dt.date(2024, 3, 20)), *PERIODS[:1]]
    for deadline in (48.0, 720.0):
        for dimension in ("all", "platform", "group", "region"):
            for period in periods:
                compare(rw_con, period, {}, dimension, deadline)
            compare(rw_con, periods[0], {"regions": ("Khyber Pakhtunkhwa",)}, dimension, deadline)
    mine = db.run(rw_con, "complaints_by_dimension", **Filters(date_from=periods[0][0], date_to=periods[0][1]).params(),
                  dimension="all", deadline_hours=48.0)
    row = mine[mine["dataset_id"] == log_id].iloc[0]
    # decided late: T-2 (a second past 48 h), T-3 and T-7, not T-1 (48 h exactly); pending past 48 h at the
    # newest submission (T-8, 31 March): T-5 and T-6
    assert (row["complaints"], row["pending"], row["deadline_breaches"]) == (8, 2, 5)
    loader.set_status(rw_con, log_id, "retracted")
    after = db.run(rw_con, "complaints_by_dimension", **Filters(date_from=periods[0][0], date_to=periods[0][1]).params(),
                   dimension="all", deadline_hours=48.0)
    assert log_id not in set(after["dataset_id"])
    compare(rw_con, periods[0], {}, "platform")
    loader.set_status(rw_con, log_id, "active")
    compare(rw_con, periods[0], {}, "platform")


def test_the_migration_backfill_builds_the_rollups_the_loader_keeps(rw_con):
    """Existing logs get their rollups when a database reaches schema 8: the migration's own statements
    rebuild exactly the rows the loader maintained."""
    load_log(rw_con, LOG, "complaints_edges.csv")
    tables = ("complaint_cells", "complaint_hours", "complaint_pending")
    migration = (db.SCHEMA_DIR / "008_complaint_rollups.sql").read_text()
    inserts = [part[part.index("insert into"):] for part in migration.split(";") if "insert into" in part]
    assert len(inserts) == len(tables)
    with rw_con.cursor() as cur:
        before = {t: cur.table(t).order("all").fetchall() for t in tables}  # relation API: no SQL text built
        assert all(before.values())
        logs = [row[0] for row in cur.execute("select distinct dataset_id from complaints").fetchall()]
        for delete, _ in table_for("complaints").rollups:  # the loader's own statements, per log
            for log_id in logs:
                db.execute(cur, delete, dataset_id=log_id)
        assert not any(cur.table(t).fetchall() for t in tables)
        for statement in inserts:
            cur.execute(statement)
        after = {t: cur.table(t).order("all").fetchall() for t in tables}
    assert after == before


def test_bench_generator_reaches_the_rollups(tmp_path):
    """The benchmark's scale databases are built through the loader's rollup hook (benchmarks/scale.py)."""
    from benchmarks.scale import build_scale_db

    path = Path(tmp_path) / "scale.duckdb"
    ids = build_scale_db(path, 200, 300)
    con = db.connect(path, read_only=True)
    try:
        with con.cursor() as cur:
            rolled = cur.execute("select sum(complaints) from complaint_cells where dataset_id = $d",
                                 {"d": ids["complaints"]}).fetchone()[0]
    finally:
        con.close()
    assert rolled == 300
