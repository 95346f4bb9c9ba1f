"""The upload page in a real browser (issue 11): an analyst logs in, uploads a country-year count table the
observatory has never seen, maps it in the mapping step (a fragment), applies, loads, and sees it loaded.
AppTest runs the page script; this checks the fragments, forms and reruns in Streamlit's own runtime."""

from __future__ import annotations

import shutil

import pytest

from dashboard.auth import add_user
from tests.streamlit_server import streamlit_server
from tests.test_browser import BUDGET_S, CHROMIUM_ARGS, ERRORS, chromium_path  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
COUNTS = b"Country,Year,Freq,Influencing Event/Event\nPakistan,2014,12,Attacks\nPakistan,2015,7,Bombings\n"
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def upload_server(default_db_file, tmp_path_factory):
    """`streamlit run` with accounts enabled (one analyst) and a private copy of the default database."""
    work = tmp_path_factory.mktemp("browser_upload")
    shutil.copy2(default_db_file, work / "observatory.duckdb")
    users = work / "users.json"
    add_user("ana", PASSWORD, "analyst", path=users)
    with streamlit_server(work / "observatory.duckdb", work / "streamlit.log", BUDGET_S,
                          OBSERVATORY_USERS=str(users)) as base:
        yield base, work


def test_an_analyst_maps_and_loads_a_count_table_in_the_browser(upload_server, chromium_path):
    from playwright.sync_api import sync_playwright

    base, work = upload_server
    (work / "counts.csv").write_bytes(COUNTS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 2400})
            tab.goto(base + "/")
            sidebar = tab.locator('[data-testid="stSidebar"]')
            sidebar.get_by_text("Account", exact=True).click(timeout=60_000)
            sidebar.get_by_label("User name").fill("ana")
            sidebar.locator("input[type=password]").fill(PASSWORD)
            sidebar.get_by_role("button", name="Log in").click()
            sidebar.get_by_text("Signed in as").wait_for(timeout=60_000)
            sidebar.get_by_text("Upload data").click()  # in-app navigation keeps the session
            uploader = tab.locator('[data-testid="stFileUploaderDropzoneInput"]').first
            uploader.wait_for(state="attached", timeout=60_000)
            uploader.set_input_files(str(work / "counts.csv"))
            tab.get_by_text("Map the columns").wait_for(timeout=60_000)
            tab.get_by_role("button", name="Apply this mapping").click()
            tab.get_by_text("columns mapped by you").wait_for(timeout=60_000)
            tab.get_by_role("button", name="Load into the database").click()
            tab.get_by_text("Loaded as dataset").wait_for(timeout=120_000)
            assert tab.locator(ERRORS).count() == 0, tab.locator(ERRORS).first.inner_text()
        finally:
            browser.close()
