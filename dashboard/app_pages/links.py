"""Links: violence and online enforcement on one time axis, indexed, with a lagged correlation. What to draw is
worked out in page_models/links.py."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, sections, sidebar, ui
from dashboard.filters import Filters
from dashboard.page_models import links


@sections.fragment
def linked_series(filters: Filters) -> None:
    """The series pickers rerun only this section."""
    offered = links.choices(cache.query, filters, sidebar.chosen_sources(filters, sidebar.load_options()))
    sources, online_names = offered.violence_labels, offered.online_labels
    controls = st.columns(3)
    with controls[0]:
        source = sidebar.bound(st.selectbox, "Violence series (one source at a time)", sources, key="links_source",
                               url_default=sources[0] if sources else None, disabled=len(sources) < 2,
                               help="An event dataset, or a source's published monthly attacks (Events) or deaths "
                                    "(Deaths), added up per quarter where all three months were published exactly.")
    with controls[1]:
        measure_label = sidebar.bound(st.segmented_control, "Violence measure", list(links.MEASURES),
                                      key="links_measure", default="Events", url_default="Events", required=True)
    with controls[2]:
        online_name = sidebar.bound(st.selectbox, "Online series", online_names, key="online_series",
                                    url_default=online_names[0])
    view = links.links(cache.query, filters, offered, source=source, measure_label=measure_label or "Events",
                       online_name=online_name)
    ui.show(view.indexed)
    ui.show(view.correlation)
    if view.strongest:
        st.caption(view.strongest)


st.title(links.TITLE)
st.warning(
    "**Correlation is not causation.** Two series that rise together may both follow a third thing "
    "(a military operation, a platform's new detection tool, a change in what a report counts). Platform "
    "figures here are global, the events are Pakistan's; a lag with a high correlation is a question to "
    "investigate, not an answer.",
    icon=":material/warning:",
)
linked_series(sidebar.current())
