"""Router: page config, shared sidebar filters, navigation. Run: python -m streamlit run dashboard/app.py"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Militancy & Online Content Observatory", page_icon="🛰️", layout="wide")

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/upload.py", title="Upload data", icon=":material/upload:", url_path="upload"),
]

st.navigation(PAGES).run()
