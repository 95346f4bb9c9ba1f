"""Links: violence and online enforcement on one time axis, indexed, with a lagged correlation.

Both series are quarterly aggregates from the named queries; each is divided by its own mean over the
quarters they share (= 100), so a count of events and a count of removed posts can share an axis.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from dashboard import charts, published
from dashboard.charts import ChartText
from dashboard.filters import Filters
from dashboard.page_models.common import Catalog, Chart, Query, describe, is_synthetic
from dashboard.series import MIN_PERIODS, common_window, indexed, lagged_correlation

TITLE = "Links between violence and online enforcement"
MEASURES = {"Events": "events", "Deaths": "killed"}
META_POLICIES = {"Dangerous Orgs: Terrorism": "terrorism", "Dangerous Orgs: Organized Hate": "organized hate"}
# the published monthly series reach the present: offered beside the event datasets, one source at a time
PUBLISHED_METRIC = {"Events": "attacks", "Deaths": "deaths"}
ONLINE_COLUMNS = ["quarter", "value", "source", "is_synthetic"]
NO_ONLINE = "(none in this view)"


@dataclass(frozen=True)
class Choices:
    """What the page's pickers offer: violence series (event datasets, then published sources) and online
    series, each online one a frame (quarter, value, source, is_synthetic)."""

    event_sources: dict[str, int]
    published: dict[str, str]  # label -> published source
    online: dict[str, pd.DataFrame] = field(repr=False)
    monthly: pd.DataFrame = field(repr=False)

    @property
    def violence_labels(self) -> list[str]:
        return list(self.event_sources) + list(self.published)

    @property
    def online_labels(self) -> list[str]:
        return list(self.online) or [NO_ONLINE]


def online_series(query: Query, filters: Filters) -> dict[str, pd.DataFrame]:
    """Candidate online series, each a frame (quarter, value, source, is_synthetic)."""
    out: dict[str, pd.DataFrame] = {}
    meta = query("content_metrics_by_period", policy_areas=list(META_POLICIES), metric="Content Actioned",
                 market="Global", **filters.params())
    # terrorism first: it has the longest overlap with the event data
    order = {p: i for i, p in enumerate(META_POLICIES)}
    meta = meta.sort_values(["policy_area", "platform"], key=lambda c: c.map(order) if c.name == "policy_area" else c)
    for (policy, platform), part in meta.groupby(["policy_area", "platform"], sort=False):
        frame = part.rename(columns={"period_start": "quarter"})[["quarter", "value", "source"]]
        out[f"{platform}: {META_POLICIES[str(policy)]} content actioned (Meta, global)"] = frame.assign(
            is_synthetic=False)
    # one query for every log, split per log: the complaint queries take no dataset filter (yet)
    complaints = query("complaints_by_quarter", **filters.params())
    for label, dataset_id in Catalog.read(query).complaint_logs().items():
        part = complaints[complaints["dataset_id"] == dataset_id]
        if not part.empty:
            out[f"Complaints to platforms per quarter ({label})"] = part.rename(columns={"complaints": "value"})[
                ONLINE_COLUMNS]
    return out


def choices(query: Query, filters: Filters, event_sources: list[tuple[str, int]]) -> Choices:
    """The series the pickers offer under these filters (``event_sources``: the chosen event datasets)."""
    monthly = query("published_monthly", metrics=list(PUBLISHED_METRIC.values()), **filters.params())
    labels = {f"{name}: published monthly figures": str(name) for name in sorted(monthly["source"].unique())}
    return Choices(dict(event_sources), labels, online_series(query, filters), monthly)


@dataclass(frozen=True)
class Links:
    indexed: Chart
    correlation: Chart
    strongest: str | None  # a caption on the strongest lag, when there is one


def violence_series(query: Query, filters: Filters, offered: Choices, source: str | None,
                    measure_label: str) -> tuple[pd.Series, str]:
    """The chosen violence series per quarter and its legend label."""
    if source in offered.published:
        metric = PUBLISHED_METRIC[measure_label]
        series = published.quarterly(offered.monthly[offered.monthly["metric"] == metric], offered.published[source])
        return series, f"{metric.capitalize()} ({offered.published[source]}, published, per quarter)"
    dataset_id = offered.event_sources.get(source or "")
    # the query takes the dataset: only this source's quarters come back
    quarters = query("incidents_by_quarter", **replace(filters, dataset_ids=(dataset_id,)).params()) \
        if dataset_id is not None \
        else pd.DataFrame(columns=["quarter", "dataset_id", *MEASURES.values()])
    series = quarters.set_index("quarter")[MEASURES[measure_label]].astype(float)
    if not series.empty:
        # quarters without events are zeros, not gaps (a quarter a source did not publish stays a gap)
        series = series.reindex(pd.date_range(series.index.min(), series.index.max(), freq="QS"), fill_value=0)
    return series, f"{measure_label} ({source})"


def links(query: Query, filters: Filters, offered: Choices, *, source: str | None, measure_label: str,
          online_name: str) -> Links:
    """The two series indexed on their shared quarters, and their correlation at lags of -4 to 4 quarters."""
    violence, violence_label = violence_series(query, filters, offered, source, measure_label)
    online_frame = offered.online.get(online_name, pd.DataFrame(columns=ONLINE_COLUMNS))
    online = online_frame.set_index("quarter")["value"].astype(float)
    synthetic = is_synthetic(online_frame)
    note = Catalog.read(query).note([s for s in [offered.published.get(source or "", source),
                                                 *online_frame["source"].unique()] if s])
    subtitle = describe(filters)
    window = common_window(violence, online)
    frame = pd.concat([
        pd.DataFrame({"quarter": window, "series": violence_label,
                      "index": indexed(violence, window).reindex(window).values}),
        pd.DataFrame({"quarter": window, "series": online_name, "index": indexed(online, window).reindex(window).values}),
    ]) if len(window) else pd.DataFrame(columns=["quarter", "series", "index"])
    empty = ("The two series do not overlap in time in this view"
             + (f": the events run {violence.index.min():%Y}–{violence.index.max():%Y}" if not violence.empty else "")
             + (f", the online series {online.index.min():%Y}–{online.index.max():%Y}" if not online.empty else "")
             + ". Widen the period or pick another online series.")
    text = ChartText(f"{measure_label} and online enforcement on one axis, indexed",
                     subtitle + f" · index: mean of the {len(window)} shared quarters = 100", note, synthetic=synthetic)
    indexed_chart = Chart("links_indexed", charts.line_chart(
        frame, x="quarter", y="index", color="series", unit="index", text=text, y_title="index (mean = 100)",
        annotations=query("annotations_in_period", **filters.params())), frame, text, empty)

    correlation = lagged_correlation(violence, online) if len(window) else pd.DataFrame(columns=["lag", "r", "n"])
    text = ChartText("Lagged correlation (Pearson r)", subtitle + " · positive lag: the online series follows violence",
                     note, synthetic=synthetic)
    too_few = correlation.empty or correlation["r"].isna().all()
    reason = (f"Too few shared quarters to correlate (at least {MIN_PERIODS} are needed). " + empty
              if len(window) < MIN_PERIODS else f"Too few shared quarters at every lag (at least {MIN_PERIODS} needed).")
    correlation_chart = Chart("links_correlation", charts.correlation_bars(correlation, text=text),
                              correlation.iloc[0:0] if too_few else correlation, text, reason)
    return Links(indexed_chart, correlation_chart, None if too_few else strongest(correlation))


def strongest(correlation: pd.DataFrame) -> str:
    """The lag with the largest |r|, and how large |r| must be to stand out from chance with this few points."""
    best = correlation.iloc[int(correlation["r"].abs().fillna(-1).to_numpy().argmax())]  # a lag without r never wins
    return (f"Strongest association at a lag of {int(best['lag'])} quarter(s): r = {best['r']:.2f} over "
            f"{int(best['n'])} quarters. With this few points, |r| below about {2 / max(best['n'], 1) ** 0.5:.2f} "
            "is within what chance alone produces.")
