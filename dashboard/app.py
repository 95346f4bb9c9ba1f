"""Router: page config, shared sidebar filters, navigation. Run: python -m streamlit run dashboard/app.py"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from dashboard import cache, db, errors, presentation, session, sidebar, storage_ui, view_charts
from dashboard.storage import StorageError

st.set_page_config(page_title="Militancy & Online Content Observatory", page_icon="🛰️", layout="wide")

PAGES = [
    # the default page lives at "/" (Streamlit ignores a url_path on it)
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/violence.py", title="Violence", icon=":material/map:", url_path="violence"),
    st.Page("app_pages/online.py", title="Online content", icon=":material/shield:", url_path="online"),
    st.Page("app_pages/links.py", title="Links", icon=":material/timeline:", url_path="links"),
    st.Page("app_pages/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
    st.Page("app_pages/briefing.py", title="Briefing", icon=":material/summarize:", url_path="briefing"),
    st.Page("app_pages/upload.py", title="Upload data", icon=":material/upload:", url_path="upload"),
]


def database_or_stop() -> None:
    """A database that cannot be used (damaged, read-only with nothing to serve, from a newer version) gets
    a message and a way out."""
    try:
        cache.connection(str(db.db_path()))
    except db.DatabaseVersionError as exc:
        st.error(f"The database cannot be opened. {exc}", icon=":material/database:")
        st.stop()
    except StorageError as fault:
        st.error("The database cannot be opened.", icon=":material/database:")
        storage_ui.show_fault(fault, "at start")
        st.stop()


def serve() -> None:
    user = session.current_user()
    if user is not None and user.can("admin"):  # the page checks the role again on the server
        PAGES.append(st.Page("app_pages/admin.py", title="Admin", icon=":material/admin_panel_settings:",
                             url_path="admin"))

    # ?present=1: no navigation, sidebar or toolbars, for a clean screenshot (see presentation.py)
    page = st.navigation(PAGES, position="hidden" if presentation.active() else "sidebar")
    presentation.apply()
    presentation.preload_charts()
    storage_ui.show_start_notice()
    sidebar.render()
    link = st.sidebar.container()  # filled after the page ran: the link includes the page's own controls
    view_charts.begin_page(page.title, page)  # the briefing offers the charts drawn here, by page
    try:
        page.run()
    except StopException:  # st.stop(): the page ended where it meant to (a rerun, the reader leaving, is not caught)
        view_charts.end_page(page.title)
        raise
    except StorageError:
        raise  # a storage fault gets its own plain message (below)
    except Exception as exc:  # st.stop / st.rerun are not Exceptions and pass through
        # the id (logged with the traceback) is what the user sees; Streamlit's own error box below it
        # shows no details in production (client.showErrorDetails = "none")
        errors.show(errors.report(exc, where=page.title))
        raise
    view_charts.end_page(page.title)  # not reached when the reader left the page before it finished
    with link:
        sidebar.link_box()
    if not presentation.active():
        session.login_box()


database_or_stop()
try:
    serve()
except StorageError as fault:  # the file failed while serving (damaged block, disk full, read-only...)
    storage_ui.show_fault(fault, "while serving")
