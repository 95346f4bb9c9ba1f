"""Sources: what is loaded (licence, attribution, synthetic flag), and one number as many sources publish it."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, charts, published, sidebar, ui
from dashboard.charts import ChartText

DEFAULT_METRIC = "attacks"

filters = sidebar.current()
params = filters.params()

st.title("Sources")
st.caption("Every dataset behind the dashboard with its licence and attribution, and the published figures "
           "side by side: sources count different things, so their numbers differ and are never added up.")

# --- catalog ---------------------------------------------------------------------------------------
catalog = ui.catalog()
table = catalog[["name", "kind", "is_synthetic", "licence", "attribution", "row_count", "coverage_start",
                 "coverage_end", "loaded_at", "loaded_by", "status"]].rename(columns={"is_synthetic": "sample_data"})
text = ChartText("Datasets loaded", "All datasets, active and retracted (filters do not apply)",
                 "the observatory's catalog", synthetic=bool(table["sample_data"].any()))
ui.table_card(table, text=text, key="catalog", empty_reason="No dataset is loaded yet.", height=240)
if text.synthetic:
    st.caption("Rows with sample_data ticked are synthetic, made up to show how a view works; every chart "
               "they feed carries the Sample data badge.")

# --- one number, many sources ----------------------------------------------------------------------
st.subheader("One number, many sources")
metrics = cache.query("published_figure_metrics")
counts = metrics[metrics["unit"] == "count"]
choices = counts["metric"].tolist() or [DEFAULT_METRIC]
default_metric = DEFAULT_METRIC if DEFAULT_METRIC in choices else choices[0]
metric = sidebar.bound(st.selectbox, "Metric", choices, key="metric", url_default=default_metric,
                       index=choices.index(default_metric),
                       help="Published counts; metrics that several sources report come first.")
annual = cache.query("published_figures_annual", metric=metric, region="", **params)
disagreements = cache.query("published_figures_disagreements")
disagree = disagreements[(disagreements["metric"] == metric) & (disagreements["area"] == "National")
                         & (disagreements["group_name"] == "")]
noun = metric.replace("__", ": ").replace("_", " ")
period = sidebar.describe(filters, regions=False, groups=False, event_types=False)
text = ChartText(f"{noun.capitalize()} in Pakistan as each source published it",
                 period + " · national, full years · a restated figure replaces an early lower bound (≥)",
                 "published figures compiled with citations (see the table)")
annual = published.with_marks(annual)
ui.chart_card(
    charts.grouped_bars(annual, x="year", y="value", color="source", text=text, y_title=f"{noun} (count)",
                        flagged=disagree["year"].tolist(), label_prefix="mark", colours=ui.source_colours()),
    annual[["year", "source", "value", "mark", "value_kind", "confidence", "figures_this_year", "definition",
            "citation_url"]],
    text=text, key="figures_by_source",
    empty_reason=f"No source publishes national full-year {noun} inside the chosen period.",
)

if not disagree.empty:
    with st.container(border=True):
        st.markdown(f"**Where sources disagree on {ui.md_escape(noun)}**")
        st.dataframe(
            disagree[["year", "sources", "distinct_values", "lowest", "highest", "source_list"]],
            hide_index=True, width="stretch",
            column_config={"lowest": st.column_config.NumberColumn(format="localized"),
                           "highest": st.column_config.NumberColumn(format="localized")},
        )
        st.caption("Different numbers for the same year come from different definitions (attacks vs incidents, "
                   "counter-terror operations in or out), different counting rules, or a source revising itself.")

figures = cache.query("published_figures_by_period", metrics=[metric], sources=[], region="", group="")
definitions = figures.drop_duplicates(["source", "definition"])[["source", "definition"]]
with st.container(border=True):
    st.markdown(f"**How each source defines {ui.md_escape(noun)}**")
    for row in definitions.itertuples():
        st.markdown(f"- **{ui.md_escape(row.source)}**: {ui.md_escape(row.definition or 'no definition published')}")
ui.table_card(
    figures[["period_label", "source", "publication", "value", "value_kind", "unit", "confidence", "citation_url",
             "note"]],
    text=ChartText(f"Every published figure for {noun}", "national; all periods, including part-years",
                   "published figures compiled with citations"),
    key="figures_all", empty_reason=f"No published figure for {noun}.",
)
