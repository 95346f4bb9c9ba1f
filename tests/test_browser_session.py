"""A real browser takes over another browser's session by its bare id (Streamlit lets a client resume a
session by presenting its id when it connects): the session is signed out instead of handing the
analyst's rights to the second browser."""

from __future__ import annotations

import shutil

import pytest

from tests.streamlit_server import streamlit_server
from tests.test_browser import BUDGET_S, browser, chromium_path, settle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# Records every WebSocket the page opens (with its subprotocols); with window.__stolenSession set, the
# page presents that session id when it connects, as a client replaying someone else's id would.
SPY = """
(() => {
  const Original = window.WebSocket;
  window.__sockets = [];
  window.__protocols = [];
  window.WebSocket = function (url, protocols) {
    protocols = protocols || [];
    if (window.__stolenSession) { protocols = [protocols[0], protocols[1] || "", window.__stolenSession]; }
    window.__protocols.push(protocols);
    const socket = new Original(url, protocols);
    window.__sockets.push(socket);
    return socket;
  };
  window.WebSocket.prototype = Original.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""


@pytest.fixture(scope="module")
def server(default_db_file, tmp_path_factory):
    from dashboard import auth

    home = tmp_path_factory.mktemp("session")
    db_file = home / "observatory.duckdb"
    shutil.copy2(default_db_file, db_file)
    users = home / "users.json"
    auth.add_user("nia", "a long enough password", "analyst", path=users)
    with streamlit_server(db_file, home / "server.log", BUDGET_S, OBSERVATORY_USERS=str(users)) as base:
        yield base


def test_a_session_id_replayed_from_another_browser_does_not_carry_the_login(server, browser):
    analyst = browser.new_context()
    tab = analyst.new_page()
    tab.add_init_script(SPY)
    tab.goto(server + "/upload")
    settle(tab)
    # the Upload page asks for a login and offers the Account box itself
    tab.get_by_label("User name").fill("nia")
    tab.get_by_role("textbox", name="Password").fill("a long enough password")
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_selector('[data-testid="stFileUploader"]', timeout=60_000)
    # make the tab reconnect: its client then presents its own session id, which we read
    tab.evaluate("() => window.__sockets[window.__sockets.length - 1].close()")
    tab.wait_for_function("() => window.__protocols.some(p => p.length >= 3 && p[2])", timeout=60_000)
    session_id = tab.evaluate("() => window.__protocols.find(p => p.length >= 3 && p[2])[2]")
    settle(tab)
    assert tab.locator('[data-testid="stFileUploader"]').count() == 1  # its own reconnect keeps the login

    intruder = browser.new_context()  # another browser: its own cookies
    other = intruder.new_page()
    other.add_init_script(SPY)
    other.add_init_script(f"window.__stolenSession = {session_id!r};")
    other.goto(server + "/upload")
    settle(other)
    uploader = other.locator('[data-testid="stFileUploader"]')
    notice = other.get_by_text("This session was opened from another browser")
    uploader.or_(notice).first.wait_for(timeout=60_000)  # one or the other: whichever the app decided
    assert uploader.count() == 0, "the second browser took over the analyst's login"
    assert notice.count() == 1
    analyst.close()
    intruder.close()
