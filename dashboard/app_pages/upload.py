"""Upload page (placeholder until the uploads issue lands)."""

import streamlit as st

st.title("Upload data")
st.info("Uploads are being built.")
