"""The published-series cards the Violence and Overview pages share: the monthly national trend per source,
provinces and groups for the latest year, each with its sources, definitions and lower-bound marks. What the
figures mean is worked out in published.py; this module turns them into chart cards. No Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import changes, charts, published
from dashboard.charts import ChartText
from dashboard.filters import Filters
from dashboard.page_models.common import Chart, Query, describe, source_colours

TREND_COLUMNS = ["month", "source", "value", "mark", "value_kind", "confidence", "publication", "citation_url"]
AREA_COLUMNS = ["year", "area", "source", "value", "mark", "per_million", "population", "population_year",
                "confidence", "citation_url"]
GROUP_COLUMNS = ["year", "group_name", "short_name", "source", "value", "mark", "confidence", "citation_url", "note"]


def _subtitle(filters: Filters, extra: str, *, regions: bool = False) -> str:
    return describe(filters, regions=regions, groups=False, event_types=False) + (f" · {extra}" if extra else "")


@dataclass(frozen=True)
class Trend:
    chart: Chart
    definitions: list[tuple[str, str]]  # how each source counts: the reason their numbers differ


def monthly_trend(query: Query, filters: Filters, measure_label: str, *, key: str,
                  rule: changes.ChangeRule | None = None) -> Trend:
    """Monthly national figures per source, side by side; the latest notable change of each marked."""
    metric = published.MEASURES[measure_label]
    frame = query("published_monthly", metrics=[metric], **filters.params())
    flags = pd.concat([changes.flags(part, period="month", value="value", source=str(source), rule=rule)
                       for source, part in frame.groupby("source")]) if rule is not None and not frame.empty else None
    text = ChartText(f"{measure_label} per month in Pakistan, per source",
                     _subtitle(filters, "national (region and group filters do not apply) · sources side by side, "
                                        "never summed"),
                     published.source_line(sorted(frame["source"].unique())))
    table = published.with_marks(frame)
    chart = Chart(
        key, charts.published_trend(frame, text=text, y_title=f"{measure_label.lower()} per month (count)",
                                    flags=flags, colours=source_colours(query)),
        table[TREND_COLUMNS] if not table.empty else table, text,
        f"No source's monthly {measure_label.lower()} figures fall inside the chosen period.",
    )
    return Trend(chart, published.definitions(frame))


def province_year(query: Query, filters: Filters, measure_label: str) -> int | None:
    """The latest year with province figures from two or more sources (the year the province card shows)."""
    frame = query("published_regions", metric=published.MEASURES[measure_label], **filters.params())
    return published.latest_year(frame, min_sources=2)


def provinces(query: Query, filters: Filters, measure_label: str, *, per_million: bool, key: str,
              year: int | None = None) -> Chart:
    """Each source's figure per province for the latest year with figures from two or more sources (or
    ``year``)."""
    metric = published.MEASURES[measure_label]
    frame = query("published_regions", metric=metric, **filters.params())
    shown_year = year or published.latest_year(frame, min_sources=2)
    part = published.with_marks(frame[frame["year"] == shown_year]) if shown_year else frame.iloc[0:0]
    if per_million:
        part = part.dropna(subset=["per_million"])
    unit = f"{measure_label.lower()} per million people" if per_million else f"{measure_label.lower()} (count)"
    extra = f"{shown_year} · " if shown_year else ""
    extra += published.population_note(part) if per_million else ("Khyber Pakhtunkhwa includes the merged districts; "
                                                                   "KP mainland: a source's figure without them")
    text = ChartText(f"{measure_label} by province in {shown_year or 'the latest year'}"
                     + (" per million people" if per_million else "") + ", per source",
                     _subtitle(filters, extra, regions=True),
                     published.source_line(sorted(part["source"].unique()) if not part.empty else []))
    return Chart(
        key, charts.grouped_bars(part, x="area", y="per_million" if per_million else "value", color="source",
                                 text=text, unit="rate" if per_million else "count", y_title=unit, horizontal=True,
                                 label_prefix="mark", colours=source_colours(query)),
        part[AREA_COLUMNS] if not part.empty else part, text,
        f"No source publishes {measure_label.lower()} by province for a full year inside the chosen period and "
        "regions.",
    )


def groups(query: Query, filters: Filters, measure_label: str, *, key: str) -> Chart:
    """Attacks or deaths each source attributes to each armed group, latest year with figures."""
    metric = published.MEASURES[measure_label]
    frame = query("published_groups", metric=metric, **filters.params())
    shown_year = published.latest_year(frame, min_groups=2)
    part = published.with_marks(frame[frame["year"] == shown_year]) if shown_year else frame.iloc[0:0]
    text = ChartText(f"{measure_label} by group in {shown_year or 'the latest year'}, per source",
                     _subtitle(filters, "national · each source's own attribution rule (see the table's notes)"),
                     published.source_line(sorted(part["source"].unique()) if not part.empty else []))
    return Chart(
        key, charts.grouped_bars(part, x="short_name", y="value", color="source", text=text,
                                 y_title=f"{measure_label.lower()} attributed (count)", horizontal=True,
                                 label_prefix="mark", colours=source_colours(query)),
        part[GROUP_COLUMNS] if not part.empty else part, text,
        f"No source attributes {measure_label.lower()} to groups for a full year inside the chosen period.",
    )
