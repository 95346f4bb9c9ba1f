"""Online content: what platforms report they remove, and how platforms answer the regulator's complaints. What to
draw is worked out in page_models/online.py; each section's own controls rerun only that section (fragments)."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, sections, sidebar, ui
from dashboard.dsa import views as dsa_views
from dashboard.filters import Filters
from dashboard.page_models import online

AREA_DEFAULT = next(iter(dsa_views.AREAS))


@sections.fragment
def tiktok_section(filters: Filters) -> None:
    metric = sidebar.bound(st.segmented_control, "TikTok measure", online.TIKTOK_METRICS, key="tiktok_metric",
                           default=online.TIKTOK_METRICS[0], url_default=online.TIKTOK_METRICS[0], required=True)
    ui.show(online.tiktok_chart(cache.query, filters, metric or online.TIKTOK_METRICS[0]))


@sections.fragment
def statements_section(filters: Filters) -> None:
    st.subheader("EU statements of reasons")
    st.caption("Every moderation decision a platform notifies to the EU's DSA Transparency Database, counted per "
               "platform and day. A different measure from the Meta and TikTok reports above (EU decisions, not "
               "global removals): shown beside them, never added to them.")
    if not online.dsa_loaded(cache.query):
        st.caption("None loaded yet. Load the DSA daily dumps with `python -m dashboard.dsa --input FOLDER` (see "
                   "the README, \"Scaling out\"), or upload one day's statements file on the Upload page.")
        return
    area = sidebar.bound(st.segmented_control, "Statements about", list(dsa_views.AREAS), key="dsa_area",
                         default=AREA_DEFAULT, url_default=AREA_DEFAULT, required=True)
    view = online.statements(cache.query, filters, area or AREA_DEFAULT)
    ui.show(view.daily)
    ui.show(view.automated)
    left, right = st.columns(2)
    with left:
        ui.show(view.visibility)
    with right:
        ui.show(view.scope)


@sections.fragment
def tracker_section(filters: Filters) -> None:
    st.subheader("Complaint tracker")
    logs = list(ui.complaint_logs()) or [online.NO_LOG]
    controls = st.columns([2, 4, 3])
    with controls[0]:
        deadline = sidebar.bound(st.number_input, "Deadline (hours)", key="deadline", url_default=48, min_value=1,
                                 max_value=24 * 30, value=48, step=12,
                                 help="A complaint decided after this many hours, or still pending past it, is a "
                                      "breach.")
    with controls[1]:
        dimension = sidebar.bound(st.segmented_control, "Break down by", list(online.DIMENSIONS), key="by",
                                  default="Platform", url_default="Platform", required=True)
    with controls[2]:
        # two logs (a regulator's own and the sample, say) are two sources: one at a time, never summed
        log = sidebar.bound(st.selectbox, "Complaint log (one at a time)", logs, key="log", url_default=logs[0],
                            disabled=len(logs) < 2)
    view = online.tracker(cache.query, filters, deadline=deadline, dimension_label=dimension or "Platform", log=log)
    headline(view)
    left, right = st.columns(2)
    with left:
        ui.show(view.compliance)
    with right:
        ui.show(view.hours)
    ui.show(view.quarters)
    ui.show(view.table)


def headline(view: online.Tracker) -> None:
    if isinstance(view.headline, online.Empty):
        ui.show(view.headline)
        return
    if view.synthetic:
        ui.sample_badge()  # one badge for the row of headline numbers below
    for card, metric in zip(st.columns(len(view.headline)), view.headline, strict=True):
        with card:
            ui.show(metric)


filters = sidebar.current()
st.title(online.TITLE)
st.caption("Platform transparency reports (what platforms say they removed) and the regulator's complaint "
           "tracker (how platforms answer escalations).")
st.subheader("Platform enforcement")
for chart in online.meta_charts(cache.query, filters):
    ui.show(chart)
tiktok_section(filters)
statements_section(filters)
tracker_section(filters)
