"""Router: page config, shared sidebar filters, navigation. Run: python -m streamlit run dashboard/app.py"""

from __future__ import annotations

import streamlit as st

from dashboard import sidebar

st.set_page_config(page_title="Militancy & Online Content Observatory", page_icon="🛰️", layout="wide")

PAGES = [
    # the default page lives at "/" (Streamlit ignores a url_path on it)
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/violence.py", title="Violence", icon=":material/map:", url_path="violence"),
    st.Page("app_pages/online.py", title="Online content", icon=":material/shield:", url_path="online"),
    st.Page("app_pages/links.py", title="Links", icon=":material/timeline:", url_path="links"),
    st.Page("app_pages/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
    st.Page("app_pages/upload.py", title="Upload data", icon=":material/upload:", url_path="upload"),
]

page = st.navigation(PAGES)
sidebar.render()
link = st.sidebar.container()  # filled after the page ran: the link includes the page's own controls
page.run()
with link:
    sidebar.link_box()
