"""Online content: what platforms report they remove (Meta, TikTok), the EU statements of reasons beside them, and
how platforms answer the regulator's complaints (the complaint tracker)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from dashboard import charts
from dashboard.charts import ChartText
from dashboard.dsa import views as dsa_views
from dashboard.filters import Filters
from dashboard.page_models.common import (
    Catalog,
    Chart,
    Empty,
    Metric,
    Query,
    Table,
    describe,
    fmt,
    is_synthetic,
    one_dataset,
    slug,
)

TITLE = "Online content"
META_POLICIES = {"Dangerous Orgs: Terrorism": "terrorism", "Dangerous Orgs: Organized Hate": "organized hate"}
# TikTok renamed its policy in 2023: both names are one series of reports
TIKTOK_POLICIES = {"Violent extremism": "violent extremism",
                   "Violent & Hateful Orgs & Individuals": "violent & hateful orgs"}
TIKTOK_METRICS = ("Proactive removal rate", "Removal rate within 24 hours", "Category share")
TIKTOK_MARKETS = ("Global", "Pakistan")
DIMENSIONS = {"Platform": "platform", "Category": "category", "Group": "group", "Region": "region"}
META_CHARTS = (
    ("Content Actioned", "count", "Meta: dangerous-organisation content actioned", "pieces of content actioned"),
    ("Proactive rate", "fraction", "Meta: share found before users reported it (proactive rate)", "proactive rate (%)"),
)
NO_LOG = "(none loaded)"
TRACKER_COLUMNS = ["complaints", "items", "compliance_rate", "median_hours", "p90_hours", "pending", "deadline_breaches"]
TRACKER_EMPTY = "No complaints match these filters (the complaints log covers 2023–2025)."


def report_subtitle(filters: Filters) -> str:
    """Transparency reports are global or per market: the region and group filters do not apply to them."""
    return describe(filters, regions=False, groups=False, platforms=True, event_types=False)


def platform_note(filters: Filters) -> str:
    return f" (the platform filter keeps {', '.join(filters.platforms)})" if filters.platforms else ""


def meta_charts(query: Query, filters: Filters) -> list[Chart]:
    """Meta's dangerous-organisation enforcement: content actioned, and the share found proactively."""
    out = []
    for metric, unit, title, axis in META_CHARTS:
        frame = query("content_metrics_by_period", policy_areas=list(META_POLICIES), metric=metric, market="Global",
                      **filters.params())
        frame["series"] = frame["platform"] + " · " + frame["policy_area"].map(META_POLICIES)
        text = ChartText(title, report_subtitle(filters) + " · global, per quarter",
                         Catalog.read(query).note(frame["source"].unique())
                         or "Meta Community Standards Enforcement Report")
        out.append(Chart(
            f"meta_{slug(metric)}",
            charts.line_chart(frame, x="period_start", y="value", color="series", unit=unit, text=text, markers=True,
                              y_title=axis, x_title="quarter"),
            frame[["period_label", "platform", "policy_area", "metric", "value"]], text,
            "No Meta figures in this period or for the chosen platforms: Meta reports Facebook and Instagram, "
            "2017Q4–2023Q3, globally." + platform_note(filters),
        ))
    return out


def tiktok_chart(query: Query, filters: Filters, metric: str) -> Chart:
    """TikTok's violent-extremism enforcement, one measure, global and in the Pakistan market."""
    tiktok_only = replace(filters, platforms=filters.platforms or ("TikTok",))
    tiktok = pd.concat([query("content_metrics_by_period", policy_areas=list(TIKTOK_POLICIES), metric=metric,
                              market=market, **tiktok_only.params()) for market in TIKTOK_MARKETS], ignore_index=True)
    tiktok = tiktok[tiktok["platform"] == "TikTok"]
    tiktok["series"] = tiktok["market"] + " · " + tiktok["policy_area"].map(TIKTOK_POLICIES)
    text = ChartText(f"TikTok: violent extremism, {metric.lower()}",
                     report_subtitle(filters) + " · global and Pakistan market (where reported)",
                     Catalog.read(query).note(tiktok["source"].unique())
                     or "TikTok Community Guidelines Enforcement Report")
    return Chart(
        "tiktok",
        charts.line_chart(tiktok, x="period_start", y="value", color="series", unit="fraction", text=text,
                          markers=True, y_title="share (%)", x_title="quarter"),
        tiktok[["period_label", "market", "policy_area", "metric", "value"]], text,
        "No TikTok figures for this measure in this period or for the chosen platforms (TikTok reports "
        "2020Q3–2023Q3; the Pakistan market only from 2023Q3)." + platform_note(filters),
    )


