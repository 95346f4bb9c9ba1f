"""Violence, in two tabs: 2022 to now from published reports (monthly trend, provinces, groups per source), and
the event data: where (map, points, districts), who (groups), what (event types), when (monthly trend), and
the events. Only the open tab runs and is drawn (a page of twelve charts, two of them maps, took 2-3 s to
settle at 10M incidents); the tab is part of the URL and the permalink.

Clicking a province on the map or a group on the group chart focuses the rest of the event section on it (a
cross-filter); the focus lives in the URL (focus_region, focus_group), so it is part of the permalink. Each event
source gets its own column: sources are shown side by side, never summed. What to draw is worked out in
page_models/violence.py and published_cards.py; each section's own controls and clicks rerun only that section.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import cache, published, published_view, sections, sidebar, ui
from dashboard.filters import Filters
from dashboard.page_models import violence
from dashboard.page_models.violence import FOCUS_GROUP, FOCUS_REGION, VIEW, VIEWS

GENERATION = "_violence_generation"


def url_focus(key: str, known: tuple[str, ...]) -> str | None:
    """The focus value from the URL if it is a known name; an unknown one is dropped with a notice."""
    value, problem = violence.focus_value(st.query_params.get(key), known)
    if problem:
        st.warning(f"Ignored from the link: {key.replace('_', ' ')} {ui.md_escape(problem)}.",
                   icon=":material/link_off:")
        del st.query_params[key]
    sidebar.remember(key, [value] if value else [])
    return value


def set_focus(key: str, chart_key: str) -> None:
    """on_select callback: a click sets the focus, a click that clears the selection removes it."""
    chosen = violence.picked_focus(ui.picked(chart_key))
    if chosen:
        st.query_params[key] = chosen
    elif key in st.query_params:
        del st.query_params[key]


def clear_focus() -> None:
    for key in (FOCUS_REGION, FOCUS_GROUP):
        if key in st.query_params:
            del st.query_params[key]
    # a new chart key resets the charts' own selection state
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


@sections.fragment
def published_section(filters: Filters) -> None:
    """The measure and the per-million toggle rerun only this section."""
    st.header("2022 to now, from published reports", divider="gray")
    st.caption("Event-level data for these years cannot be shipped (ACLED's and GTD's terms forbid it), but "
               "Pakistan's research institutes publish monthly and yearly counts. Each source counts differently: "
               "they stand side by side, never added up. ≥ marks a lower bound, ≈ an approximate number.")
    controls = st.columns([2, 3, 5])
    with controls[0]:
        label = sidebar.bound(st.segmented_control, "Published measure", list(published.MEASURES), key="pub_measure",
                              default="Attacks", url_default="Attacks", required=True) or "Attacks"
    with controls[1]:
        rate = sidebar.bound(st.toggle, "Per million people (provinces)", key="pub_per_million", url_default=False,
                             help="Each province's figure divided by its census population.")
    published_view.monthly_trend(filters, label, key="published_monthly", rule=ui.change_rule())
    left, right = st.columns(2)
    with left:
        published_view.provinces(filters, label, per_million=rate, key="published_provinces")
    with right:
        published_view.groups(filters, label, key="published_groups")


@sections.fragment
def event_section(filters: Filters) -> None:
    """The measure, the toggle and clicks on the charts rerun only this section (the event-type filter is
    the sidebar's: it reruns the page, like every global filter)."""
    st.caption("Events of organised violence by province, group, type and month, from the event datasets loaded "
               "(UCDP GED as shipped ends in 2021; uploaded ACLED, GTD or own logs extend it). Click a province on "
               "the map or a group in the group chart to focus the rest of this section on it.")
    options = sidebar.load_options()
    focus = violence.Focus(url_focus(FOCUS_REGION, options.regions), url_focus(FOCUS_GROUP, options.groups))
    controls = st.columns([2, 3, 5])
    with controls[0]:
        measure = sidebar.bound(st.segmented_control, "Measure", list(violence.MEASURES), key="measure",
                                default="Events", url_default="Events", required=True) or "Events"
    with controls[1]:
        per_million = sidebar.bound(
            st.toggle, "Per million people per year (map)", key="per_million", url_default=False,
            help="Events in the period ÷ the years the period and the data share ÷ the census population (2023; "
                 "AJK 2017), in millions. Khyber Pakhtunkhwa includes ex-FATA.")
    with controls[2]:
        focus_chips(focus)
    sources = sidebar.chosen_sources(filters, options)
    if not sources:
        ui.empty_card("No event data", "No event dataset is loaded: upload one on the Upload page.")
        return
    data = violence.event_data(cache.query, filters, focus)
    chosen = violence.Controls(measure, per_million, st.session_state.get(GENERATION, 0))
    columns = st.columns(len(sources)) if len(sources) > 1 else [st.container()]
    for column, (source, dataset_id) in zip(columns, sources, strict=True):
        with column:
            source_column(violence.source_view(cache.query, filters, data, focus, chosen, source=source,
                                               dataset_id=dataset_id, geojson=ui.geojson(), rule=ui.change_rule()),
                          single=len(sources) == 1)


def focus_chips(focus: violence.Focus) -> None:
    if not (focus.region or focus.group):
        return
    chips = " · ".join(f"**{label}:** {ui.md_escape(value)}" for label, value in (("Province", focus.region),
                                                                                ("Group", focus.group)) if value)
    st.markdown(f"Focused on {chips}")
    st.button("Clear selection", icon=":material/close:", on_click=clear_focus, key="clear_focus")


def slots(single: bool) -> dict[str, DeltaGenerator]:
    """Where each block goes: a two-column grid for one source; a plain stack inside a source's column
    when several sources stand side by side."""
    if not single:
        stack = st.container()
        return dict.fromkeys(("map", "groups", "months", "types", "districts", "events"), stack)
    top, middle, low, bottom = st.columns(2), st.container(), st.columns(2), st.container()
    return {"map": top[0], "groups": top[1], "months": middle, "types": low[0], "districts": low[1],
            "events": bottom}


def source_column(view: violence.SourceView, *, single: bool) -> None:
    if not single:
        st.markdown(f"#### {ui.md_escape(view.label)}")
    place = slots(single)
    with place["map"]:
        ui.show(view.map, on_pick=lambda: set_focus(FOCUS_REGION, view.map.key))
        points(view)
    with place["groups"]:
        ui.show(view.groups, on_pick=lambda: set_focus(FOCUS_GROUP, view.groups.key))
    with place["months"]:
        ui.show(view.months)
    with place["types"]:
        ui.show(view.types)
    with place["districts"]:
        ui.show(view.districts)
    with place["events"]:
        ui.show(view.events)


def points(view: violence.SourceView) -> None:
    """The located events, and the details of the one clicked (a click reruns the section to show them)."""
    if view.points is None:
        return
    ui.show(view.points, on_pick=lambda: None)
    chosen = ui.picked(view.points.key)
    detail = violence.event_detail(view.located, chosen[-1]) if chosen else None
    if detail is None:
        return
    source, fields = detail
    with st.container(border=True, key="event_detail"):
        st.markdown(f"**Event {ui.md_escape(chosen[-1])}** · {ui.md_escape(source)}")
        st.markdown("\n".join(f"- **{label}:** {ui.md_escape(value)}" for label, value in fields))


def open_focused_links_on_the_events() -> None:
    """A link that focuses a province or group is about the event data: it opens that tab. Only on arrival
    (the tab not drawn yet), and as the tab's state rather than its default, so the reader can still go to
    the other tab, and clearing the focus leaves them where they are."""
    focused = FOCUS_REGION in st.query_params or FOCUS_GROUP in st.query_params
    if focused and VIEW not in st.query_params and VIEW not in st.session_state:
        st.session_state[VIEW] = VIEWS[1]


filters = sidebar.current()
st.title(violence.TITLE)
open_focused_links_on_the_events()
published_tab, event_tab = st.tabs(list(VIEWS), key=VIEW, bind="query-params")
sidebar.remember(VIEW, [] if st.session_state.get(VIEW, VIEWS[0]) == VIEWS[0] else [st.session_state[VIEW]])
with published_tab:
    if published_tab.open:
        published_section(filters)
with event_tab:
    if event_tab.open:
        event_section(filters)
