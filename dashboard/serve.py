"""The served app: ``dashboard/app.py`` as Streamlit's ASGI app, with its static bundles sent compressed
and a hint in the page shell that fetches Plotly's bundle at once.

Run (what ``make run`` does): ``python -m streamlit run dashboard/serve.py``. ``streamlit run`` finds
``app`` below, an ``st.App``, and serves it with its own uvicorn runner and the usual config
(``.streamlit/config.toml``, command-line flags). ``streamlit run dashboard/app.py`` still works; it only
sends the static JavaScript uncompressed (compressed_static.py says why that matters) and fetches Plotly
later (page_shell.py). This file lives beside app.py so that the page paths in app.py resolve the same
whichever of the two is started.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from dashboard import db, tcp_nodelay, warmup
from dashboard.compressed_static import CompressedStatic
from dashboard.page_shell import PreloadPlotly

# relative to this file when started by `streamlit run`, so it is dashboard/app.py
tcp_nodelay.install()  # before uvicorn listens: small replies are not held back 40 ms (tcp_nodelay.py)
app = st.App("app.py", middleware=[Middleware(PreloadPlotly), Middleware(CompressedStatic)])
warmup.start(str(db.db_path()))  # imports and the database check, before the first reader arrives
