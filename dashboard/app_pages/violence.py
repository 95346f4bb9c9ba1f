"""Violence: 2022 to now from published reports (monthly trend, provinces, groups per source), then the event
data: where (map, districts), who (groups), what (event types), when (monthly trend), and the events.

Clicking a province on the map or a group on the group chart focuses the rest of the page on it (a
cross-filter); the focus lives in the URL (focus_region, focus_group), so it is part of the permalink.
Each event source gets its own column: sources are shown side by side, never summed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, changes, charts, published, published_view, sidebar, ui
from dashboard.charts import ChartText
from dashboard.series import complete_periods

FOCUS_REGION, FOCUS_GROUP = "focus_region", "focus_group"
DRILL_LIMIT = 200
TOP_GROUPS = 6
MEASURES = {"Events": "events", "Deaths": "killed"}
NOT_A_GROUP = {"Other groups", "Unknown", "State forces"}

filters = sidebar.current()
options = sidebar.load_options()
subtitle = sidebar.describe(filters)


def _focus(key: str, known: tuple[str, ...]) -> str | None:
    """The focus value from the URL if it is a known name; an unknown one is dropped with a notice."""
    value = st.query_params.get(key)
    if value is None or value == "":
        return None
    if value not in known:
        st.warning(f"Ignored from the link: {key.replace('_', ' ')} '{ui.md_escape(value)}' is not a known name.",
                   icon=":material/link_off:")
        del st.query_params[key]
        return None
    return value


def _set_focus(key: str, chart_key: str) -> None:
    """on_select callback: a click sets the focus, a click that clears the selection removes it."""
    chosen = [v for v in ui.picked(chart_key) if v not in NOT_A_GROUP]
    if chosen:
        st.query_params[key] = chosen[-1]
    elif key in st.query_params:
        del st.query_params[key]


def _clear_focus() -> None:
    for key in (FOCUS_REGION, FOCUS_GROUP):
        if key in st.query_params:
            del st.query_params[key]
    # a new chart key resets the charts' own selection state
    st.session_state["_violence_generation"] = st.session_state.get("_violence_generation", 0) + 1


focus_region = _focus(FOCUS_REGION, options.regions)
focus_group = _focus(FOCUS_GROUP, options.groups)
for key, value in ((FOCUS_REGION, focus_region), (FOCUS_GROUP, focus_group)):
    sidebar.remember(key, [value] if value else [])
generation = st.session_state.get("_violence_generation", 0)

st.title("Violence")

# --- 2022 to now, from published reports -----------------------------------------------------------
st.header("2022 to now, from published reports", divider="gray")
st.caption("Event-level data for these years cannot be shipped (ACLED's and GTD's terms forbid it), but "
           "Pakistan's research institutes publish monthly and yearly counts. Each source counts differently: "
           "they stand side by side, never added up. ≥ marks a lower bound, ≈ an approximate number.")
published_controls = st.columns([2, 3, 5])
with published_controls[0]:
    published_label = sidebar.bound(st.segmented_control, "Published measure", list(published.MEASURES),
                                    key="pub_measure", default="Attacks", url_default="Attacks", required=True)
published_label = published_label or "Attacks"
with published_controls[1]:
    published_rate = sidebar.bound(st.toggle, "Per million people (provinces)", key="pub_per_million",
                                   url_default=False, help="Each province's figure divided by its census population.")
published_view.monthly_trend(filters, published_label, key="published_monthly", rule=ui.change_rule())
left, right = st.columns(2)
with left:
    published_view.provinces(filters, published_label, per_million=published_rate, key="published_provinces")
with right:
    published_view.groups(filters, published_label, key="published_groups")

# --- event data ------------------------------------------------------------------------------------
st.header("Event data", divider="gray")
st.caption("Events of organised violence by province, group, type and month, from the event datasets loaded "
           "(UCDP GED as shipped ends in 2021; uploaded ACLED, GTD or own logs extend it). Click a province on "
           "the map or a group in the group chart to focus the rest of this section on it.")

controls = st.columns([2, 3, 5])
with controls[0]:
    measure_label = sidebar.bound(st.segmented_control, "Measure", list(MEASURES), key="measure", default="Events",
                                  url_default="Events",
                                  required=True)
measure = MEASURES[measure_label or "Events"]
with controls[1]:
    per_million = sidebar.bound(st.toggle, "Per million people per year (map)", key="per_million",
                                url_default=False,
                                help="Events in the period ÷ the years the period and the data share ÷ the census "
                                     "population (2023; AJK 2017), in millions. Khyber Pakhtunkhwa includes ex-FATA.")
with controls[2]:
    if focus_region or focus_group:
        chips = " · ".join(f"**{label}:** {ui.md_escape(value)}" for label, value in (("Province", focus_region),
                                                                        ("Group", focus_group)) if value)
        st.markdown(f"Focused on {chips}")
        st.button("Clear selection", icon=":material/close:", on_click=_clear_focus, key="clear_focus")

sources = sidebar.chosen_sources(filters, options)
if not sources:
    ui.empty_card("No event data", "No event dataset is loaded: upload one on the Upload page.")
    st.stop()

# the map ignores the province focus and the group chart the group focus: a cross-filter filters the others
regions = [focus_region] if focus_region else list(filters.regions)
groups = [focus_group] if focus_group else list(filters.groups)
base = filters.params()
map_params = filters.replace(groups=groups).params()
group_params = filters.replace(regions=regions).params()
focused_filters = filters.replace(regions=regions, groups=groups)
focused = focused_filters.params()
focus_note = "".join(f" · focus: {v}" for v in (focus_region, focus_group) if v)

by_map = cache.query("incidents_by_map_region", **map_params)
by_group_year = cache.query("incidents_by_group_year", top_n=TOP_GROUPS, **group_params)
by_type = cache.query("incidents_by_event_type", **focused)
by_month = cache.query("incidents_by_month", **focused)
by_district = cache.query("incidents_by_district", **focused)
totals = cache.query("incidents_totals", **focused)
key_events = cache.query("annotations_in_period", **base)
empty = "No events match these filters" + (" and this focus" if focus_note else "") + \
        " (check the period: the event data may end before it)."
event_types = filters.event_types  # the sidebar's filter narrows every chart here, the point map included

def event_flags(frame, measure: str, source: str, dataset_id: int):
    """The latest month's change if "What changed" flags it (a month the data covers only in part is left
    out, as there)."""
    books = ui.catalog().set_index("dataset_id")
    end = books["coverage_end"].get(dataset_id)
    complete = changes.complete(frame.assign(month=pd.to_datetime(frame["month"])), "month", end, "month")
    return changes.flags(complete, period="month", value=measure, source=source, rule=ui.change_rule())


def slots(single: bool) -> dict[str, object]:
    """Where each block goes: a two-column grid for one source; a plain stack inside a source's column
    when several sources stand side by side."""
    if not single:
        stack = st.container()
        return dict.fromkeys(("map", "groups", "months", "types", "districts", "events"), stack)
    top, middle, low, bottom = st.columns(2), st.container(), st.columns(2), st.container()
    return {"map": top[0], "groups": top[1], "months": middle, "types": low[0], "districts": low[1],
            "events": bottom}


def event_points(dataset_id: int, tag: str, note: str) -> None:
    """For an event-level source: its located events as points, and the details of the one clicked.
    Aggregated sources have no coordinates: nothing is drawn for them."""
    points = cache.query("incident_points", limit=POINT_LIMIT,
                         **focused_filters.replace(dataset_ids=[dataset_id]).params())
    if points.empty and not event_types:
        return
    shown = f"newest {len(points):,} located events" if len(points) >= POINT_LIMIT else f"{len(points):,} located events"
    text = ChartText("Events on the map", subtitle + focus_note + f" · {shown}", note)
    chart_key = f"points_{tag}_{generation}"
    table = points.drop(columns=["source"])
    ui.chart_card(charts.event_points_map(points, ui.geojson(), text=text), table, text=text, key=chart_key,
                  empty_reason="No located events of these types match the filters.",
                  on_pick=lambda: None)
    chosen = ui.picked(chart_key)
    if chosen:
        event_detail(points, chosen[-1])


def event_detail(points, event_id: str) -> None:
    """The clicked event, field by field (text from the data is escaped)."""
    rows = points[points["source_event_id"].astype(str) == event_id]
    if rows.empty:
        return
    row = rows.iloc[0]
    with st.container(border=True, key="event_detail"):
        st.markdown(f"**Event {ui.md_escape(event_id)}** · {ui.md_escape(row['source'])}")
        fields = [("Date", row["event_date"]), ("Where", ", ".join(str(v) for v in (row["location"], row["district"],
                  row["region"]) if v is not None and str(v) != "nan")), ("Group", row["group_name"]),
                  ("Type", row["event_type"]), ("Deaths", row["killed"]), ("Injured", row["injured"])]
        st.markdown("\n".join(f"- **{label}:** {ui.md_escape(value)}" for label, value in fields))


POINT_LIMIT = 3000
columns = st.columns(len(sources)) if len(sources) > 1 else [st.container()]
for column, (source, dataset_id) in zip(columns, sources, strict=False):
    tag = ui.slug(source)
    note = ui.source_note([source])
    with column:
        if len(sources) > 1:
            st.markdown(f"#### {ui.md_escape(source)}")
        place = slots(len(sources) == 1)
        with place["map"]:
            value = f"{measure}_per_million" if per_million else measure
            noun = measure_label.lower() + (" per million people per year" if per_million else "")
            frame = by_map[by_map["dataset_id"] == dataset_id]
            rate_note = ""
            if per_million and not frame.empty:
                first, last = frame["rate_from"].iloc[0], frame["rate_to"].iloc[0]
                rate_note = (f" · yearly average over {frame['years'].iloc[0]:.1f} years ({first:%Y}–{last:%Y}) "
                             "÷ census population")
            text = ChartText(f"{measure_label} by province" + (" per million people per year" if per_million else ""),
                             subtitle + "".join(f" · focus: {v}" for v in [focus_group] if v) + rate_note, note)
            table = frame[["region", "events", "killed", "population", "population_year", "years",
                           "events_per_million", "killed_per_million"]]
            chart_key = f"map_{tag}_{generation}"
            ui.chart_card(
                charts.choropleth_map(frame, ui.geojson(), value=value, value_title=noun,
                                      unit="rate" if per_million else "count", text=text, highlight=focus_region),
                table if frame[measure].sum() > 0 else table.iloc[0:0], text=text, key=chart_key,
                empty_reason=empty, on_pick=lambda k=chart_key: _set_focus(FOCUS_REGION, k),
            )
            event_points(dataset_id, tag, note)
        with place["groups"]:
            frame = by_group_year[by_group_year["dataset_id"] == dataset_id]
            text = ChartText(("Events involving" if measure == "events" else "Deaths in events involving")
                             + f" each group, per year (top {TOP_GROUPS})",
                             subtitle + "".join(f" · focus: {v}" for v in [focus_region] if v), note)
            chart_key = f"groups_{tag}_{generation}"
            ui.chart_card(
                charts.stacked_bars(frame, x="year", y=measure, color="group_name", label="short_name", text=text,
                                    y_title=f"{measure_label.lower()} per year (count)", highlight=focus_group,
                                    colours=ui.group_colours()),
                frame[["year", "group_name", "events", "killed"]], text=text, key=chart_key,
                empty_reason=empty, on_pick=lambda k=chart_key: _set_focus(FOCUS_GROUP, k),
            )
        with place["months"]:
            frame = complete_periods(by_month[by_month["dataset_id"] == dataset_id], "month", ["events", "killed"])
            text = ChartText(f"{measure_label} per month, with key events", subtitle + focus_note, note)
            ui.chart_card(
                charts.line_chart(frame, x="month", y=measure, text=text, y_title=measure_label.lower(),
                                  annotations=key_events, flags=event_flags(frame, measure, source, dataset_id)),
                frame[["month", "events", "killed"]], text=text, key=f"months_{tag}", empty_reason=empty,
            )
        with place["types"]:
            frame = by_type[by_type["dataset_id"] == dataset_id]
            text = ChartText(f"{measure_label} by type of violence", subtitle + focus_note, note)
            ui.chart_card(
                charts.bar_ranking(frame, category="event_type", value=measure, text=text,
                                   value_title=measure_label.lower()),
                frame[["event_type", "events", "killed"]], text=text, key=f"types_{tag}", empty_reason=empty,
            )
        with place["districts"]:
            frame = by_district[by_district["dataset_id"] == dataset_id]
            ui.table_card(
                frame[["region", "district", "events", "killed", "first_event", "last_event"]],
                text=ChartText("Districts", subtitle + focus_note, note), key=f"districts_{tag}",
                empty_reason=empty, height=290,
            )
        with place["events"]:
            total = int(totals.loc[totals["dataset_id"] == dataset_id, "rows"].sum())
            events = cache.query("incident_events", limit=DRILL_LIMIT,
                                 **focused_filters.replace(dataset_ids=[dataset_id]).params())
            ui.table_card(
                events.drop(columns=["source"]),
                text=ChartText(f"The records behind these charts (newest {min(DRILL_LIMIT, total):,} of {total:,})",
                               subtitle + focus_note, note),
                key=f"events_{tag}", empty_reason=empty,
            )
