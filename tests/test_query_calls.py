"""Query calls take exactly the parameters a query names, and a page run reads the data version once."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cache, db
from dashboard.filters import Filters


class Run:
    """Stands for one Streamlit script run (the cache keys what it read on such an object)."""


def test_db_run_raises_on_a_parameter_the_query_does_not_take(con):
    with pytest.raises(TypeError, match=r"'incidents_totals' takes no parameter dataset_id\b"):
        db.run(con, "incidents_totals", dataset_id=[1], **Filters().params())  # dataset_ids is a filter
    with pytest.raises(TypeError, match=r"'reference_regions' takes no parameter limit"):
        db.run(con, "reference_regions", limit=5)
    with pytest.raises(TypeError, match=r"'incident_events' needs parameters: \['limit'\]"):
        db.run(con, "incident_events", **Filters().params())
    assert len(db.run(con, "incident_events", **Filters().params(limit=5))) == 5


@pytest.fixture
def served_db(writable_db, monkeypatch):
    """The app's cache layer serving a private copy of the default database."""
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    yield writable_db
    cache.reset(str(writable_db))


def test_cache_query_raises_on_a_parameter_the_query_does_not_take(served_db):
    with pytest.raises(TypeError, match=r"'incidents_by_year' takes no parameter top_n"):
        cache.query("incidents_by_year", **Filters().params(top_n=5))
    with pytest.raises(TypeError, match=r"'incidents_by_year' takes no parameter regions"):
        cache.query("incidents_by_year", regions=["Sindh"], **Filters().params())  # the old, flat form
    assert cache.query("incidents_by_year", **Filters().params())["events"].sum() > 0


def test_a_filter_given_as_a_query_parameter_is_refused_with_the_way_to_narrow_it():
    with pytest.raises(TypeError, match=r"filters.replace"):
        Filters().params(dataset_ids=[1])
    narrowed = Filters(regions=("Sindh",)).replace(dataset_ids=[3], date_from=dt.date(2001, 1, 1))
    assert narrowed.params(limit=5) == {"filters": {
        "date_from": dt.date(2001, 1, 1), "date_to": Filters().date_to, "regions": ["Sindh"], "groups": [],
        "platforms": [], "event_types": [], "dataset_ids": [3]}, "limit": 5}


def test_the_cache_reads_the_data_version_once_per_run_and_again_after_a_write(served_db, monkeypatch):
    reads: list[int] = []
    original = db.data_version
    monkeypatch.setattr(db, "data_version", lambda con: reads.append(1) or original(con))
    run = Run()
    monkeypatch.setattr(cache, "_run_marker", lambda: run)
    params = Filters().params()
    before = cache.query("incidents_by_year", **params)["events"].sum()
    cache.query("incidents_by_month", **params)
    assert len(reads) == 1
    con = db.connect(served_db)  # a write in this run: the loader bumps the version, the page clears the cache
    con.execute("insert into incident_cells select * from incident_cells")  # every count twice
    with con.cursor() as cur:
        db.bump_data_version(cur)
    con.close()
    cache.clear()
    after = cache.query("incidents_by_year", **params)["events"].sum()
    assert len(reads) == 2 and after == 2 * before  # the next query of the same run sees the write
    run = Run()  # the next run reads it again
    cache.query("incidents_by_year", **params)
    assert len(reads) == 3


def test_outside_streamlit_every_query_reads_the_data_version(served_db, monkeypatch):
    reads: list[int] = []
    original = db.data_version
    monkeypatch.setattr(db, "data_version", lambda con: reads.append(1) or original(con))
    cache.query("incidents_by_year", **Filters().params())
    cache.query("incidents_by_year", **Filters().params())
    assert len(reads) == 2


def test_a_page_run_reads_the_data_version_once(default_db_file, tmp_path, monkeypatch):
    target = tmp_path / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    monkeypatch.setenv("OBSERVATORY_DB", str(target))
    reads: list[int] = []
    original = db.data_version
    monkeypatch.setattr(db, "data_version", lambda con: reads.append(1) or original(con))
    queries: list[str] = []
    run = db.run
    monkeypatch.setattr(db, "run", lambda con, name, /, **params: queries.append(name) or run(con, name, **params))
    at = AppTest.from_file("../dashboard/app.py", default_timeout=60)
    at.run()
    assert not at.exception and len(set(queries)) > 5  # the Overview's queries, from cold caches
    assert len(reads) == 1
    at.switch_page("app_pages/violence.py").run()
    assert not at.exception and len(reads) == 2  # the next run: one more read
    cache.reset(str(target))


def test_descriptions_name_the_chosen_event_types():
    from dashboard import sidebar

    chosen = Filters(event_types=("One-sided violence", "Non-state conflict"))
    assert "event types: One-sided violence, Non-state conflict" in chosen.describe()
    assert "event types: One-sided violence" in sidebar.describe(chosen)
    assert "event types" not in sidebar.describe(chosen, event_types=False)  # data without event types
    assert "event types" not in Filters().describe() + sidebar.describe(Filters())  # none chosen: not said
