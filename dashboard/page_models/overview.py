"""Overview: the headline numbers with their sources, what changed, where and who (published and event data), and
enforcement at a glance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import cast

import pandas as pd

from dashboard import changes, charts, published
from dashboard.charts import ChartText
from dashboard.filters import Filters
from dashboard.page_models.common import (
    Catalog,
    Chart,
    DeltaColor,
    Empty,
    Metric,
    Query,
    Table,
    describe,
    fmt_count,
    is_synthetic,
    one_dataset,
)
from dashboard.series import change, format_change, latest_two

TITLE = "Militancy & Online Content Observatory"
HEADLINE_METRICS = {"attacks": "attacks", "deaths": "deaths"}
META_TERRORISM = "Dangerous Orgs: Terrorism"
# TikTok renamed the policy in 2023; both names are one series of reports
TIKTOK_POLICIES = ("Violent extremism", "Violent & Hateful Orgs & Individuals")
SHOWN_CHANGES = 6  # "What changed" lists this many as sentences; the table under them holds all
EVENTS_EMPTY = "No events match these filters (the event data may not cover this period)."


def headline(query: Query, filters: Filters) -> list[Metric | Empty]:
    """Four cards: national attacks and deaths in the latest full year against the year before (the preferred
    source), then in the latest published month."""
    return yearly_cards(query, filters) + monthly_cards(query, filters)


def yearly_cards(query: Query, filters: Filters) -> list[Metric | Empty]:
    rows = query("published_figures_headline", metrics=list(HEADLINE_METRICS), **filters.params())
    best = rows[rows["rank"] == 1].set_index("metric")
    cards: list[Metric | Empty] = []
    for metric, noun in HEADLINE_METRICS.items():
        if metric not in best.index:
            cards.append(Empty(noun.capitalize(), "No source publishes two consecutive full years of national "
                                                  f"{noun} inside the chosen period."))
            continue
        row = cast(pd.Series, best.loc[metric])  # rank 1 is one row per metric
        others = rows[(rows["metric"] == metric) & (rows["rank"] > 1)]["source"].tolist()
        cards.append(Metric(
            f"{noun.capitalize()} in {row['year']} (national)", fmt_count(row["value"]),
            delta=f"{format_change(row['change'])} vs {row['previous_year']}", delta_color="inverse",
            caption=f"{row['source']}: {fmt_count(row['previous_value'])} → {fmt_count(row['value'])} "
                    f"{noun}, {format_change(row['change'])}",
            help=(row["definition"] or "") + (f" Other sources for this metric: {', '.join(others)} (see Sources)."
                                               if others else ""),
        ))
    return cards


def monthly_cards(query: Query, filters: Filters) -> list[Metric | Empty]:
    """The latest month any source has published, from the lead source where sources tie."""
    monthly = query("published_monthly", metrics=list(HEADLINE_METRICS), **filters.params())
    preferences = query("reference_source_preferences")
    cards: list[Metric | Empty] = []
    for metric in HEADLINE_METRICS:
        part = monthly[monthly["metric"] == metric]
        lead = published.lead_source(part, preferences, metric)
        latest = published.latest_month(part, lead) if lead else None
        if latest is None:
            cards.append(Empty(f"{metric.capitalize()} in the latest month", "No source's monthly figures fall "
                                                                            "inside the chosen period."))
            continue
        delta = (f"{format_change(change(latest.previous_value, latest.value))} vs {latest.previous_label}"
                 if latest.previous_value is not None else None)
        cards.append(Metric(
            f"{metric.capitalize()} in {latest.label} (national, monthly)",
            charts.VALUE_KIND_MARK.get(latest.value_kind, "") + fmt_count(latest.value),
            delta=delta, delta_color="inverse",
            caption=f"{latest.source} monthly report" + (f": {fmt_count(latest.previous_value)} in "
                                                         f"{latest.previous_label}" if delta else ""),
            help=f"The newest month any source has published; {latest.source} leads where sources tie "
                 "(see Sources). The Violence page shows every source's months side by side.",
            trend=tuple(part[part["source"] == lead].sort_values("month")["value"].tail(12).tolist()),
            trend_unit="month",
        ))
    return cards


@dataclass(frozen=True)
class Changes:
    """Every notable change under the rule: the newest as sentences, all of them in a table."""

    sentences: list[tuple[str, str, bool, str]]  # series, source, synthetic, what changed
    synthetic: bool
    table: Table | None  # None when nothing moved that much


def what_changed(query: Query, filters: Filters, threshold: int, min_count: float) -> Changes:
    """The latest period of every series against the one before, flagged past ``threshold`` % when either value
    reaches ``min_count``."""
    rule = changes.ChangeRule(threshold / 100, float(min_count))
    found = changes.gather(query, filters, Catalog.read(query).books, rule)
    if found.empty:
        return Changes([], False, None)
    shown = found.assign(what=found.apply(changes.describe_change, axis=1))
    shown = shown.assign(change=shown["change"].where(shown["change"].abs() != float("inf")))
    synthetic = bool(shown["synthetic"].any())
    table = Table(
        "what_changed", shown[["series", "source", "what", "change", "period_label", "citation_url", "synthetic"]],
        ChartText(f"Notable changes: ±{threshold}% or more, at least {min_count} either side",
                  describe(filters) + " · each series is one source compared with itself", "every series loaded",
                  synthetic=synthetic),
        "No notable change.", height=260)
    sentences = [(str(r.series), str(r.source), bool(r.synthetic), str(r.what))
                 for r in shown.head(SHOWN_CHANGES).itertuples()]
    return Changes(sentences, synthetic, table)


@dataclass(frozen=True)
class EventData:
    """The event data's provinces and armed groups, from the first chosen event dataset, labelled with its years."""

    heading: str
    caption: str
    regions: Chart
    groups: Chart


