"""Overview: the headline numbers with their sources, where and who, and enforcement at a glance."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, changes, charts, published, published_view, sidebar, ui
from dashboard.charts import ChartText
from dashboard.series import change, format_change, latest_two

HEADLINE_METRICS = {"attacks": "attacks", "deaths": "deaths"}
META_TERRORISM = "Dangerous Orgs: Terrorism"
# TikTok renamed the policy in 2023; both names are one series of reports
SHOWN_CHANGES = 6  # "What changed" lists this many as sentences; the table under them holds all
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
for column, (metric, noun) in zip(columns, HEADLINE_METRICS.items(), strict=False):
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

# --- the latest month, from published monthly reports -----------------------------------------------
monthly = cache.query("published_monthly", metrics=list(HEADLINE_METRICS), **params)
preferences = cache.query("reference_source_preferences")
for column, metric in zip(columns[2:], HEADLINE_METRICS, strict=False):
    with column:
        part = monthly[monthly["metric"] == metric]
        lead = published.lead_source(part, preferences, metric)
        latest = published.latest_month(part, lead) if lead else None
        if latest is None:
            ui.empty_card(f"{metric.capitalize()} in the latest month", "No source's monthly figures fall inside "
                          "the chosen period.")
            continue
        mark = charts.VALUE_KIND_MARK.get(latest.value_kind, "")
        delta = (f"{format_change(change(latest.previous_value, latest.value))} vs {latest.previous_label}"
                 if latest.previous_value is not None else None)
        ui.metric_card(
            f"{metric.capitalize()} in {latest.label} (national, monthly)", mark + ui.fmt_count(latest.value),
            delta=delta, delta_color="inverse",
            caption=f"{latest.source} monthly report" + (f": {ui.fmt_count(latest.previous_value)} in "
                                                          f"{latest.previous_label}" if delta else ""),
            help=f"The newest month any source has published; {latest.source} leads where sources tie "
                 "(see Sources). The Violence page shows every source's months side by side.",
            trend=part[part["source"] == lead].sort_values("month")["value"].tail(12).tolist(),
        )

# --- what changed ----------------------------------------------------------------------------------
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
rule = ui.change_rule(changes.ChangeRule(threshold / 100, float(min_count)))
found = changes.gather(cache.query, filters, ui.catalog(), rule)
if found.empty:
    st.info("No series moved by that much in its latest period.", icon=":material/check:")
else:
    shown = found.assign(what=found.apply(changes.describe_change, axis=1))
    shown = shown.assign(change=shown["change"].where(shown["change"].abs() != float("inf")))
    if shown["synthetic"].any():
        ui.sample_badge()
    # the newest changes as sentences that wrap on any screen (a table's cells do not)
    st.markdown("\n".join(
        f"- **{ui.md_escape(r.series)}** ({ui.md_escape(r.source)}"
        + (", sample data" if r.synthetic else "") + f"): {ui.md_escape(r.what)}"
        for r in shown.head(SHOWN_CHANGES).itertuples()))
    with st.expander(f"All {len(shown)} notable changes, with their sources' addresses"):
        ui.table_card(
            shown[["series", "source", "what", "change", "period_label", "citation_url", "synthetic"]],
            text=ChartText(f"Notable changes: ±{threshold}% or more, at least {min_count} either side",
                           subtitle + " · each series is one source compared with itself", "every series loaded",
                           synthetic=bool(shown["synthetic"].any())),
            key="what_changed", empty_reason="No notable change.", height=260,
        )

# --- where and who ---------------------------------------------------------------------------------
heading = st.empty()  # the heading names the year, which depends on the measure chosen under it
pub_label = sidebar.bound(st.segmented_control, "Measure", list(published.MEASURES), key="pub_measure",
                          default="Attacks", url_default="Attacks", required=True) or "Attacks"
regional = cache.query("published_regions", metric=published.MEASURES[pub_label], **params)
year = published.latest_year(regional, min_sources=2)
heading.subheader(f"Where and who in {year}, from published reports" if year else "Where and who, from published reports")
left, right = st.columns(2)
with left:
    published_view.provinces(filters, pub_label, per_million=False, key="overview_published_provinces", year=year)
with right:
    published_view.groups(filters, pub_label, key="overview_published_groups")

by_year = cache.query("incidents_by_year", **params)
event_sources = sidebar.chosen_sources(filters, sidebar.load_options())
primary, primary_id = event_sources[0] if event_sources else (None, None)
yearly = by_year[by_year["dataset_id"] == primary_id]
span = f"{int(yearly['year'].min())}–{int(yearly['year'].max())}" if not yearly.empty else "no events in this period"
st.subheader(f"Where and who in the event data: {primary or 'no event dataset'} ({span})")
st.caption("Event data counts events, not published attacks: its years "
           + (f"end in {int(yearly['year'].max())}" if not yearly.empty else "do not reach this period")
           + ", so its numbers are not comparable with the published figures above."
           + (" The Violence page sets every selected event source side by side." if len(event_sources) > 1 else ""))
by_region = cache.query("incidents_by_region", **params)
by_group = cache.query("incidents_by_group", **params)
# above both cards, so they stay level
per_million = sidebar.bound(st.toggle, "Provinces per million people", key="regions_per_million", url_default=False,
                            help="A yearly rate: events ÷ the years the period and the data share ÷ the census "
                                 "population (2023; AJK 2017).")
left, right = st.columns(2)
source_line = ui.source_note([primary] if primary else [])
with left:
    table = by_region[(by_region["dataset_id"] == primary_id) & (by_region["region"] != "Unknown")]
    table = table[["region", "events", "killed", "years", "events_per_million"]]
    text = ChartText("Top provinces by events" + (" per million people a year" if per_million else ""),
                     subtitle + f" · event data {span} · Khyber Pakhtunkhwa includes ex-FATA"
                     + (" · events ÷ years covered ÷ census population" if per_million else ""), source_line)
    ui.chart_card(charts.bar_ranking(table, category="region", value="events_per_million" if per_million else "events",
                                     text=text, max_bars=8, unit="rate" if per_million else "count",
                                     value_title="events per million people a year" if per_million
                                     else "events (count)"),
                  table, text=text, key="overview_regions",
                  empty_reason="No events match these filters (the event data may not cover this period).")
with right:
    table = by_group[(by_group["dataset_id"] == primary_id) & (by_group["actor_kind"].fillna("") != "state")]
    table = table[["group_name", "short_name", "ideology", "events", "killed"]]
    text = ChartText("Armed groups by events involving them",
                     subtitle + f" · event data {span} · operations against a group count too · state forces left out",
                     source_line)
    ui.chart_card(charts.bar_ranking(table, category="group_name", value="events", label="short_name", text=text,
                                     max_bars=8, value_title="events involving the group (count)"),
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
