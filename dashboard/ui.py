"""The shared chart card and the small UI pieces every page uses.

A card shows a figure whose title, subtitle (the filters) and source footnote are drawn on the figure,
so a screenshot or PNG explains itself; a "Sample data" badge when a synthetic dataset feeds it; a
toggle that shows the numbers as a table with a formula-safe CSV download; and, when the query came
back empty, a message that says why instead of an empty chart.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import cache, changes, chart_identity, charts, csv_export, export, sparkline, view_charts
from dashboard.charts import ChartText
from dashboard.db import ROOT
from dashboard.page_models import common

# re-exported: pages, the upload page and tests use them through ui
from dashboard.page_models.common import fmt as fmt
from dashboard.page_models.common import fmt_count as fmt_count
from dashboard.page_models.common import is_synthetic as is_synthetic
from dashboard.page_models.common import licence_for as licence_for
from dashboard.page_models.common import slug as slug
from dashboard.page_models.common import source_labels as source_labels

chart_identity.install()  # before any chart is drawn: see chart_identity.py

GEOJSON_PATH = ROOT / "data" / "geo" / "pakistan_adm1.geojson"
SAMPLE_BADGE = "Sample data"
IMAGE_BUTTON: dict[str, Any] = {"format": "png", "scale": 2}
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": IMAGE_BUTTON,
}


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&])")


def md_escape(text: object) -> str:
    """Text from data or a URL, made safe for Streamlit's Markdown: every character Markdown (or
    Streamlit's :icon: and $math$ syntax) would act on is backslash-escaped, so it shows literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


# Control characters and bidirectional embeddings/overrides/isolates: invisible, and they reorder or hide
# text (a right-to-left override flips a title). Uploads refuse them (ingest/reader.py); typed text drops them.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def visible(text: object) -> str:
    """Typed text without the invisible characters that change how it reads. Pure."""
    return _INVISIBLE.sub("", str(text))


def sample_badge() -> None:
    """The visible mark on anything fed by a synthetic dataset."""
    st.badge(SAMPLE_BADGE, icon=":material/science:", color="orange",
             help="Synthetic: generated to show how the tracker works, not real complaints.")


def chart_card(
    figure: go.Figure,
    table: pd.DataFrame,
    *,
    text: ChartText,
    key: str,
    empty_reason: str,
    on_pick: Callable[[], None] | None = None,
) -> None:
    """Draw one chart card. With ``on_pick``, a click on the chart reruns the page after calling it
    (it reads the selection from ``st.session_state[key]``, see ``picked``)."""
    with st.container(border=True):
        if text.synthetic:
            sample_badge()
        if table.empty:
            st.markdown(f"**{md_escape(text.title)}**")
            st.caption(md_escape(text.subtitle))
            st.info(md_escape(empty_reason), icon=":material/filter_alt_off:")
            return
        config = {**PLOTLY_CONFIG, "toImageButtonOptions": {**IMAGE_BUTTON, "filename": key}}
        if on_pick is not None:
            st.plotly_chart(figure, key=key, on_select=on_pick, selection_mode="points", theme=None, config=config)
        else:
            st.plotly_chart(figure, key=key, theme=None, config=config)
        view_charts.collect(figure, table, text, key)
        table_toggle(table, text=text, key=key, figure=figure)


def picked(key: str) -> list[str]:
    """The values clicked on the chart drawn with ``key`` (for on_pick callbacks)."""
    state = st.session_state.get(key)
    return selected_values(state.selection.points) if state is not None else []


