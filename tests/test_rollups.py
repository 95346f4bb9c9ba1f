"""The monthly rollups give exactly what the raw rows give, for any period, filter, load and retract."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import db
from dashboard.filters import Filters
from dashboard.ingest import load as loader
from dashboard.ingest import pipeline

RAW_BY_MONTH = """
select dataset_id, date_trunc('month', event_date) as month, sum(events) as events, sum(killed) as killed,
       count(*) as rows, min(event_date) as first_event, max(event_date) as last_event
from filtered_incidents($filters)
group by all order by all
"""
CELLS_BY_MONTH = RAW_BY_MONTH.replace("filtered_incidents", "incident_cells_in").replace(
    "count(*) as rows", "sum(rows) as rows").replace("min(event_date)", "min(first_event)").replace(
    "max(event_date)", "max(last_event)")
DISTRICTS = """
select dataset_id, district, sum(events) as events, sum(killed) as killed
from {source}($filters)
group by all order by all
"""

PERIODS = [
    (dt.date(1989, 1, 1), dt.date(2025, 12, 31)),  # whole months only
    (dt.date(2007, 3, 15), dt.date(2010, 11, 2)),  # partial months at both ends
    (dt.date(2014, 12, 16), dt.date(2014, 12, 16)),  # one day
    (dt.date(2010, 2, 1), dt.date(2010, 2, 28)),  # exactly one month
    (dt.date(2010, 1, 31), dt.date(2010, 3, 1)),  # one full month and a day either side
]
FILTERS = [{}, {"regions": ("Khyber Pakhtunkhwa",)}, {"groups": ("Tehrik-i-Taliban Pakistan", "al-Qaida")},
           {"event_types": ("One-sided violence",)}]


def same(con, period, extra) -> None:
    params = Filters(date_from=period[0], date_to=period[1], **extra).params()
    with con.cursor() as cur:
        raw = cur.execute(RAW_BY_MONTH, params).fetchall()
        cells = cur.execute(CELLS_BY_MONTH, params).fetchall()
        raw_districts = cur.execute(DISTRICTS.format(source="filtered_incidents"), params).fetchall()
        cell_districts = cur.execute(DISTRICTS.format(source="incident_district_cells_in"), params).fetchall()
    assert cells == raw
    assert cell_districts == raw_districts


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p[0]}..{p[1]}")
@pytest.mark.parametrize("extra", FILTERS, ids=["all", "kp", "groups", "event_type"])
def test_rollups_match_raw_rows_on_the_default_data(con, period, extra):
    same(con, period, extra)


def test_rollups_follow_living_updates_and_retracts(rw_con):
    fixtures = __import__("pathlib").Path(__file__).parent / "fixtures"
    first = (fixtures / "acled_events_current.csv").read_bytes()
    # a newer export of the same events: a later timestamp on every row, and other fatalities
    second = first.replace(b",,17", b",,18").replace(b"test row: invented bombing,7,", b"test row: invented bombing,9,")
    assert second != first
    ids = []
    for data, name in ((first, "acled_1.csv"), (second, "acled_2.csv")):
        prepared = pipeline.prepare(data, name)
        meta = pipeline.meta_for(prepared, name=name, source="t", licence="t", attribution="t", loaded_by="t")
        ids.append(loader.load(rw_con, meta, prepared.parsed))
    for period in PERIODS[:2]:
        same(rw_con, period, {})
    loader.set_status(rw_con, ids[1], "retracted")
    same(rw_con, PERIODS[0], {})
    loader.set_status(rw_con, ids[1], "active")
    same(rw_con, PERIODS[0], {})


RAW_NEWEST = """
select source_event_id, event_date
from filtered_incidents($filters)
order by event_date desc, source_event_id
limit $limit
"""


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p[0]}..{p[1]}")
@pytest.mark.parametrize("limit", [1, 200, 100_000])
def test_drill_down_gives_the_newest_events_like_a_full_sort(con, period, limit):
    params = Filters(date_from=period[0], date_to=period[1], regions=("Balochistan",)).params(limit=limit)
    shown = db.run(con, "incident_events", **params)[["source_event_id", "event_date"]]
    with con.cursor() as cur:
        expected = cur.execute(RAW_NEWEST, params).df()
    assert shown.astype(str).values.tolist() == expected.astype(str).values.tolist()
