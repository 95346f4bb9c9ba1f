"""Overview: the headline numbers with their sources, where and who, and enforcement at a glance. What to draw is
worked out in page_models/overview.py; each section's own controls rerun only that section (fragments)."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, changes, published, published_view, sections, sidebar, ui
from dashboard.filters import Filters
from dashboard.page_models import overview, published_cards


def headline_section(filters: Filters) -> None:
    st.subheader("Headline figures")
    for column, card in zip(st.columns(4), overview.headline(cache.query, filters), strict=True):
        with column:
            ui.show(card)


@sections.fragment
def changes_section(filters: Filters) -> None:
    """The rule's two controls rerun only this section; the rule is kept for the other pages' trend charts."""
    st.subheader("What changed")
    rule_columns = st.columns([3, 3, 6])
    with rule_columns[0]:
        threshold = sidebar.bound(st.slider, "Flag changes of at least (%)", 5, 200, key="change_threshold",
                                  value=25, step=5, url_default=25,
                                  help="A change is flagged when a series rises or falls by at least this much "
                                       "from the period before.")
    with rule_columns[1]:
        min_count = sidebar.bound(st.number_input, "…when either value is at least", key="change_min", min_value=0,
                                  value=10, step=5, url_default=10,
                                  help="Small counts swing by chance: 3 → 5 is +67% but no news.")
    ui.change_rule(changes.ChangeRule(threshold / 100, float(min_count)))
    found = overview.what_changed(cache.query, filters, threshold, min_count)
    if found.table is None:
        st.info("No series moved by that much in its latest period.", icon=":material/check:")
        return
    if found.synthetic:
        ui.sample_badge()
    # the newest changes as sentences that wrap on any screen (a table's cells do not)
    st.markdown("\n".join(f"- **{ui.md_escape(series)}** ({ui.md_escape(source)}"
                          + (", sample data" if synthetic else "") + f"): {ui.md_escape(what)}"
                          for series, source, synthetic, what in found.sentences))
    # drawn only when opened: a table is the heaviest element of a first load (its code and a canvas grid)
    with st.expander(f"All {len(found.table.table)} notable changes, with their sources' addresses",
                     key="changes_table", on_change="rerun") as table:
        if table.open:
            ui.show(found.table)


@sections.fragment
def published_section(filters: Filters) -> None:
    """The measure picker reruns only this section."""
    heading = st.empty()  # the heading names the year, which depends on the measure chosen under it
    label = sidebar.bound(st.segmented_control, "Measure", list(published.MEASURES), key="pub_measure",
                          default="Attacks", url_default="Attacks", required=True) or "Attacks"
    year = published_cards.province_year(cache.query, filters, label)
    heading.subheader(f"Where and who in {year}, from published reports" if year
                      else "Where and who, from published reports")
    left, right = st.columns(2)
    with left:
        published_view.provinces(filters, label, per_million=False, key="overview_published_provinces", year=year)
    with right:
        published_view.groups(filters, label, key="overview_published_groups")


@sections.fragment
def event_section(filters: Filters) -> None:
    """The per-million toggle reruns only this section."""
    heading, caption = st.empty(), st.empty()  # they name the data's years, drawn above the toggle
    # above both cards, so they stay level
    per_million = sidebar.bound(st.toggle, "Provinces per million people", key="regions_per_million",
                                url_default=False,
                                help="A yearly rate: events ÷ the years the period and the data share ÷ the census "
                                     "population (2023; AJK 2017).")
    view = overview.event_data(cache.query, filters, sidebar.chosen_sources(filters, sidebar.load_options()),
                               per_million=per_million)
    heading.subheader(view.heading)
    caption.caption(view.caption)
    left, right = st.columns(2)
    with left:
        ui.show(view.regions)
    with right:
        ui.show(view.groups)


def enforcement_section(filters: Filters) -> None:
    st.subheader("Enforcement at a glance")
    enforcement, compliance = st.columns(2)
    with enforcement:
        cards = overview.enforcement(cache.query, filters)
        if isinstance(cards, overview.Empty):
            ui.show(cards)
            cards = []
        grid = st.columns(2)
        for index, card in enumerate(cards):
            with grid[index % 2]:
                ui.show(card)
    with compliance:
        ui.show(overview.compliance(cache.query, filters))


filters = sidebar.current()
st.title(overview.TITLE)
st.caption("Militant violence and the online extremist content that platforms and regulators act on. "
           "Every number names its source; sources count different things and are never added up.")
headline_section(filters)
changes_section(filters)
published_section(filters)
event_section(filters)
enforcement_section(filters)
