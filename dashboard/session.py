"""Who is using this browser session: login box, logout, and the role gate pages call first.

Identity comes from, in order: Streamlit's OIDC login (st.login, when [auth] is configured in
.streamlit/secrets.toml), a password login against the users file, or, when no accounts are configured
at all, a local read-only viewer.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from dashboard import actions, auth, cache, db
from dashboard.auth import User

SESSION_KEY = "observatory_user"
CLIENT_KEY = "observatory_client"  # the fingerprint of the browser that logged in (see client_fingerprint)
NOTICE_KEY = "observatory_session_notice"
ENABLE_HINT = ("Analyst accounts are not enabled on this server. An operator enables them with "
               "`python -m dashboard.auth create-admin NAME` (then adds analysts on the Admin page or with "
               "`python -m dashboard.auth add-user NAME --role analyst`), or by configuring an OIDC provider "
               "in `.streamlit/secrets.toml`.")


def _connection() -> db.Connection:
    return cache.connection(str(db.db_path()))


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 -- no secrets file at all (Streamlit raises several kinds)
        return False


def client_fingerprint() -> str:
    """What ties a session to the browser that logged in: its XSRF cookie (a random token Streamlit sets
    once per browser) and its user agent. Streamlit lets a client resume a disconnected session by its
    bare id; a client that does so from elsewhere presents another fingerprint and is logged out."""
    try:
        cookie = st.context.cookies.get("_streamlit_xsrf", "")
        agent = st.context.headers.get("User-Agent", "")
    except Exception:  # noqa: BLE001 -- no client (bare script run)
        cookie, agent = "", ""
    cookie, agent = (v if isinstance(v, str) else "" for v in (cookie, agent))  # AppTest's client is a mock
    return hashlib.sha256(f"{cookie}\x1f{agent}".encode()).hexdigest()


def sign_in(user: User) -> None:
    """Bind ``user`` to this session and this browser."""
    st.session_state[SESSION_KEY] = user
    st.session_state[CLIENT_KEY] = client_fingerprint()


def _sign_out(user: User, outcome: str, reason: str) -> None:
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(CLIENT_KEY, None)
    st.session_state[NOTICE_KEY] = reason
    actions.end_session(_connection(), user, outcome, reason)


def _checked(user: User) -> User | None:
    """The session's user as the accounts say now, on this browser; None once revoked or moved."""
    bound = st.session_state.get(CLIENT_KEY)
    here = client_fingerprint()
    if bound is None:
        st.session_state[CLIENT_KEY] = here  # a session signed in before binding existed: bind now
    elif bound != here:
        _sign_out(user, "moved", "This session was opened from another browser, so it was signed out. "
                                 "Log in again.")
        return None
    current = auth.refresh(user)
    if current is None:
        _sign_out(user, "revoked", f"The account {user.username} was removed, so this session was signed out.")
        return None
    if current != user:
        st.session_state[SESSION_KEY] = current  # a changed role applies from this run on
    return current


def current_user() -> User | None:
    """The logged-in user; the local viewer when no accounts exist; None for a visitor not logged in.
    The role is read again from the accounts at every page run."""
    user = st.session_state.get(SESSION_KEY)
    if isinstance(user, User):
        return _checked(user)
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        user = auth.oidc_user(str(st.user.get("email", "")), str(st.user.get("name", "")))
        sign_in(user)
        actions.record_oidc_login(_connection(), user)
        return user
    if not auth.accounts_enabled() and not oidc_configured():
        return auth.LOCAL_VIEWER
    return None


def viewer() -> User:
    """Everyone may browse: a visitor who has not logged in browses as a viewer."""
    return current_user() or User("visitor", "viewer", via="local")


def login_box(expanded: bool = False) -> None:
    """Sidebar: who you are, log in / log out."""
    user = current_user()
    with st.sidebar.expander("Account", expanded=expanded, icon=":material/person:"):
        if user is not None and user.via != "local":
            st.caption(f"Signed in as **{user.username}** ({user.role})")
            if st.button("Log out", key="logout_button"):
                actions.logout(_connection(), user)
                st.session_state.pop(SESSION_KEY, None)
                st.session_state.pop(CLIENT_KEY, None)
                if user.via == "oidc":
                    st.logout()
                st.rerun()
            return
        if not auth.accounts_enabled() and not oidc_configured():
            st.caption("Read-only mode: everyone can browse and export.")
            st.caption(ENABLE_HINT)
            return
        if oidc_configured() and st.button("Log in with your organisation", key="oidc_login"):
            st.login()
        if auth.accounts_enabled():
            with st.form("login_form", clear_on_submit=True, border=False):
                name = st.text_input("User name", key="login_name")
                password = st.text_input("Password", type="password", key="login_password")
                if st.form_submit_button("Log in"):
                    found = actions.login(_connection(), name, password)
                    if found is None:
                        st.error("Wrong user name or password (or too many attempts: wait 15 minutes).")
                    else:
                        sign_in(found)
                        st.session_state.pop(NOTICE_KEY, None)
                        st.rerun()


def require_role(role: str) -> User:
    """Stop the page unless the session's user has ``role``: say why and how to get access."""
    user = current_user()
    if user is not None and user.can(role):
        return user
    notice = st.session_state.get(NOTICE_KEY)
    if notice:
        st.error(notice, icon=":material/logout:")
    st.warning(f"This page needs the **{role}** role.")
    if user is None or user.via == "local":
        st.info(ENABLE_HINT if not auth.accounts_enabled() and not oidc_configured()
                else "Log in under **Account** in the sidebar.")
    else:
        st.info(f"You are signed in as {user.username} ({user.role}). Ask an admin for the {role} role.")
    # the router draws the Account box after the page; a page that stops here would never reach it
    login_box(expanded=True)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises
