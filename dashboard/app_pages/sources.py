"""Sources: what is loaded (licence, attribution, synthetic flag), and one number as many sources publish it.
What to draw is worked out in page_models/sources.py."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, sections, sidebar, ui
from dashboard.filters import Filters
from dashboard.page_models import sources


def catalog_section() -> None:
    card = sources.catalog_card(ui.catalog())
    ui.show(card)
    if card.text.synthetic:
        st.caption("Rows with sample_data ticked are synthetic, made up to show how a view works; every chart "
                   "they feed carries the Sample data badge.")


@sections.fragment
def one_number(filters: Filters) -> None:
    """The metric picker reruns only this section."""
    st.subheader("One number, many sources")
    choices, default = sources.metric_choices(cache.query)
    metric = sidebar.bound(st.selectbox, "Metric", choices, key="metric", url_default=default,
                           index=choices.index(default),
                           help="Published counts; metrics that several sources report come first.")
    view = sources.comparison(cache.query, filters, metric)
    ui.show(view.chart)
    disagreements(view)
    with st.container(border=True):
        st.markdown(f"**How each source defines {ui.md_escape(view.noun)}**")
        for source, definition in view.definitions:
            st.markdown(f"- **{ui.md_escape(source)}**: {ui.md_escape(definition)}")
    ui.show(view.figures)


def disagreements(view: sources.Comparison) -> None:
    if view.disagreements.empty:
        return
    with st.container(border=True):
        st.markdown(f"**Where sources disagree on {ui.md_escape(view.noun)}**")
        st.dataframe(view.disagreements, hide_index=True, width="stretch",
                     column_config={"lowest": st.column_config.NumberColumn(format="localized"),
                                    "highest": st.column_config.NumberColumn(format="localized")})
        st.caption("Different numbers for the same year come from different definitions (attacks vs incidents, "
                   "counter-terror operations in or out), different counting rules, or a source revising itself.")


st.title(sources.TITLE)
st.caption("Every dataset behind the dashboard with its licence and attribution, and the published figures "
           "side by side: sources count different things, so their numbers differ and are never added up.")
catalog_section()
one_number(sidebar.current())
