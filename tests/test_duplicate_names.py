"""Two catalog entries may share a name (the same export loaded twice under one name, a restated report):
no page may crash on it, whichever of the two is retracted, and footnotes still name the licence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import app, auth, db, session, ui
from dashboard.ingest import load as loader
from dashboard.ingest import pipeline

APP = "../dashboard/app.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGES = {spec.script: spec.heading for spec in app.PAGES}  # page file -> the title it shows
ADMIN = auth.User("ada", "admin")


def _load_as(con, fixture: str, name: str) -> int:
    data = (FIXTURES / fixture).read_bytes()
    prepared = pipeline.prepare(data, fixture)
    meta = pipeline.meta_for(prepared, name=name, source="Analyst upload", licence="CC BY 4.0 (test)",
                             attribution="test", loaded_by="ada")
    return loader.load(con, meta, prepared.parsed)


@pytest.fixture(scope="module", params=["older retracted", "newer retracted"])
def twin_db(request, default_db_file, tmp_path_factory):
    """The default data plus a second events dataset and a second Meta dataset under the same names as
    the shipped ones; one of each pair retracted."""
    target = tmp_path_factory.mktemp("twins") / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    con = db.connect(target)
    books = db.run(con, "datasets_catalog").set_index("dataset_id")
    new_events = _load_as(con, "acled_events_current.csv", books.loc[1, "name"])
    new_meta = _load_as(con, "meta_cser_excerpt.csv", books.loc[2, "name"])
    for old, new in ((1, new_events), (2, new_meta)):
        loader.set_status(con, old if request.param == "older retracted" else new, "retracted")
    con.close()
    users = tmp_path_factory.mktemp("users") / "users.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OBSERVATORY_DB", str(target))
        patch.setenv("OBSERVATORY_USERS", str(users))
        auth.add_user("ada", "an admin password", "admin")
        yield target


@pytest.mark.parametrize("page", PAGES)
def test_no_page_crashes_when_two_datasets_share_a_name(twin_db, page):
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state[session.SESSION_KEY] = ADMIN
    at.run()
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert PAGES[page] in [t.value for t in at.title]  # the page itself ran, not only the router


def test_the_footnote_names_the_active_twins_licence():
    books = pd.DataFrame({"dataset_id": [1, 7], "name": ["Twin", "Twin"], "status": ["retracted", "active"],
                          "licence": ["Old licence", "CC BY 4.0"]})
    assert ui.licence_for(books, "Twin") == "CC BY 4.0"
    assert ui.licence_for(books, "Twin (#1)") == "Old licence"  # a label that names the dataset id
    assert ui.licence_for(books, "Unknown") is None
