"""Online content: what platforms report they remove, and how platforms answer the regulator's complaints."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, charts, sidebar, ui
from dashboard.charts import ChartText
from dashboard.dsa import views as dsa_views

META_POLICIES = {"Dangerous Orgs: Terrorism": "terrorism", "Dangerous Orgs: Organized Hate": "organized hate"}
# TikTok renamed its policy in 2023: both names are one series of reports
TIKTOK_POLICIES = {"Violent extremism": "violent extremism",
                   "Violent & Hateful Orgs & Individuals": "violent & hateful orgs"}
TIKTOK_METRICS = ("Proactive removal rate", "Removal rate within 24 hours", "Category share")
TIKTOK_MARKETS = ("Global", "Pakistan")
DIMENSIONS = {"Platform": "platform", "Category": "category", "Group": "group", "Region": "region"}

filters = sidebar.current()
params = filters.params()
subtitle = sidebar.describe(filters, platforms=True, event_types=False)
# transparency reports are global or per market: the region and group filters do not apply to them
report_subtitle = sidebar.describe(filters, regions=False, groups=False, platforms=True, event_types=False)
platform_note = (f" (the platform filter keeps {', '.join(filters.platforms)})" if filters.platforms else "")

st.title("Online content")
st.caption("Platform transparency reports (what platforms say they removed) and the regulator's complaint "
           "tracker (how platforms answer escalations).")

# --- platform enforcement ------------------------------------------------------------------------
st.subheader("Platform enforcement")


def meta_series(metric: str) -> pd.DataFrame:
    frame = cache.query("content_metrics_by_period", policy_areas=list(META_POLICIES), metric=metric,
                        market="Global", **params)
    frame["series"] = frame["platform"] + " · " + frame["policy_area"].map(META_POLICIES)
    return frame


for metric, unit, title, axis in (
    ("Content Actioned", "count", "Meta: dangerous-organisation content actioned", "pieces of content actioned"),
    ("Proactive rate", "fraction", "Meta: share found before users reported it (proactive rate)",
     "proactive rate (%)"),
):
    frame = meta_series(metric)
    text = ChartText(title, report_subtitle + " · global, per quarter",
                     ui.source_note(frame["source"].unique()) or "Meta Community Standards Enforcement Report")
    ui.chart_card(
        charts.line_chart(frame, x="period_start", y="value", color="series", unit=unit, text=text, markers=True,
                          y_title=axis, x_title="quarter"),
        frame[["period_label", "platform", "policy_area", "metric", "value"]], text=text,
        key=f"meta_{ui.slug(metric)}",
        empty_reason="No Meta figures in this period or for the chosen platforms: Meta reports Facebook and "
                     "Instagram, 2017Q4–2023Q3, globally." + platform_note,
    )

tiktok_metric = sidebar.bound(st.segmented_control, "TikTok measure", TIKTOK_METRICS, key="tiktok_metric",
                              default=TIKTOK_METRICS[0], url_default=TIKTOK_METRICS[0], required=True)
parts = [cache.query("content_metrics_by_period", policy_areas=list(TIKTOK_POLICIES), metric=tiktok_metric,
                     market=market, **filters.replace(platforms=filters.platforms or ["TikTok"]).params())
         for market in TIKTOK_MARKETS]
tiktok = pd.concat(parts, ignore_index=True)
tiktok = tiktok[tiktok["platform"] == "TikTok"]
tiktok["series"] = tiktok["market"] + " · " + tiktok["policy_area"].map(TIKTOK_POLICIES)
text = ChartText(f"TikTok: violent extremism, {tiktok_metric.lower()}",
                 report_subtitle + " · global and Pakistan market (where reported)",
                 ui.source_note(tiktok["source"].unique()) or "TikTok Community Guidelines Enforcement Report")
ui.chart_card(
    charts.line_chart(tiktok, x="period_start", y="value", color="series", unit="fraction", text=text, markers=True,
                      y_title="share (%)", x_title="quarter"),
    tiktok[["period_label", "market", "policy_area", "metric", "value"]], text=text, key="tiktok",
    empty_reason="No TikTok figures for this measure in this period or for the chosen platforms (TikTok reports "
                 "2020Q3–2023Q3; the Pakistan market only from 2023Q3)." + platform_note,
)

# --- EU statements of reasons (DSA Transparency Database) --------------------------------------------


def dsa_section() -> None:
    """EU DSA statements of reasons by platform over time, beside the Meta and TikTok reports and never added
    to them: the DSA counts moderation decisions notified in the EU, Meta and TikTok count global actions."""
    st.subheader("EU statements of reasons")
    st.caption("Every moderation decision a platform notifies to the EU's DSA Transparency Database, counted per "
               "platform and day. A different measure from the Meta and TikTok reports above (EU decisions, not "
               "global removals): shown beside them, never added to them.")
    catalog = cache.query("content_metrics_catalog")
    if not (catalog["metric"] == dsa_views.METRIC).any():
        st.caption("None loaded yet. Load the DSA daily dumps with `python -m dashboard.dsa --input FOLDER` (see "
                   "the README, \"Scaling out\"), or upload one day's statements file on the Upload page.")
        return
    area = sidebar.bound(st.segmented_control, "Statements about", list(dsa_views.AREAS), key="dsa_area",
                         default=next(iter(dsa_views.AREAS)), url_default=next(iter(dsa_views.AREAS)),
                         required=True) or next(iter(dsa_views.AREAS))

    def rows(query: str, prefix: str, platforms: list[str] | None = None) -> pd.DataFrame:
        # breakdowns are read for the charted platforms only: a year of days is millions of rows
        chosen = params if platforms is None else filters.replace(platforms=platforms).params()
        return cache.query(query, policy_areas=dsa_views.AREAS[area], breakdown_prefix=prefix, **chosen)

    totals = rows("dsa_statements_by_day", "")
    platforms = dsa_views.top_platforms(totals)
    synthetic = ui.is_synthetic(totals)
    source = "; ".join(sorted(set("; ".join(totals["source"]).split("; ")))) if len(totals) else ""
    note = source or "EU DSA Transparency Database"
    scope_note = f"{area.lower()} · top {len(platforms)} platforms by statements" if platforms else area.lower()
    empty = ("No statements of reasons loaded for this period or these platforms. They come from the DSA daily "
             "dumps (python -m dashboard.dsa, see the README) or from a statements file uploaded on the Upload "
             "page." + platform_note)

    by_day = dsa_views.daily(totals, platforms)
    text = ChartText(f"EU statements of reasons: {area.lower()}, per day", f"{report_subtitle} · {scope_note}",
                     note, synthetic=synthetic)
    ui.chart_card(charts.daily_lines(by_day, x="day", y="statements", color="platform", text=text,
                                     y_title="statements", empty_reason=empty),
                  by_day, text=text, key="dsa_daily", empty_reason=empty)

    share = dsa_views.automated_share(totals, rows("dsa_statements_by_day", dsa_views.FULLY_AUTOMATED, platforms),
                                      platforms)
    text = ChartText("Share decided fully automatically", f"{report_subtitle} · {scope_note} · per day", note,
                     synthetic=synthetic)
    ui.chart_card(charts.daily_lines(share, x="day", y="share", color="platform", unit="fraction", text=text,
                                     y_title="fully automated", empty_reason=empty),
                  share, text=text, key="dsa_automated", empty_reason=empty)

    left, right = st.columns(2)
    with left:
        visibility = dsa_views.breakdown_shares(totals, rows("dsa_breakdowns_by_platform", "Visibility: ", platforms),
                                                platforms, "Visibility: ")
        text = ChartText("Visibility decisions", f"{report_subtitle} · {scope_note} · share of statements "
                         "(some carry several)", note, synthetic=synthetic)
        ui.chart_card(charts.share_bars(visibility, category="platform", series="value", value="share", text=text,
                                        empty_reason=empty),
                      visibility, text=text, key="dsa_visibility", empty_reason=empty)
    with right:
        scope = dsa_views.breakdown_shares(totals, rows("dsa_breakdowns_by_platform", "Scope: ", platforms), platforms,
                                           "Scope: ")
        text = ChartText("Territorial scope", f"{report_subtitle} · {scope_note} · share of statements (full "
                         "dumps only)", note, synthetic=synthetic)
        ui.chart_card(charts.share_bars(scope, category="platform", series="value", value="share", text=text,
                                        partition=True, empty_reason=empty),
                      scope, text=text, key="dsa_scope", empty_reason=empty)


dsa_section()

# --- the complaint tracker -------------------------------------------------------------------------
st.subheader("Complaint tracker")
controls = st.columns([2, 4, 3])
with controls[0]:
    deadline = sidebar.bound(st.number_input, "Deadline (hours)", key="deadline", url_default=48, min_value=1,
                             max_value=24 * 30, value=48, step=12,
                             help="A complaint decided after this many hours, or still pending past it, is a breach.")
with controls[1]:
    dimension_label = sidebar.bound(st.segmented_control, "Break down by", list(DIMENSIONS), key="by",
                                    default="Platform", url_default="Platform", required=True)
dimension = DIMENSIONS[dimension_label or "Platform"]
logs = ui.complaint_logs()
with controls[2]:
    # two logs (a regulator's own and the sample, say) are two sources: one at a time, never summed
    log = sidebar.bound(st.selectbox, "Complaint log (one at a time)", list(logs) or ["(none loaded)"], key="log",
                        url_default=next(iter(logs), "(none loaded)"), disabled=len(logs) < 2)
log_id = logs.get(log)
tracker_params = params | {"deadline_hours": float(deadline)}


def one_log(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["dataset_id"] == log_id].reset_index(drop=True)


overall = one_log(cache.query("complaints_by_dimension", dimension="all", **tracker_params))
tracker = one_log(cache.query("complaints_by_dimension", dimension=dimension, **tracker_params))
synthetic = ui.is_synthetic(overall)
note = ui.source_note([log] if log_id is not None else [])
empty = "No complaints match these filters (the complaints log covers 2023–2025)."

if overall.empty:
    ui.empty_card("Complaint tracker", empty)
else:
    row = overall.iloc[0]
    if synthetic:
        ui.sample_badge()  # one badge for the row of headline numbers below
    cards = st.columns(5)
    figures = (
        ("Compliance rate", ui.fmt(row["compliance_rate"], ".1%"), "Removed or geo-blocked, among decided complaints"),
        ("Median time to action", ui.fmt(row["median_hours"], ".0f", " h"), "Half of decided complaints took longer"),
        ("90th percentile", ui.fmt(row["p90_hours"], ".0f", " h"), "One in ten decided complaints took longer"),
        ("Pending backlog", f"{int(row['pending']):,}", "Complaints without a decision"),
        (f"Past the {deadline:g} h deadline", f"{int(row['deadline_breaches']):,}",
         f"{row['deadline_breaches'] / row['complaints']:.0%} of {int(row['complaints']):,} complaints"),
    )
    for card, (label, value, caption) in zip(cards, figures, strict=False):
        with card:
            ui.metric_card(label, value, caption=caption)

table = tracker.rename(columns={"dimension_value": dimension})[
    [dimension, "complaints", "items", "compliance_rate", "median_hours", "p90_hours", "pending", "deadline_breaches"]]
left, right = st.columns(2)
with left:
    text = ChartText(f"Compliance rate by {dimension}", subtitle, note, synthetic=synthetic)
    ui.chart_card(charts.bar_ranking(table, category=dimension, value="compliance_rate", unit="fraction", text=text,
                                     value_title="compliance rate (%)"),
                  table, text=text, key="tracker_compliance", empty_reason=empty)
with right:
    hours = table.melt(id_vars=[dimension], value_vars=["median_hours", "p90_hours"], var_name="measure",
                       value_name="hours")
    hours["measure"] = hours["measure"].map({"median_hours": "median", "p90_hours": "90th percentile"})
    text = ChartText(f"Hours to action by {dimension}", subtitle + f" · dashed line: the {deadline:g} h deadline",
                     note, synthetic=synthetic)
    ui.chart_card(charts.grouped_bars(hours, x=dimension, y="hours", color="measure", text=text, unit="hours",
                                      y_title="hours to decision",
                                      reference=float(deadline), horizontal=True,
                                      reference_label=f"deadline {deadline:g} h"),
                  table, text=text, key="tracker_hours", empty_reason=empty)

by_quarter = one_log(cache.query("complaints_by_quarter", **params))
text = ChartText("Complaints and compliance per quarter", subtitle, note, synthetic=ui.is_synthetic(by_quarter))
ui.chart_card(charts.line_chart(by_quarter, x="quarter", y="compliance_rate", unit="fraction", text=text,
                                y_title="compliance rate (%)", x_title="quarter", markers=True,
                                bars="complaints", bars_title="complaints submitted"),
              by_quarter[["quarter", "complaints", "compliance_rate"]], text=text, key="tracker_quarters",
              empty_reason=empty)
ui.table_card(table, text=ChartText(f"Tracker by {dimension}", subtitle + f" · deadline {deadline:g} h", note,
                                    synthetic=synthetic), key="tracker_table", empty_reason=empty, height=260)
