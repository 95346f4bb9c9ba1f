"""The upload page in a real browser (issue 11): an analyst logs in, uploads a country-year count table the
observatory has never seen, maps it in the mapping step (a fragment), applies, loads, and sees it loaded.
AppTest runs the page script; this checks the fragments, forms and reruns in Streamlit's own runtime."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.auth import add_user
from tests.test_browser import CHROMIUM_ARGS, ERRORS, ROOT, _free_port, chromium_path  # noqa: F401 (fixture)

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
    port = _free_port()
    env = os.environ | {"OBSERVATORY_DB": str(work / "observatory.duckdb"), "OBSERVATORY_USERS": str(users),
                        "PYTHONPATH": str(ROOT)}
    log = open(work / "streamlit.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:  # wait on the server's own health check; a dead or hung server fails
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("streamlit did not start: " + (work / "streamlit.log").read_text()[-2000:])
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                try:
                    process.wait(timeout=0.3)  # returns early only if the server died
                except subprocess.TimeoutExpired:
                    pass
        yield base, work
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_an_analyst_maps_and_loads_a_count_table_in_the_browser(upload_server, chromium_path):  # noqa: F811
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