def dsa_loaded(query: Query) -> bool:
    """Whether any EU statements of reasons are loaded."""
    return bool((query("content_metrics_catalog")["metric"] == dsa_views.METRIC).any())


@dataclass(frozen=True)
class Statements:
    daily: Chart
    automated: Chart
    visibility: Chart
    scope: Chart


def statements(query: Query, filters: Filters, area: str) -> Statements:
    """EU DSA statements of reasons by platform over time, beside the Meta and TikTok reports and never added
    to them: the DSA counts moderation decisions notified in the EU, Meta and TikTok count global actions."""

    def rows(name: str, prefix: str, platforms: list[str] | None = None) -> pd.DataFrame:
        # breakdowns are read for the charted platforms only: a year of days is millions of rows
        chosen = filters if platforms is None else replace(filters, platforms=tuple(platforms))
        return query(name, policy_areas=dsa_views.AREAS[area], breakdown_prefix=prefix, **chosen.params())

    totals = rows("dsa_statements_by_day", "")
    platforms = dsa_views.top_platforms(totals)
    synthetic = is_synthetic(totals)
    note = "; ".join(sorted(set("; ".join(totals["source"]).split("; ")))) if len(totals) else ""
    note = note or "EU DSA Transparency Database"
    subtitle = report_subtitle(filters) + " · " + (
        f"{area.lower()} · top {len(platforms)} platforms by statements" if platforms else area.lower())
    empty = ("No statements of reasons loaded for this period or these platforms. They come from the DSA daily "
             "dumps (python -m dashboard.dsa, see the README) or from a statements file uploaded on the Upload "
             "page." + platform_note(filters))

    by_day = dsa_views.daily(totals, platforms)
    text = ChartText(f"EU statements of reasons: {area.lower()}, per day", subtitle, note, synthetic=synthetic)
    daily = Chart("dsa_daily", charts.daily_lines(by_day, x="day", y="statements", color="platform", text=text,
                                                  y_title="statements", empty_reason=empty), by_day, text, empty)
    share = dsa_views.automated_share(totals, rows("dsa_statements_by_day", dsa_views.FULLY_AUTOMATED, platforms),
                                      platforms)
    text = ChartText("Share decided fully automatically", f"{subtitle} · per day", note, synthetic=synthetic)
    automated = Chart("dsa_automated", charts.daily_lines(share, x="day", y="share", color="platform", unit="fraction",
                                                          text=text, y_title="fully automated", empty_reason=empty),
                      share, text, empty)
    visibility = dsa_views.breakdown_shares(totals, rows("dsa_breakdowns_by_platform", "Visibility: ", platforms),
                                            platforms, "Visibility: ")
    text = ChartText("Visibility decisions", f"{subtitle} · share of statements (some carry several)", note,
                     synthetic=synthetic)
    visible = Chart("dsa_visibility", charts.share_bars(visibility, category="platform", series="value",
                                                        value="share", text=text, empty_reason=empty),
                    visibility, text, empty)
    scope = dsa_views.breakdown_shares(totals, rows("dsa_breakdowns_by_platform", "Scope: ", platforms), platforms,
                                       "Scope: ")
    text = ChartText("Territorial scope", f"{subtitle} · share of statements (full dumps only)", note,
                     synthetic=synthetic)
    scoped = Chart("dsa_scope", charts.share_bars(scope, category="platform", series="value", value="share",
                                                  text=text, partition=True, empty_reason=empty), scope, text, empty)
    return Statements(daily, automated, visible, scoped)


@dataclass(frozen=True)
class Tracker:
    """The complaint tracker of one log: headline numbers (or why there are none), the breakdown, the quarters."""

    headline: list[Metric] | Empty
    synthetic: bool
    compliance: Chart
    hours: Chart
    quarters: Chart
    table: Table


