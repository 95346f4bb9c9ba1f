"""Violence: the event data, per event source side by side (never summed): where (map, located events,
districts), who (groups), what (event types), when (monthly trend), and the records behind them.

A clicked province or group focuses the rest of the section on it (a cross-filter): the map ignores the province
focus and the group chart the group focus, so each still shows what can be clicked. The published section above
it is drawn from published_cards.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from dashboard import changes, charts
from dashboard.charts import ChartText
from dashboard.filters import Filters
from dashboard.page_models.common import Catalog, Chart, Query, Table, describe, group_colours, one_dataset, slug
from dashboard.series import complete_periods

TITLE = "Violence"
FOCUS_REGION, FOCUS_GROUP = "focus_region", "focus_group"
# the page's tabs (only the open one runs) and the URL parameter that names the open one
VIEW = "view"
VIEWS = ("Published reports", "Event data")
DRILL_LIMIT = 200
POINT_LIMIT = 3000
TOP_GROUPS = 6
MEASURES = {"Events": "events", "Deaths": "killed"}
NOT_A_GROUP = {"Other groups", "Unknown", "State forces"}
MAP_COLUMNS = ["region", "events", "killed", "population", "population_year", "years", "events_per_million",
               "killed_per_million"]
DISTRICT_COLUMNS = ["region", "district", "events", "killed", "first_event", "last_event"]


def focus_value(value: str | None, known: tuple[str, ...]) -> tuple[str | None, str | None]:
    """A focus from the URL: (the value, None) if it is a known name, (None, why it was ignored) if not."""
    if value is None or value == "":
        return None, None
    if value not in known:
        return None, f"'{value}' is not a known name"
    return value, None


def picked_focus(values: list[str]) -> str | None:
    """The focus a click sets: the last clicked value that names a group or province (None clears it)."""
    chosen = [v for v in values if v not in NOT_A_GROUP]
    return chosen[-1] if chosen else None


@dataclass(frozen=True)
class Focus:
    """The clicked province and group (None: no focus)."""

    region: str | None = None
    group: str | None = None

    @property
    def note(self) -> str:
        return "".join(f" · focus: {v}" for v in (self.region, self.group) if v)

    def focused(self, filters: Filters, *, region: bool = True, group: bool = True) -> Filters:
        """The filters with the focus in place of the sidebar's regions and groups."""
        return replace(filters, regions=(self.region,) if region and self.region else filters.regions,
                       groups=(self.group,) if group and self.group else filters.groups)


@dataclass(frozen=True)
class EventData:
    """The section's queries, each for every chosen event source at once (one query, split per source: the
    sources stand side by side)."""

    by_map: pd.DataFrame = field(repr=False)
    by_group_year: pd.DataFrame = field(repr=False)
    by_type: pd.DataFrame = field(repr=False)
    by_month: pd.DataFrame = field(repr=False)
    by_district: pd.DataFrame = field(repr=False)
    totals: pd.DataFrame = field(repr=False)
    key_events: pd.DataFrame = field(repr=False)


def event_data(query: Query, filters: Filters, focus: Focus) -> EventData:
    focused = focus.focused(filters).params()
    return EventData(
        by_map=query("incidents_by_map_region", **focus.focused(filters, region=False).params()),
        by_group_year=query("incidents_by_group_year", top_n=TOP_GROUPS,
                            **focus.focused(filters, group=False).params()),
        by_type=query("incidents_by_event_type", **focused),
        by_month=query("incidents_by_month", **focused),
        by_district=query("incidents_by_district", **focused),
        totals=query("incidents_totals", **focused),
        key_events=query("annotations_in_period", **filters.params()),
    )


@dataclass(frozen=True)
class Controls:
    """The section's own controls."""

    measure_label: str = "Events"
    per_million: bool = False
    generation: int = 0  # bumped when the focus is cleared: new chart keys reset the charts' selections

    @property
    def measure(self) -> str:
        return MEASURES[self.measure_label]


@dataclass(frozen=True)
class SourceView:
    """One event source's column of cards."""

    label: str
    map: Chart
    points: Chart | None  # None for an aggregated source (no coordinates)
    located: pd.DataFrame = field(repr=False)  # the located events drawn, for the details of a clicked one
    groups: Chart = field(repr=False)
    months: Chart = field(repr=False)
    types: Chart = field(repr=False)
    districts: Table = field(repr=False)
    events: Table = field(repr=False)


def empty_reason(focus: Focus) -> str:
    return ("No events match these filters" + (" and this focus" if focus.note else "")
            + " (check the period: the event data may end before it).")