def table_card(table: pd.DataFrame, *, text: ChartText, key: str, empty_reason: str, height: int = 320) -> None:
    """A titled table with its filters, source and CSV download (for tables that are the view itself)."""
    with st.container(border=True):
        if text.synthetic:
            sample_badge()
        st.markdown(f"**{md_escape(text.title)}**")
        st.caption(md_escape(text.subtitle))
        if table.empty:
            st.info(md_escape(empty_reason), icon=":material/filter_alt_off:")
            return
        st.dataframe(table, hide_index=True, width="stretch", height=height, column_config=column_config(table))
        st.caption(f"Source: {md_escape(text.source)}" if text.source else "")
        st.download_button(
            "Download CSV", csv_export.to_csv_bytes(export_frame(table, text)), file_name=f"{key}.csv",
            mime="text/csv", key=f"{key}__csv", icon=":material/download:", on_click="ignore",
        )


def table_toggle(table: pd.DataFrame, *, text: ChartText, key: str, figure: go.Figure | None = None) -> None:
    """A toggle that shows the numbers behind a chart, with a CSV download that carries its provenance;
    beside it, with ``figure``, the chart as a PNG."""
    with st.container(horizontal=True, vertical_alignment="center"):
        shown = st.toggle("Show the numbers", key=f"{key}__table")
        if figure is not None:
            png_button(figure, key=key)
            svg_button(figure, key=key)
    if shown:
        st.dataframe(table, hide_index=True, width="stretch", column_config=column_config(table))
        st.download_button(
            "Download CSV", csv_export.to_csv_bytes(export_frame(table, text)), file_name=f"{key}.csv",
            mime="text/csv", key=f"{key}__csv", icon=":material/download:", on_click="ignore",
        )


def png_button(figure: go.Figure, *, key: str) -> None:
    """The chart as a PNG rendered on the server when clicked (export.py: white, 2x, title, filters, source
    and export date drawn in). Without Chromium the button is disabled and its help says why."""
    reason = export.unavailable_reason()
    st.download_button(
        "PNG", lambda: export.chart_png(figure), file_name=f"{key}.png", mime="image/png", key=f"{key}__png",
        icon=":material/image:", on_click="ignore", disabled=reason is not None,
        help=reason or "The chart as an image with its title, filters and source drawn in (2x, white background).",
    )


# A plain read-only field and a copy button: st.code would load a syntax highlighter (1.6 MB of JavaScript)
# for one line of text. The script only copies the field's own value; the link is HTML-escaped.
# A field that follows the address (the sidebar's "Link to this view") takes the browser's address whenever it
# changes: a section rerun (a fragment) changes its controls' URL parameters but does not redraw the sidebar, and
# the browser's address follows every bound widget and focus at once.
_LINK_FIELD = """
<div class="observatory-link" style="display:flex;gap:.4rem;align-items:stretch;width:100%">
  <input class="observatory-link-field" type="text" readonly value="{value}" aria-label="{label}"{follow}
    style="flex:1;min-width:0;font:0.85rem monospace;padding:.4rem .5rem;border:1px solid #ccc;border-radius:.4rem;
    background:#f7f7f9;color:#222" onfocus="this.select()">
  <button class="observatory-link-copy" type="button" title="Copy the link"
    style="padding:.3rem .7rem;border:1px solid #ccc;border-radius:.4rem;background:#fff;cursor:pointer">Copy</button>
</div>
<script>
if (!window.observatoryFollowsUrl) {{
  window.observatoryFollowsUrl = true;
  var follow = function () {{
    document.querySelectorAll(".observatory-link-field[data-follow-url]").forEach(function (field) {{
      field.value = window.location.href;
    }});
  }};
  ["pushState", "replaceState"].forEach(function (name) {{
    var original = window.history[name];
    window.history[name] = function () {{ var out = original.apply(this, arguments); follow(); return out; }};
  }});
  window.addEventListener("popstate", follow);
}}
document.querySelectorAll(".observatory-link-copy:not([data-ready])").forEach(function (button) {{
  button.dataset.ready = "1";
  button.addEventListener("click", function () {{
    var field = button.parentElement.querySelector("input");
    var done = function () {{ button.textContent = "Copied"; setTimeout(function () {{ button.textContent = "Copy"; }}, 1500); }};
    if (navigator.clipboard && window.isSecureContext) {{
      navigator.clipboard.writeText(field.value).then(done);
    }} else {{  // plain http on a LAN address: the older API still copies a selection
      field.select(); document.execCommand("copy"); done();
    }}
  }});
}});
</script>
"""


