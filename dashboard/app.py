"""Router: page config, shared sidebar filters, navigation.

Served by ``make run`` through dashboard/serve.py (this script as an st.App, static bundles compressed);
``python -m streamlit run dashboard/app.py`` also works, sending the static JavaScript uncompressed."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from dashboard import auth, cache, db, errors, presentation, session, sidebar, storage_ui, view_charts
from dashboard.storage import StorageError


@dataclass(frozen=True)
class PageSpec:
    """One page of the app: the one list every router run and every test reads."""

    script: str  # relative to this file
    title: str  # in the navigation
    heading: str  # the title the page shows at its top
    icon: str
    url_path: str = ""  # "" for the default page, which lives at "/" (Streamlit ignores a url_path on it)
    role: str | None = None  # shown only to users who can do this (the page checks the role again)
    charted: bool = False  # draws charts of the filtered data (the pages the chart tests open)

    @property
    def default(self) -> bool:
        return not self.url_path


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/overview.py", "Overview", "Militancy & Online Content Observatory", ":material/dashboard:",
             charted=True),
    PageSpec("app_pages/violence.py", "Violence", "Violence", ":material/map:", "violence", charted=True),
    PageSpec("app_pages/online.py", "Online content", "Online content", ":material/shield:", "online", charted=True),
    PageSpec("app_pages/links.py", "Links", "Links between violence and online enforcement", ":material/timeline:",
             "links", charted=True),
    PageSpec("app_pages/sources.py", "Sources", "Sources", ":material/menu_book:", "sources", charted=True),
    PageSpec("app_pages/briefing.py", "Briefing", "Briefing", ":material/summarize:", "briefing"),
    PageSpec("app_pages/upload.py", "Upload data", "Upload data", ":material/upload:", "upload"),
    PageSpec("app_pages/admin.py", "Admin", "Admin", ":material/admin_panel_settings:", "admin", role="admin"),
)


def st_pages(user: auth.User | None) -> list[st.Page]:
    """The pages this user may open, as Streamlit pages."""
    return [st.Page(spec.script, title=spec.title, icon=spec.icon, default=spec.default,
                    url_path=spec.url_path or None)
            for spec in PAGES if spec.role is None or (user is not None and user.can(spec.role))]


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
    # ?present=1: no navigation, sidebar or toolbars, for a clean screenshot (see presentation.py)
    page = st.navigation(st_pages(session.current_user()), position="hidden" if presentation.active() else "sidebar")
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


def main() -> None:
    st.set_page_config(page_title="Militancy & Online Content Observatory", page_icon="🛰️", layout="wide")
    database_or_stop()
    try:
        serve()
    except StorageError as fault:  # the file failed while serving (damaged block, disk full, read-only...)
        storage_ui.show_fault(fault, "while serving")


if __name__ == "__main__":  # Streamlit runs this file as __main__; tests import it for PAGES
    main()
