"""Overview page (placeholder until the pages issue lands)."""

import streamlit as st

from dashboard import cache

st.title("Militancy & Online Content Observatory")
catalog = cache.query("datasets_catalog")
st.dataframe(catalog[["name", "kind", "source", "licence", "is_synthetic", "row_count"]], hide_index=True)