def link_field_html(link: str, label: str = "Link to this view", *, follow_url: bool = False) -> str:
    """The field's HTML: the link and label escaped, so a crafted URL stays text (pure). With ``follow_url``, the
    field takes the browser's address whenever it changes after the field was drawn."""
    return _LINK_FIELD.format(value=html.escape(link, quote=True), label=html.escape(label, quote=True),
                              follow=" data-follow-url" if follow_url else "")


def link_field(link: str, *, label: str = "Link to this view", follow_url: bool = False) -> None:
    """A permalink as a read-only text field with a copy button (no syntax highlighter to download)."""
    st.html(link_field_html(link, label, follow_url=follow_url), unsafe_allow_javascript=True)


def svg_button(figure: go.Figure, *, key: str) -> None:
    """The chart as an SVG (vector, for print and slides), rendered like the PNG."""
    reason = export.unavailable_reason()
    st.download_button(
        "SVG", lambda: export.chart_svg(figure), file_name=f"{key}.svg", mime="image/svg+xml", key=f"{key}__svg",
        icon=":material/draw:", on_click="ignore", disabled=reason is not None,
        help=reason or "The chart as a vector image with its title, filters and source drawn in.",
    )


def links_in(body: str) -> list[str]:
    """The links that link fields in an HTML body show (for tests and checks; pure)."""
    return [html.unescape(v) for v in re.findall(r'class="observatory-link-field"[^>]*?value="([^"]*)"', body, re.S)]


def column_config(table: pd.DataFrame) -> dict[str, Any]:
    """Readable columns: rates as percentages, hours and rates rounded, dates without a time, links."""
    config: dict[str, Any] = {}
    for name in table.columns:
        column = table[name]
        if name.endswith(("_rate", "_share")) or name in ("compliance_rate", "share", "change"):
            config[name] = st.column_config.NumberColumn(format="percent")
        elif name.endswith(("_hours", "_per_million")):
            config[name] = st.column_config.NumberColumn(format="%.1f")
        elif name.endswith("_url"):
            config[name] = st.column_config.LinkColumn()
        elif pd.api.types.is_datetime64_any_dtype(column):
            midnight = column.dropna().dt.normalize().eq(column.dropna()).all()
            config[name] = st.column_config.DateColumn(format="YYYY-MM-DD") if midnight else \
                st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
        elif pd.api.types.is_float_dtype(column) and column.dropna().mod(1).eq(0).all():
            config[name] = st.column_config.NumberColumn(format="localized")
    return config


def export_frame(table: pd.DataFrame, text: ChartText) -> pd.DataFrame:
    """The table with what a CSV reader needs to know: chart, filters, source, and the sample flag."""
    out = table.copy()
    out["chart"] = text.title
    out["filters"] = text.subtitle
    out["source_note"] = text.source
    if text.synthetic and "sample_data" not in out:
        out["sample_data"] = "synthetic sample, not real data"
    elif text.synthetic:
        # the table says row by row which rows are synthetic (the catalog): keep that, say it in words
        out["sample_data"] = out["sample_data"].map(lambda s: "synthetic sample, not real data" if s else "")
    return out


def selected_values(points: Iterable[dict[str, Any]]) -> list[str]:
    """What the reader clicked: each point's customdata (or its map location), in order, without repeats."""
    values: list[str] = []
    for point in points or []:
        value = point.get("customdata", point.get("location"))
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if value is not None and str(value) not in values:
            values.append(str(value))
    return values