def source_view(query: Query, filters: Filters, data: EventData, focus: Focus, controls: Controls, *,
                source: str, dataset_id: int, geojson: dict[str, Any],
                rule: changes.ChangeRule | None = None) -> SourceView:
    """Every card of one event source under the focus and the controls."""
    tag, note, subtitle = slug(source), Catalog.read(query).note([source]), describe(filters)
    measure, label = controls.measure, controls.measure_label
    empty = empty_reason(focus)

    frame = one_dataset(data.by_map, dataset_id)
    value = f"{measure}_per_million" if controls.per_million else measure
    rate_note = ""
    if controls.per_million and not frame.empty:
        first, last = frame["rate_from"].iloc[0], frame["rate_to"].iloc[0]
        rate_note = (f" · yearly average over {frame['years'].iloc[0]:.1f} years ({first:%Y}–{last:%Y}) "
                     "÷ census population")
    rate = " per million people per year" if controls.per_million else ""
    text = ChartText(f"{label} by province{rate}", subtitle + (f" · focus: {focus.group}" if focus.group else "")
                     + rate_note, note)
    table = frame[MAP_COLUMNS]
    map_chart = Chart(f"map_{tag}_{controls.generation}", charts.choropleth_map(
        frame, geojson, value=value, value_title=label.lower() + rate, unit="rate" if controls.per_million else "count",
        text=text, highlight=focus.region), table if frame[measure].sum() > 0 else table.iloc[0:0], text, empty)

    points, located = event_points(query, filters, focus, controls, dataset_id=dataset_id, tag=tag, note=note,
                                   geojson=geojson)

    frame = one_dataset(data.by_group_year, dataset_id)
    text = ChartText(("Events involving" if measure == "events" else "Deaths in events involving")
                     + f" each group, per year (top {TOP_GROUPS})",
                     subtitle + (f" · focus: {focus.region}" if focus.region else ""), note)
    groups = Chart(f"groups_{tag}_{controls.generation}", charts.stacked_bars(
        frame, x="year", y=measure, color="group_name", label="short_name", text=text,
        y_title=f"{label.lower()} per year (count)", highlight=focus.group, colours=group_colours(query)),
        frame[["year", "group_name", "events", "killed"]], text, empty)

    frame = complete_periods(one_dataset(data.by_month, dataset_id), "month", ["events", "killed"])
    text = ChartText(f"{label} per month, with key events", subtitle + focus.note, note)
    flags = month_flags(query, frame, measure, source, dataset_id, rule) if rule is not None else None
    months = Chart(f"months_{tag}", charts.line_chart(
        frame, x="month", y=measure, text=text, y_title=label.lower(), annotations=data.key_events, flags=flags),
        frame[["month", "events", "killed"]], text, empty)

    frame = one_dataset(data.by_type, dataset_id)
    text = ChartText(f"{label} by type of violence", subtitle + focus.note, note)
    types = Chart(f"types_{tag}", charts.bar_ranking(frame, category="event_type", value=measure, text=text,
                                                     value_title=label.lower()),
                  frame[["event_type", "events", "killed"]], text, empty)

    districts = Table(f"districts_{tag}", one_dataset(data.by_district, dataset_id)[DISTRICT_COLUMNS],
                      ChartText("Districts", subtitle + focus.note, note), empty, height=290)
    return SourceView(source, map_chart, points, located, groups, months, types, districts,
                      records(query, filters, data, focus, dataset_id=dataset_id, tag=tag, note=note))


def month_flags(query: Query, frame: pd.DataFrame, measure: str, source: str, dataset_id: int,
                rule: changes.ChangeRule) -> pd.DataFrame:
    """The latest month's change if "What changed" flags it (a month the data covers only in part is left out,
    as there)."""
    end = Catalog.read(query).coverage_end(dataset_id)
    complete = changes.complete(frame.assign(month=pd.to_datetime(frame["month"])), "month", end, "month")
    return changes.flags(complete, period="month", value=measure, source=source, rule=rule)


def event_points(query: Query, filters: Filters, focus: Focus, controls: Controls, *, dataset_id: int, tag: str,
                 note: str, geojson: dict[str, Any]) -> tuple[Chart | None, pd.DataFrame]:
    """For an event-level source: its located events as points (newest POINT_LIMIT). Aggregated sources have no
    coordinates: no chart for them."""
    one = replace(focus.focused(filters), dataset_ids=(dataset_id,))
    # the sidebar's event-type filter narrows the points as it narrows every chart here
    points = query("incident_points", limit=POINT_LIMIT, **one.params())
    if points.empty and not filters.event_types:
        return None, points
    shown = (f"newest {len(points):,} located events" if len(points) >= POINT_LIMIT
             else f"{len(points):,} located events")
    text = ChartText("Events on the map", describe(filters) + focus.note + f" · {shown}", note)
    return Chart(f"points_{tag}_{controls.generation}", charts.event_points_map(points, geojson, text=text),
                 points.drop(columns=["source"]), text, "No located events of these types match the filters."), points


def event_detail(points: pd.DataFrame, event_id: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The clicked event's source and fields (label, value), or None if it is not among the points."""
    rows = points[points["source_event_id"].astype(str) == event_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    where = ", ".join(str(v) for v in (row["location"], row["district"], row["region"])
                      if v is not None and str(v) != "nan")
    fields = [("Date", row["event_date"]), ("Where", where), ("Group", row["group_name"]), ("Type", row["event_type"]),
              ("Deaths", row["killed"]), ("Injured", row["injured"])]
    return str(row["source"]), [(label, str(value)) for label, value in fields]


def records(query: Query, filters: Filters, data: EventData, focus: Focus, *, dataset_id: int, tag: str,
            note: str) -> Table:
    """The newest records behind the charts, of this source only."""
    total = int(data.totals.loc[data.totals["dataset_id"] == dataset_id, "rows"].sum())
    events = query("incident_events", limit=DRILL_LIMIT,
                   **replace(focus.focused(filters), dataset_ids=(dataset_id,)).params())
    return Table(f"events_{tag}", events.drop(columns=["source"]),
                 ChartText(f"The records behind these charts (newest {min(DRILL_LIMIT, total):,} of {total:,})",
                           describe(filters) + focus.note, note), empty_reason(focus))
