"""Sources: what is loaded (licence, attribution, synthetic flag), and one number as many sources publish it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import charts, published
from dashboard.charts import ChartText
from dashboard.filters import Filters
from dashboard.page_models.common import Chart, Query, Table, describe, source_colours

TITLE = "Sources"
DEFAULT_METRIC = "attacks"
CATALOG_COLUMNS = ["name", "kind", "is_synthetic", "licence", "attribution", "row_count", "coverage_start",
                   "coverage_end", "loaded_at", "loaded_by", "status"]
ANNUAL_COLUMNS = ["year", "source", "value", "mark", "value_kind", "confidence", "figures_this_year", "definition",
                  "citation_url"]
DISAGREEMENT_COLUMNS = ["year", "sources", "distinct_values", "lowest", "highest", "source_list"]
FIGURE_COLUMNS = ["period_label", "source", "publication", "value", "value_kind", "unit", "confidence",
                  "citation_url", "note"]


def catalog_card(catalog: pd.DataFrame) -> Table:
    """Every dataset, active and retracted, with its licence and attribution (the filters do not apply)."""
    table = catalog[CATALOG_COLUMNS].rename(columns={"is_synthetic": "sample_data"})
    text = ChartText("Datasets loaded", "All datasets, active and retracted (filters do not apply)",
                     "the observatory's catalog", synthetic=bool(table["sample_data"].any()))
    return Table("catalog", table, text, "No dataset is loaded yet.", height=240)


def metric_choices(query: Query) -> tuple[list[str], str]:
    """The published count metrics (those several sources report first), and the one shown by default."""
    metrics = query("published_figure_metrics")
    choices = metrics.loc[metrics["unit"] == "count", "metric"].tolist() or [DEFAULT_METRIC]
    return choices, DEFAULT_METRIC if DEFAULT_METRIC in choices else choices[0]


@dataclass(frozen=True)
class Comparison:
    """One metric as each source published it: the chart, where sources disagree, how each defines it, and
    every figure."""

    noun: str
    chart: Chart
    disagreements: pd.DataFrame
    definitions: list[tuple[str, str]]
    figures: Table


def noun(metric: str) -> str:
    """'deaths__kp_mainland' -> 'deaths: kp mainland'."""
    return metric.replace("__", ": ").replace("_", " ")


def comparison(query: Query, filters: Filters, metric: str) -> Comparison:
    """The national full-year figures of ``metric`` per source side by side, disagreements flagged."""
    what = noun(metric)
    annual = published.with_marks(query("published_figures_annual", metric=metric, region="", **filters.params()))
    disagreements = query("published_figures_disagreements")
    disagree = disagreements[(disagreements["metric"] == metric) & (disagreements["area"] == "National")
                             & (disagreements["group_name"] == "")]
    text = ChartText(f"{what.capitalize()} in Pakistan as each source published it",
                     describe(filters, regions=False, groups=False, event_types=False)
                     + " · national, full years · a restated figure replaces an early lower bound (≥)",
                     "published figures compiled with citations (see the table)")
    chart = Chart(
        "figures_by_source",
        charts.grouped_bars(annual, x="year", y="value", color="source", text=text, y_title=f"{what} (count)",
                            flagged=disagree["year"].tolist(), label_prefix="mark", colours=source_colours(query)),
        annual[ANNUAL_COLUMNS], text, f"No source publishes national full-year {what} inside the chosen period.",
    )
    figures = query("published_figures_by_period", metrics=[metric], sources=[], region="", group="")
    definitions = figures.drop_duplicates(["source", "definition"])
    return Comparison(
        noun=what, chart=chart, disagreements=disagree[DISAGREEMENT_COLUMNS],
        definitions=[(str(s), str(d) if isinstance(d, str) and d else "no definition published")
                     for s, d in zip(definitions["source"], definitions["definition"], strict=True)],
        figures=Table("figures_all", figures[FIGURE_COLUMNS],
                      ChartText(f"Every published figure for {what}", "national; all periods, including part-years",
                                "published figures compiled with citations"),
                      f"No published figure for {what}."),
    )