def metric_card(label: str, value: str, *, delta: str | None = None, caption: str = "", help: str | None = None,
                delta_color: Literal["normal", "inverse", "off"] = "normal", synthetic: bool = False,
                trend: Sequence[float] | None = None, trend_unit: str = "period") -> None:
    """A headline number with its change, an optional sparkline of its history (one point per
    ``trend_unit``, oldest first), and its source underneath. Label and caption are plain text (they carry
    source names from uploads). ``delta_color``: "inverse" when a rise is bad news (attacks), "off" when a
    change is neither good nor bad (content removed)."""
    with st.container(border=True):
        if synthetic:
            sample_badge()
        st.metric(md_escape(label), value, delta=delta, delta_color=delta_color, help=help)
        history = tuple(trend or ())
        line = sparkline.svg(history, label=sparkline_name(label, history, trend_unit))
        if line:  # markdown, not st.html: st.html's sanitiser drops SVG. The SVG is ours, its one text escaped.
            st.markdown(line, unsafe_allow_html=True)
        if caption:
            st.caption(md_escape(caption))


def sparkline_name(label: str, trend: Sequence[float], unit: str) -> str:
    """What a sparkline shows, in words (its accessible name and hover title)."""
    values = ", ".join(f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3g}" for value in trend)
    return f"{label}: the last {len(trend)} {unit}s, oldest first: {values}"


def empty_card(title: str, reason: str) -> None:
    """A card for a block that has nothing to show, saying why (plain text)."""
    with st.container(border=True):
        st.markdown(f"**{md_escape(title)}**")
        st.info(md_escape(reason), icon=":material/filter_alt_off:")


@functools.lru_cache(maxsize=1)
def geojson() -> dict[str, Any]:
    """The shipped province boundaries, read once per process, with coordinates rounded for drawing: every
    map card sends its outlines to the browser, and 3 decimals (about 100 m) draw the same provinces at
    a third of the bytes (the file keeps full precision)."""
    return charts.rounded_geojson(json.loads(GEOJSON_PATH.read_text(encoding="utf-8")), digits=3)


def catalog() -> pd.DataFrame:
    return cache.query("datasets_catalog")


def dataset_names(kind: str) -> list[str]:
    """Active datasets of one kind (events, content_metrics, complaints, figures), for footnotes."""
    books = catalog()
    return books[(books["kind"] == kind) & (books["status"] == "active")]["name"].tolist()


_CHANGE_RULE = "_observatory_change_rule"


def change_rule(rule: changes.ChangeRule | None = None) -> changes.ChangeRule:
    """The rule for notable changes the reader set on the Overview (kept for the session, so the trend
    charts of other pages flag the same changes); with ``rule``, remember it."""
    if rule is not None:
        st.session_state[_CHANGE_RULE] = rule
    return st.session_state.get(_CHANGE_RULE) or changes.ChangeRule()


def source_colours() -> dict[str, str]:
    """One colour per published source on every chart (see page_models.common.source_colours)."""
    return common.source_colours(cache.query)


def group_colours() -> dict[str, str]:
    """The one palette of armed groups for every chart and view (see page_models.common.group_colours)."""
    return common.group_colours(cache.query)


def complaint_logs() -> dict[str, int]:
    """Active complaint logs, label -> dataset id: real logs before samples, newest first."""
    return common.Catalog(catalog()).complaint_logs()


def source_note(names: Iterable[str]) -> str:
    """Footnote text for datasets by name: 'name (licence)' joined; unknown names as they are."""
    return common.Catalog(catalog()).note(names)


def show(block: common.Block, *, on_pick: Callable[[], None] | None = None) -> None:
    """Draw one block a page model returned."""
    if isinstance(block, common.Chart):
        chart_card(block.figure, block.table, text=block.text, key=block.key, empty_reason=block.empty_reason,
                   on_pick=on_pick)
    elif isinstance(block, common.Table):
        table_card(block.table, text=block.text, key=block.key, empty_reason=block.empty_reason, height=block.height)
    elif isinstance(block, common.Metric):
        metric_card(block.label, block.value, delta=block.delta, caption=block.caption, help=block.help,
                    delta_color=block.delta_color, trend=block.trend, trend_unit=block.trend_unit)
    else:
        empty_card(block.title, block.reason)