def tracker(query: Query, filters: Filters, *, deadline: float, dimension_label: str, log: str | None) -> Tracker:
    """The tracker of complaint log ``log`` (a label of Catalog.complaint_logs), broken down by a dimension, with
    breaches of ``deadline`` hours. Two logs are two sources: one at a time, never summed."""
    catalog = Catalog.read(query)
    log_id = catalog.complaint_logs().get(log or "")
    dimension = DIMENSIONS[dimension_label]
    params = filters.params(deadline_hours=float(deadline))
    # one log's rows, split in pandas: the complaint queries take no dataset filter (yet)
    overall = one_dataset(query("complaints_by_dimension", dimension="all", **params), log_id)
    by_dimension = one_dataset(query("complaints_by_dimension", dimension=dimension, **params), log_id)
    synthetic = is_synthetic(overall)
    note = catalog.note([log] if log_id is not None else [])
    subtitle = describe(filters, platforms=True, event_types=False)
    table = by_dimension.rename(columns={"dimension_value": dimension})[[dimension, *TRACKER_COLUMNS]]

    text = ChartText(f"Compliance rate by {dimension}", subtitle, note, synthetic=synthetic)
    compliance = Chart("tracker_compliance", charts.bar_ranking(
        table, category=dimension, value="compliance_rate", unit="fraction", text=text,
        value_title="compliance rate (%)"), table, text, TRACKER_EMPTY)
    hours = table.melt(id_vars=[dimension], value_vars=["median_hours", "p90_hours"], var_name="measure",
                       value_name="hours")
    hours["measure"] = hours["measure"].map({"median_hours": "median", "p90_hours": "90th percentile"})
    text = ChartText(f"Hours to action by {dimension}", subtitle + f" · dashed line: the {deadline:g} h deadline",
                     note, synthetic=synthetic)
    hours_chart = Chart("tracker_hours", charts.grouped_bars(
        hours, x=dimension, y="hours", color="measure", text=text, unit="hours", y_title="hours to decision",
        reference=float(deadline), horizontal=True, reference_label=f"deadline {deadline:g} h"), table, text,
        TRACKER_EMPTY)
    by_quarter = one_dataset(query("complaints_by_quarter", **filters.params()), log_id)
    text = ChartText("Complaints and compliance per quarter", subtitle, note, synthetic=is_synthetic(by_quarter))
    quarters = Chart("tracker_quarters", charts.line_chart(
        by_quarter, x="quarter", y="compliance_rate", unit="fraction", text=text, y_title="compliance rate (%)",
        x_title="quarter", markers=True, bars="complaints", bars_title="complaints submitted"),
        by_quarter[["quarter", "complaints", "compliance_rate"]], text, TRACKER_EMPTY)
    return Tracker(
        headline=headline(overall.iloc[0], deadline) if not overall.empty else Empty("Complaint tracker",
                                                                                     TRACKER_EMPTY),
        synthetic=synthetic, compliance=compliance, hours=hours_chart, quarters=quarters,
        table=Table("tracker_table", table, ChartText(f"Tracker by {dimension}", subtitle + f" · deadline {deadline:g} h",
                                                      note, synthetic=synthetic), TRACKER_EMPTY, height=260),
    )


def headline(row: pd.Series, deadline: float) -> list[Metric]:
    """The tracker's five headline numbers over every complaint of the log."""
    return [
        Metric("Compliance rate", fmt(row["compliance_rate"], ".1%"),
               caption="Removed or geo-blocked, among decided complaints"),
        Metric("Median time to action", fmt(row["median_hours"], ".0f", " h"),
               caption="Half of decided complaints took longer"),
        Metric("90th percentile", fmt(row["p90_hours"], ".0f", " h"), caption="One in ten decided complaints took longer"),
        Metric("Pending backlog", f"{int(row['pending']):,}", caption="Complaints without a decision"),
        Metric(f"Past the {deadline:g} h deadline", f"{int(row['deadline_breaches']):,}",
               caption=f"{row['deadline_breaches'] / row['complaints']:.0%} of {int(row['complaints']):,} complaints"),
    ]