def event_data(query: Query, filters: Filters, event_sources: list[tuple[str, int]], *, per_million: bool) -> EventData:
    """``event_sources``: the chosen event datasets (label, id); the first is shown."""
    primary, primary_id = event_sources[0] if event_sources else (None, None)
    # the queries take the dataset: only the shown dataset's rows come back (none without a dataset)
    one = replace(filters, dataset_ids=(primary_id,) if primary_id is not None else (-1,)).params()
    yearly = query("incidents_by_year", **one)
    span = f"{int(yearly['year'].min())}–{int(yearly['year'].max())}" if not yearly.empty \
        else "no events in this period"
    caption = ("Event data counts events, not published attacks: its years "
               + (f"end in {int(yearly['year'].max())}" if not yearly.empty else "do not reach this period")
               + ", so its numbers are not comparable with the published figures above."
               + (" The Violence page sets every selected event source side by side." if len(event_sources) > 1
                  else ""))
    note = Catalog.read(query).note([primary] if primary else [])
    subtitle = describe(filters)

    by_region = query("incidents_by_region", **one)
    table = by_region[by_region["region"] != "Unknown"][["region", "events", "killed", "years", "events_per_million"]]
    text = ChartText("Top provinces by events" + (" per million people a year" if per_million else ""),
                     subtitle + f" · event data {span} · Khyber Pakhtunkhwa includes ex-FATA"
                     + (" · events ÷ years covered ÷ census population" if per_million else ""), note)
    regions = Chart("overview_regions", charts.bar_ranking(
        table, category="region", value="events_per_million" if per_million else "events", text=text, max_bars=8,
        unit="rate" if per_million else "count",
        value_title="events per million people a year" if per_million else "events (count)"), table, text,
        EVENTS_EMPTY)

    by_group = query("incidents_by_group", **one)
    table = by_group[by_group["actor_kind"].fillna("") != "state"][["group_name", "short_name", "ideology", "events",
                                                                    "killed"]]
    text = ChartText("Armed groups by events involving them",
                     subtitle + f" · event data {span} · operations against a group count too · state forces left out",
                     note)
    groups = Chart("overview_groups", charts.bar_ranking(
        table, category="group_name", value="events", label="short_name", text=text, max_bars=8,
        value_title="events involving the group (count)"), table, text, EVENTS_EMPTY)
    return EventData(f"Where and who in the event data: {primary or 'no event dataset'} ({span})", caption, regions,
                     groups)


