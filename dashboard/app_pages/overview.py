"""Overview: the headline numbers with their sources, where and who, and enforcement at a glance."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, charts, sidebar, ui
from dashboard.charts import ChartText
from dashboard.series import change, format_change, latest_two

HEADLINE_METRICS = {"attacks": "attacks", "deaths": "deaths"}
META_TERRORISM = "Dangerous Orgs: Terrorism"
# TikTok renamed the policy in 2023; both names are one series of reports
TIKTOK_POLICIES = ("Violent extremism", "Violent & Hateful Orgs & Individuals")

filters = sidebar.current()
params = filters.params()
subtitle = sidebar.describe(filters)

st.title("Militancy & Online Content Observatory")
st.caption("Militant violence and the online extremist content that platforms and regulators act on. "
           "Every number names its source; sources count different things and are never added up.")

# --- headline: published figures, latest year against the one before ------------------------------
st.subheader("Headline figures")
headline = cache.query("published_figures_headline", metrics=list(HEADLINE_METRICS), **params)
best = headline[headline["rank"] == 1].set_index("metric")
columns = st.columns(4)
for column, (metric, noun) in zip(columns, HEADLINE_METRICS.items()):
    with column:
        if metric not in best.index:
            ui.empty_card(noun.capitalize(), "No source publishes two consecutive full years of national "
                          f"{noun} inside the chosen period.")
            continue
        row = best.loc[metric]
        others = headline[(headline["metric"] == metric) & (headline["rank"] > 1)]["source"].tolist()
        ui.metric_card(
            f"{noun.capitalize()} in {row['year']} (national)", ui.fmt_count(row["value"]),
            delta=f"{format_change(row['change'])} vs {row['previous_year']}", delta_color="inverse",
            caption=f"{row['source']}: {ui.fmt_count(row['previous_value'])} → {ui.fmt_count(row['value'])} "
                    f"{noun}, {format_change(row['change'])}",
            help=(row["definition"] or "") + (f" Other sources for this metric: {', '.join(others)} (see Sources)."
                                               if others else ""),
        )

# --- event data: the newest year in the filtered view, per event source ---------------------------
by_year = cache.query("incidents_by_year", **params)
event_sources = sidebar.chosen_sources(filters, sidebar.load_options())
primary, primary_id = event_sources[0] if event_sources else (None, None)
yearly = by_year[by_year["dataset_id"] == primary_id]
pair = latest_two(yearly, "year", "events")
for column, measure, noun in ((columns[2], "events", "events"), (columns[3], "killed", "deaths")):
    with column:
        if pair is None:
            ui.empty_card(f"Event data: {noun}", "Fewer than two years of events match these filters.")
            continue
        latest, previous = pair
        ui.metric_card(
            f"{noun.capitalize()} in {latest['year']} (event data)", ui.fmt_count(latest[measure]),
            delta=f"{format_change(change(previous[measure], latest[measure]))} vs {previous['year']}",
            delta_color="inverse",
            caption=f"{primary}, filtered view: {ui.fmt_count(previous[measure])} → {ui.fmt_count(latest[measure])}",
        )

# --- where and who ---------------------------------------------------------------------------------
st.subheader("Where and who")
if len(event_sources) > 1:
    st.caption(f"Showing {ui.md_escape(primary)}; the Violence page sets every selected event source side by side.")
by_region = cache.query("incidents_by_region", **params)
by_group = cache.query("incidents_by_group", **params)
# above both cards, so they stay level
per_million = sidebar.bound(st.toggle, "Regions per million people", key="regions_per_million", url_default=False,
                            help="Rates use the 2023 census population of each region.")
left, right = st.columns(2)
source_line = ui.source_note([primary] if primary else [])
with left:
    text = ChartText("Top regions by events" + (" per million people" if per_million else ""), subtitle, source_line)
    table = by_region[by_region["dataset_id"] == primary_id][["region", "events", "killed", "events_per_million"]]
    ui.chart_card(charts.bar_ranking(table, category="region", value="events_per_million" if per_million else "events",
                                     text=text, max_bars=8, unit="rate" if per_million else "count",
                                     value_title="events per million people" if per_million else "events"),
                  table, text=text, key="overview_regions",
                  empty_reason="No events match these filters (the event data may not cover this period).")
with right:
    text = ChartText("Top groups by events", subtitle, source_line)
    table = by_group[by_group["dataset_id"] == primary_id][["group_name", "short_name", "ideology", "events", "killed"]]
    ui.chart_card(charts.bar_ranking(table, category="group_name", value="events", label="short_name", text=text,
                                     max_bars=8, value_title="events"),
                  table, text=text, key="overview_groups",
                  empty_reason="No events match these filters (the event data may not cover this period).")

# --- enforcement at a glance -----------------------------------------------------------------------
st.subheader("Enforcement at a glance")
enforcement, compliance = st.columns(2)
with enforcement:
    actioned = cache.query("content_metrics_by_period", policy_areas=[META_TERRORISM], metric="Content Actioned",
                           market="Global", **params)
    proactive = cache.query("content_metrics_by_period", policy_areas=[META_TERRORISM], metric="Proactive rate",
                            market="Global", **params)
    tiktok = cache.query("content_metrics_by_period", policy_areas=list(TIKTOK_POLICIES),
                         metric="Proactive removal rate", market="Global", **params)
    cards = []
    for platform, part in actioned.groupby("platform", sort=True):
        cards.append((f"{platform} · terrorism", part, ui.fmt_count, "pieces of terrorist content actioned, global",
                      "off"))
    facebook_rate = proactive[proactive["platform"] == "Facebook"]
    if not facebook_rate.empty:
        cards.append(("Facebook · proactive rate", facebook_rate, "{:.1%}".format,
                      "share of terrorist content found before users reported it", "normal"))
    tiktok = tiktok[tiktok["platform"] == "TikTok"]
    if not tiktok.empty:
        cards.append(("TikTok · violent extremism", tiktok, "{:.1%}".format,
                      "share removed proactively, global", "normal"))
    if not cards:
        ui.empty_card("Platform enforcement", "No platform figures in this period or for the chosen platforms "
                      "(Meta reports 2017Q4–2023Q3, TikTok 2020Q3–2023Q3).")
    grid = st.columns(2)
    for index, (label, part, shown, what, colour) in enumerate(cards):
        quarters = latest_two(part, "period_start", "value")
        if quarters is None:
            continue
        latest, previous = quarters
        with grid[index % 2]:
            ui.metric_card(
                label, shown(latest["value"]),
                delta=f"{format_change(change(previous['value'], latest['value']))} vs {previous['period_label']}",
                caption=f"{latest['period_label']}, {what}. {latest['source']}", delta_color=colour,
                trend=part.sort_values("period_start")["value"].tolist(),
            )
with compliance:
    logs = ui.complaint_logs()
    log, log_id = next(iter(logs.items()), (None, None))  # the default log; the Online page switches logs
    tracker = cache.query("complaints_by_dimension", dimension="platform", deadline_hours=48, **params)
    tracker = tracker[tracker["dataset_id"] == log_id]
    text = ChartText("Complaint compliance by platform", subtitle + " · removed or geo-blocked among decided",
                     ui.source_note([log] if log else []), synthetic=ui.is_synthetic(tracker))
    table = tracker[["dimension_value", "complaints", "compliance_rate", "median_hours", "pending"]].rename(
        columns={"dimension_value": "platform"})
    ui.chart_card(charts.bar_ranking(table, category="platform", value="compliance_rate", unit="fraction",
                                     text=text, max_bars=8, value_title="compliance rate (%)"),
                  table, text=text, key="overview_compliance",
                  empty_reason="No complaints match these filters (the complaints log covers 2023–2025).")
