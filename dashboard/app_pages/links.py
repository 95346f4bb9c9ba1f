"""Links: violence and online enforcement on one time axis, indexed, with a lagged correlation.

Both series are quarterly aggregates from the named queries; each is divided by its own mean over the
quarters they share (= 100), so a count of events and a count of removed posts can share an axis.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, charts, published, sidebar, ui
from dashboard.charts import ChartText
from dashboard.series import MIN_PERIODS, common_window, indexed, lagged_correlation

MEASURES = {"Events": "events", "Deaths": "killed"}
META_POLICIES = {"Dangerous Orgs: Terrorism": "terrorism", "Dangerous Orgs: Organized Hate": "organized hate"}

filters = sidebar.current()
params = filters.params()
subtitle = sidebar.describe(filters)

st.title("Links between violence and online enforcement")
st.warning(
    "**Correlation is not causation.** Two series that rise together may both follow a third thing "
    "(a military operation, a platform's new detection tool, a change in what a report counts). Platform "
    "figures here are global, the events are Pakistan's; a lag with a high correlation is a question to "
    "investigate, not an answer.",
    icon=":material/warning:",
)


def online_options() -> dict[str, pd.DataFrame]:
    """Candidate online series, each a frame (quarter, value, source, is_synthetic)."""
    out: dict[str, pd.DataFrame] = {}
    meta = cache.query("content_metrics_by_period", policy_areas=list(META_POLICIES), metric="Content Actioned",
                       market="Global", **params)
    # terrorism first: it has the longest overlap with the event data
    meta = meta.sort_values(["policy_area", "platform"], key=lambda c: c.map(
        {p: i for i, p in enumerate(META_POLICIES)}) if c.name == "policy_area" else c)
    for (policy, platform), part in meta.groupby(["policy_area", "platform"], sort=False):
        frame = part.rename(columns={"period_start": "quarter"})[["quarter", "value", "source"]]
        out[f"{platform}: {META_POLICIES[policy]} content actioned (Meta, global)"] = frame.assign(is_synthetic=False)
    complaints = cache.query("complaints_by_quarter", **params)
    for label, dataset_id in ui.complaint_logs().items():
        part = complaints[complaints["dataset_id"] == dataset_id]
        if not part.empty:
            frame = part.rename(columns={"complaints": "value"})[["quarter", "value", "source", "is_synthetic"]]
            out[f"Complaints to platforms per quarter ({label})"] = frame
    return out


source_ids = dict(sidebar.chosen_sources(filters, sidebar.load_options()))
# the published monthly series reach the present: offered beside the event datasets, one source at a time
PUBLISHED_METRIC = {"Events": "attacks", "Deaths": "deaths"}
monthly = cache.query("published_monthly", metrics=list(PUBLISHED_METRIC.values()), **params)
published_labels = {f"{name}: published monthly figures": name for name in sorted(monthly["source"].unique())}
sources = list(source_ids) + list(published_labels)
candidates = online_options()
controls = st.columns(3)
online_names = list(candidates) or ["(none in this view)"]
with controls[0]:
    source = sidebar.bound(st.selectbox, "Violence series (one source at a time)", sources, key="links_source",
                           url_default=sources[0] if sources else None, disabled=len(sources) < 2,
                           help="An event dataset, or a source's published monthly attacks (Events) or deaths "
                                "(Deaths), added up per quarter where all three months were published exactly.")
with controls[1]:
    measure_label = sidebar.bound(st.segmented_control, "Violence measure", list(MEASURES), key="links_measure",
                                  default="Events", url_default="Events", required=True)
with controls[2]:
    online_name = sidebar.bound(st.selectbox, "Online series", online_names, key="online_series",
                                url_default=online_names[0])
measure = MEASURES[measure_label or "Events"]

if source in published_labels:
    metric = PUBLISHED_METRIC[measure_label or "Events"]
    violence = published.quarterly(monthly[monthly["metric"] == metric], published_labels[source])
    violence_label = f"{metric.capitalize()} ({published_labels[source]}, published, per quarter)"
else:
    quarters = cache.query("incidents_by_quarter", **params)
    violence = quarters[quarters["dataset_id"] == source_ids.get(source)].set_index("quarter")[measure].astype(float)
    violence_label = f"{measure_label} ({source})"
online_frame = candidates.get(online_name, pd.DataFrame(columns=["quarter", "value", "source", "is_synthetic"]))
online = online_frame.set_index("quarter")["value"].astype(float)
synthetic = ui.is_synthetic(online_frame)
note = ui.source_note([s for s in [published_labels.get(source, source), *online_frame["source"].unique()] if s])

if not violence.empty and source not in published_labels:
    # quarters without events are zeros, not gaps (a quarter a source did not publish stays a gap)
    violence = violence.reindex(pd.date_range(violence.index.min(), violence.index.max(), freq="QS"), fill_value=0)
window = common_window(violence, online)
chart_frame = pd.concat([
    pd.DataFrame({"quarter": window, "series": violence_label, "index": indexed(violence, window).reindex(window).values}),
    pd.DataFrame({"quarter": window, "series": online_name, "index": indexed(online, window).reindex(window).values}),
]) if len(window) else pd.DataFrame(columns=["quarter", "series", "index"])
empty = ("The two series do not overlap in time in this view"
         + (f": the events run {violence.index.min():%Y}–{violence.index.max():%Y}" if not violence.empty else "")
         + (f", the online series {online.index.min():%Y}–{online.index.max():%Y}" if not online.empty else "")
         + ". Widen the period or pick another online series.")

text = ChartText(f"{measure_label} and online enforcement on one axis, indexed",
                 subtitle + f" · index: mean of the {len(window)} shared quarters = 100", note, synthetic=synthetic)
ui.chart_card(
    charts.line_chart(chart_frame, x="quarter", y="index", color="series", unit="index", text=text,
                      y_title="index (mean = 100)", annotations=cache.query("annotations_in_period", **params)),
    chart_frame, text=text, key="links_indexed", empty_reason=empty,
)

correlation = lagged_correlation(violence, online) if len(window) else pd.DataFrame(columns=["lag", "r", "n"])
text = ChartText("Lagged correlation (Pearson r)", subtitle + " · positive lag: the online series follows violence",
                 note, synthetic=synthetic)
too_few = correlation.empty or correlation["r"].isna().all()
ui.chart_card(
    charts.correlation_bars(correlation, text=text),
    correlation.iloc[0:0] if too_few else correlation, text=text, key="links_correlation",
    empty_reason=f"Too few shared quarters to correlate (at least {MIN_PERIODS} are needed). " + empty
    if len(window) < MIN_PERIODS else f"Too few shared quarters at every lag (at least {MIN_PERIODS} needed).",
)
if not too_few:
    best = correlation.loc[correlation["r"].abs().idxmax()]
    st.caption(f"Strongest association at a lag of {int(best['lag'])} quarter(s): r = {best['r']:.2f} over "
               f"{int(best['n'])} quarters. With this few points, |r| below about {2 / max(best['n'], 1) ** 0.5:.2f} "
               "is within what chance alone produces.")