# (label, rows, how the value reads, what it counts, delta colour)
_Card = tuple[str, pd.DataFrame, Callable[[float], str], str, DeltaColor]


def enforcement(query: Query, filters: Filters) -> list[Metric] | Empty:
    """Platform enforcement in the latest quarter against the one before: Meta's terrorism content actioned per
    platform, Facebook's proactive rate, TikTok's proactive removal rate."""
    params = filters.params()
    actioned = query("content_metrics_by_period", policy_areas=[META_TERRORISM], metric="Content Actioned",
                     market="Global", **params)
    proactive = query("content_metrics_by_period", policy_areas=[META_TERRORISM], metric="Proactive rate",
                      market="Global", **params)
    tiktok = query("content_metrics_by_period", policy_areas=list(TIKTOK_POLICIES), metric="Proactive removal rate",
                   market="Global", **params)
    cards: list[_Card] = [(f"{platform} · terrorism", part, fmt_count, "pieces of terrorist content actioned, global",
                           "off") for platform, part in actioned.groupby("platform", sort=True)]
    facebook_rate = proactive[proactive["platform"] == "Facebook"]
    if not facebook_rate.empty:
        cards.append(("Facebook · proactive rate", facebook_rate, "{:.1%}".format,
                      "share of terrorist content found before users reported it", "normal"))
    tiktok = tiktok[tiktok["platform"] == "TikTok"]
    if not tiktok.empty:
        cards.append(("TikTok · violent extremism", tiktok, "{:.1%}".format, "share removed proactively, global",
                      "normal"))
    if not cards:
        return Empty("Platform enforcement", "No platform figures in this period or for the chosen platforms "
                                             "(Meta reports 2017Q4–2023Q3, TikTok 2020Q3–2023Q3).")
    return [metric for card in cards if (metric := _quarter_card(*card)) is not None]


def _quarter_card(label: str, part: pd.DataFrame, shown: Callable[[float], str], what: str,
                  colour: DeltaColor) -> Metric | None:
    quarters = latest_two(part, "period_start", "value")
    if quarters is None:
        return None
    latest, previous = quarters
    return Metric(label, shown(latest["value"]),
                  delta=f"{format_change(change(previous['value'], latest['value']))} vs {previous['period_label']}",
                  caption=f"{latest['period_label']}, {what}. {latest['source']}", delta_color=colour,
                  trend=tuple(part.sort_values("period_start")["value"].tolist()), trend_unit="quarter")


def compliance(query: Query, filters: Filters) -> Chart:
    """Complaint compliance by platform in the default complaint log (the Online page switches logs)."""
    catalog = Catalog.read(query)
    log, log_id = next(iter(catalog.complaint_logs().items()), (None, None))
    # one log's rows, split in pandas: the complaint queries take no dataset filter (yet)
    tracker = one_dataset(query("complaints_by_dimension", dimension="platform", deadline_hours=48,
                                **filters.params()), log_id)
    text = ChartText("Complaint compliance by platform",
                     describe(filters, event_types=False) + " · removed or geo-blocked among decided",
                     catalog.note([log] if log else []), synthetic=is_synthetic(tracker))
    table = tracker[["dimension_value", "complaints", "compliance_rate", "median_hours", "pending"]].rename(
        columns={"dimension_value": "platform"})
    return Chart("overview_compliance", charts.bar_ranking(
        table, category="platform", value="compliance_rate", unit="fraction", text=text, max_bars=8,
        value_title="compliance rate (%)"), table, text,
        "No complaints match these filters (the complaints log covers 2023–2025).")
