"""Pure chart builders: (DataFrame, options) -> plotly Figure. No Streamlit here.

Every figure carries its own title, a subtitle that states the filters, a source footnote and, when a
synthetic dataset feeds it, a "Sample data" mark, so a PNG of it explains itself. One template
("observatory") with the Okabe-Ito palette, which stays distinguishable under the common forms of
colour blindness. Builders accept empty frames and return a figure that says there is nothing to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# Okabe & Ito (2008), ordered so the first colours are the most distinct on white; yellow last.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
NEUTRAL = "#9A9A9A"       # "Other groups" and unselected bars
HIGHLIGHT = "#D55E00"     # the cross-filter selection
SAMPLE_COLOUR = "#D55E00"
# light to dark blue, readable for every form of colour blindness (single hue)
SEQUENTIAL = ((0.0, "#EEF4FA"), (0.35, "#9ECAE1"), (0.7, "#3182BD"), (1.0, "#08306B"))
TEMPLATE = "observatory"
LEFT = 76  # left margin in pixels: room for y tick labels and the axis title
PAD = 8    # title and footnote inset from the figure's left edge
HEIGHT = 430
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


def _register_template() -> None:
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.update(
        font=dict(family=FONT, size=13, color="#222222"),
        colorway=list(OKABE_ITO),
        # the title block hangs from the top edge; the top margin (see _finish) leaves room for it
        title=dict(x=0, xanchor="left", xref="container", y=1, yanchor="top", yref="container",
                   pad=dict(l=PAD, t=16), font=dict(size=17, color="#111111"),
                   subtitle=dict(font=dict(size=12, color="#555555"))),
        # a legend on the right never collides with the title block or the footnote
        legend=dict(orientation="v", x=1.01, xanchor="left", y=1, yanchor="top", title_text="",
                    font=dict(size=12)),
        # a known left margin lets the footnote line up with the title (see _finish)
        margin=dict(l=LEFT, r=20, t=88, b=80),
        xaxis=dict(showgrid=False, linecolor="#777777", ticks="outside", automargin=True, title_standoff=8),
        yaxis=dict(gridcolor="#E6E6E6", zeroline=False, automargin=True, rangemode="tozero"),
        hoverlabel=dict(font=dict(family=FONT)),
        separators=".,",
    )
    pio.templates[TEMPLATE] = template


_register_template()


@dataclass(frozen=True)
class ChartText:
    """What a reader needs around the numbers: title, the filters (subtitle), the source, a sample flag."""

    title: str
    subtitle: str = ""
    source: str = ""
    synthetic: bool = False


LINE = 16  # pixels per extra line of subtitle or footnote


def _finish(fig: go.Figure, text: ChartText, height: int = HEIGHT, footnote_shift: int = -42) -> go.Figure:
    """Apply the theme and put title, subtitle, footnote and sample mark on the figure itself.

    Long subtitles and footnotes wrap at their separators; the margins grow by a line for each wrap,
    so nothing overlaps the plot whatever the filters say."""
    # plotly renders a few HTML tags (<a href>, <b>) in text: names from uploads must show as text
    title = _plain(text.title)
    extra_top = 0
    if text.synthetic:
        # its own line above the title, so a long title cannot push it out of the figure
        title = f'<span style="font-size:12px;color:{SAMPLE_COLOUR}"><b>SAMPLE DATA · synthetic</b></span><br>{title}'
        extra_top += LINE + 4
    subtitle = _wrap(_plain(text.subtitle), width=62)
    extra_top += LINE * subtitle.count("<br>")
    footnote = f"Source: {_plain(text.source)}" if text.source else ""
    if text.synthetic:
        footnote += (" · " if footnote else "") + "Synthetic sample data, not real records."
    footnote = _wrap(footnote, width=78, separators=("; ", " · "))
    extra_bottom = LINE * footnote.count("<br>")
    margin = fig.layout.margin
    left = LEFT if margin.l is None else margin.l
    fig.update_layout(
        template=TEMPLATE,
        height=height + extra_top + extra_bottom,
        title=dict(text=title, subtitle=dict(text=subtitle)),
        margin=dict(t=(margin.t or 88) + extra_top, b=(margin.b or 80) + extra_bottom),
    )
    if footnote:
        fig.add_annotation(
            # annotations cannot anchor to the figure's edge: shift back over the left margin instead
            text=footnote, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
            xshift=PAD - left, yshift=footnote_shift, showarrow=False, align="left", font=dict(size=11, color="#555555"),
        )
    return fig


def _wrap(text: str, width: int = 80, max_lines: int = 3, separators: Sequence[str] = (" · ",)) -> str:
    """Break a long line at its separators (kept at the line ends) so it fits a half-width chart."""
    if not text:
        return ""
    parts = [text]
    for separator in separators:
        split = []
        for part in parts:
            pieces = part.split(separator)
            split += [piece + separator for piece in pieces[:-1]] + pieces[-1:]
        parts = split
    # a single part longer than a line breaks between words
    parts = [piece + " " for part in parts for piece in textwrap.wrap(part, width)] if any(
        len(part) > width for part in parts) else parts
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [_clip("".join(lines[max_lines - 1:]), width)]
    return "<br>".join(line.rstrip(" ·;") for line in lines)


def _plain(text: object) -> str:
    """Text shown as is in a figure: <, > and & become entities, so no tag or link can be injected."""
    return html.escape(str(text), quote=False)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def empty_figure(text: ChartText, reason: str) -> go.Figure:
    """A figure that says why there is nothing to show (used for empty frames)."""
    fig = go.Figure()
    fig.add_annotation(text=reason, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font=dict(size=14, color="#555555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, text, height=260)


def _one_source(frame: pd.DataFrame) -> None:
    """Sources count different things: a builder never draws two of them into one total."""
    if "source" in frame and frame["source"].nunique() > 1:
        raise ValueError("one source per chart: split the frame by source (side by side), never sum them")


def _value_format(unit: str) -> tuple[str, str]:
    """(hover format, axis tickformat) for 'count', 'fraction', 'rate', 'hours' or 'index'."""
    formats = {"fraction": (".1%", ".0%"), "rate": (",.1f", ",.1f"), "hours": (",.0f", ",.0f"),
               "index": (",.0f", ",.0f")}
    return formats.get(unit, (",.0f", ",~s"))


def colour_map(names: Sequence[str], neutral: Sequence[str] = ("Other groups", "Unknown")) -> dict[str, str]:
    """Stable colours: Okabe-Ito in order of appearance, grey for catch-all categories."""
    colours, index = {}, 0
    for name in names:
        if name in colours:
            continue
        if name in neutral:
            colours[name] = NEUTRAL
        else:
            colours[name] = OKABE_ITO[index % len(OKABE_ITO)]
            index += 1
    return colours


# --- time series ---------------------------------------------------------------------------------


def line_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    text: ChartText,
    color: str | None = None,
    unit: str = "count",
    y_title: str = "",
    annotations: pd.DataFrame | None = None,
    markers: bool = False,
    empty_reason: str = "No data for this selection.",
) -> go.Figure:
    """Lines over time, one per value of ``color``; optional key-event markers (event_date, label)."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    hover_format, tick_format = _value_format(unit)
    fig = go.Figure()
    groups = [(None, frame)] if color is None else list(frame.groupby(color, sort=False))
    colours = colour_map([str(name) for name, _ in groups])
    for name, part in groups:
        label = _plain(y_title or y if name is None else name)
        fig.add_trace(go.Scatter(
            x=part[x], y=part[y], name=label, mode="lines+markers" if markers else "lines",
            line=dict(width=2.2, color=colours[str(name)]), marker=dict(size=6),
            hovertemplate=f"%{{x|%b %Y}}<br>{label}: %{{y:{hover_format}}}<extra></extra>",
        ))
    fig.update_layout(showlegend=color is not None, hovermode="x unified" if color else "closest")
    fig.update_yaxes(title_text=y_title, tickformat=tick_format)
    if annotations is not None and not annotations.empty:
        _add_event_markers(fig, annotations, frame[x])
    return _finish(fig, text)


def _add_event_markers(fig: go.Figure, annotations: pd.DataFrame, xs: pd.Series) -> None:
    """Dotted vertical lines with rotated labels for key events inside the plotted period."""
    lo, hi = pd.to_datetime(xs.min()), pd.to_datetime(xs.max())
    for row in annotations.itertuples():
        when = pd.to_datetime(row.event_date)
        if not lo <= when <= hi:
            continue
        fig.add_shape(type="line", x0=when, x1=when, y0=0, y1=1, yref="paper",
                      line=dict(color="#555555", width=1, dash="dot"))
        fig.add_annotation(x=when, y=1, yref="paper", text=row.label, textangle=-90, showarrow=False,
                           xanchor="left", yanchor="top", font=dict(size=10, color="#333333"),
                           bgcolor="rgba(255,255,255,0.7)")


def stacked_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str,
    text: ChartText,
    y_title: str = "",
    label: str | None = None,
    empty_reason: str = "No data for this selection.",
    highlight: str | None = None,
) -> go.Figure:
    """Bars stacked by ``color`` (e.g. events per year by group), biggest series at the bottom.

    ``label`` names a column for legend entries (short names). Each trace carries its ``color`` value as
    customdata, so a click on a bar selects that series; ``highlight`` fades the others."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    _one_source(frame)
    order = frame.groupby(color)[y].sum().sort_values(ascending=False).index.tolist()
    # catch-all series last, whatever their size
    order = [n for n in order if n not in ("Other groups", "Unknown")] + [n for n in order if n in ("Other groups", "Unknown")]
    colours = colour_map(order)
    fig = go.Figure()
    for name in order:
        part = frame[frame[color] == name]
        shown = _plain(part[label].iloc[0] if label else name)
        faded = highlight is not None and name != highlight
        fig.add_trace(go.Bar(
            x=part[x], y=part[y], name=shown, marker_color=colours[name], opacity=0.3 if faded else 1,
            customdata=[str(name)] * len(part),
            hovertemplate=f"%{{x}}<br>{shown}: %{{y:,.0f}}<extra></extra>",
        ))
    fig.update_layout(barmode="stack", bargap=0.15, legend_traceorder="normal")
    fig.update_yaxes(title_text=y_title, tickformat=",~s")
    return _finish(fig, text, height=HEIGHT + 40)


def bar_ranking(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    text: ChartText,
    unit: str = "count",
    value_title: str = "",
    highlight: str | None = None,
    label: str | None = None,
    max_bars: int = 12,
    empty_reason: str = "No data for this selection.",
) -> go.Figure:
    """Horizontal bars, largest on top. ``label`` names a column shown instead of ``category`` (short
    names); the category itself rides along as customdata so a click can select it."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    _one_source(frame)
    top = frame.sort_values(value, ascending=False).head(max_bars).iloc[::-1]
    hover_format, tick_format = _value_format(unit)
    names = top[label] if label else top[category]
    colours = [HIGHLIGHT if highlight is not None and c == highlight else OKABE_ITO[0] for c in top[category]]
    fig = go.Figure(go.Bar(
        x=top[value], y=names.map(_plain), orientation="h", marker_color=colours,
        customdata=top[category].astype(str),
        text=top[value].map(lambda v: format(v, hover_format) if pd.notna(v) else ""),
        textposition="outside", cliponaxis=False,
        hovertemplate=f"%{{y}}: %{{x:{hover_format}}}<extra></extra>",
    ))
    fig.update_xaxes(title_text=value_title, tickformat=tick_format, showgrid=True, gridcolor="#E6E6E6")
    fig.update_yaxes(showgrid=False)
    # the labels decide the left margin, so the footnote can still line up with the title
    longest = int(names.astype(str).str.len().max())
    fig.update_layout(showlegend=False, margin=dict(l=min(24 + 8 * longest, 260), r=60))
    return _finish(fig, text, height=max(300, 150 + 30 * len(top)))


def grouped_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str,
    text: ChartText,
    unit: str = "count",
    y_title: str = "",
    flagged: Sequence[Any] = (),
    reference: float | None = None,
    reference_label: str = "",
    horizontal: bool = False,
    empty_reason: str = "No data for this selection.",
) -> go.Figure:
    """Bars side by side per ``x`` (one per ``color``): e.g. each source's figure per year, never summed.
    Values of ``x`` in ``flagged`` (years where sources disagree) get a marker above the bars;
    ``reference`` draws a dashed line (a deadline, a target). ``horizontal`` suits long category names."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    hover_format, tick_format = _value_format(unit)
    order = list(dict.fromkeys(frame[color].astype(str)))
    colours = colour_map(order, neutral=())
    categories = list(dict.fromkeys(frame.sort_values(x)[x].map(_plain)))
    if horizontal:
        categories = categories[::-1]  # first category on top
    fig = go.Figure()
    for name in order:
        part = frame[frame[color].astype(str) == name]
        labels = part[y].map(lambda v: format(v, hover_format) if pd.notna(v) else "")
        positions = part[x].map(_plain)
        fig.add_trace(go.Bar(
            x=part[y] if horizontal else positions, y=positions if horizontal else part[y],
            orientation="h" if horizontal else "v", name=_plain(name), marker_color=colours[name],
            text=labels, textposition="outside", cliponaxis=False, textfont=dict(size=11),
            hovertemplate=(f"%{{y}}<br>{_plain(name)}: %{{x:{hover_format}}}" if horizontal
                           else f"%{{x}}<br>{_plain(name)}: %{{y:{hover_format}}}") + "<extra></extra>",
        ))
    category_axis = dict(type="category", categoryorder="array", categoryarray=categories)
    value_axis = dict(title_text=y_title, tickformat=tick_format)
    if horizontal:
        fig.update_yaxes(**category_axis, showgrid=False)
        fig.update_xaxes(**value_axis, showgrid=True, gridcolor="#E6E6E6")
        fig.update_layout(legend_traceorder="normal")
    else:
        fig.update_xaxes(**category_axis)
        fig.update_yaxes(**value_axis)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    for value in flagged:
        if _plain(value) in categories:
            top = frame.loc[frame[x].map(_plain) == _plain(value), y].max()
            # by position: a numeric-looking category name ("2024") would be read as an index
            fig.add_annotation(x=categories.index(_plain(value)), y=top, text="⚠ sources differ", showarrow=False,
                               yanchor="bottom", yshift=18, font=dict(size=11, color=HIGHLIGHT))
    if reference is not None:
        line = dict(line=dict(color=HIGHLIGHT, dash="dash", width=1.5), annotation_text=reference_label,
                    annotation_font=dict(size=11, color=HIGHLIGHT))
        if horizontal:
            # no label on the line: it would sit on the top bars; the subtitle names the line
            fig.add_vline(x=reference, line=line["line"])
        else:
            fig.add_hline(y=reference, annotation_position="top left", **line)
    height = max(HEIGHT, 160 + 22 * len(categories) * len(order)) if horizontal else HEIGHT + 30
    return _finish(fig, text, height=height)


def choropleth_map(
    frame: pd.DataFrame,
    geojson: dict,
    *,
    value: str,
    text: ChartText,
    value_title: str,
    unit: str = "count",
    highlight: str | None = None,
    empty_reason: str = "No data for this selection.",
) -> go.Figure:
    """Provinces shaded by ``value`` on a blank background: no tile server, so it renders offline.

    Needs columns geo_name (matches the GeoJSON's shapeName) and region (shown, and returned on click)."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    _one_source(frame)
    hover_format, _ = _value_format(unit)
    fig = go.Figure(go.Choroplethmap(
        geojson=geojson, featureidkey="properties.shapeName", locations=frame["geo_name"], z=frame[value],
        customdata=frame["region"], colorscale=[list(stop) for stop in SEQUENTIAL], zmin=0,
        marker=dict(line=dict(color="#FFFFFF", width=1)), name=value_title,
        colorbar=dict(title=dict(text=value_title, side="right"), thickness=14, x=0.86, xanchor="left",
                      tickformat=",~s" if unit == "count" else ",.0f"),
        hovertemplate=f"%{{customdata}}<br>{value_title}: %{{z:{hover_format}}}<extra></extra>",
    ))
    if highlight is not None and highlight in set(frame["region"]):
        # the selected province gets an outline on top, its fill keeps telling the value
        chosen = frame[frame["region"] == highlight]
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="properties.shapeName", locations=chosen["geo_name"],
            z=[0] * len(chosen), customdata=chosen["region"], showscale=False,
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            marker=dict(line=dict(color=HIGHLIGHT, width=3)), name="selected",
            hovertemplate="%{customdata} (selected)<extra></extra>",
        ))
    fig.update_layout(
        # the colour bar gets its own strip, so it never covers a province; the zoom fits a half-width card
        map=dict(style="white-bg", center=dict(lat=30.2, lon=69.3), zoom=3.75, domain=dict(x=[0, 0.84], y=[0, 1])),
        margin=dict(l=0, r=0, t=90, b=60),
    )
    return _finish(fig, text, height=HEIGHT + 110)


def correlation_bars(frame: pd.DataFrame, *, text: ChartText, empty_reason: str = "Too few periods to correlate.") -> go.Figure:
    """Pearson r per lag (columns lag, r, n); the lag with the largest |r| is marked."""
    if frame.empty or frame["r"].isna().all():
        return empty_figure(text, empty_reason)
    best = frame.loc[frame["r"].abs().idxmax(), "lag"]
    fig = go.Figure(go.Bar(
        x=frame["lag"], y=frame["r"],
        marker_color=[HIGHLIGHT if lag == best else OKABE_ITO[0] for lag in frame["lag"]],
        customdata=frame["n"], hovertemplate="lag %{x}: r = %{y:.2f} (%{customdata} periods)<extra></extra>",
    ))
    fig.update_yaxes(range=[-1, 1], title_text="correlation (r)", rangemode="normal", zeroline=True,
                     zerolinecolor="#777777")
    fig.update_xaxes(title_text="lag in quarters (positive: online series follows violence)", dtick=1)
    fig.update_layout(showlegend=False, margin=dict(b=100))
    return _finish(fig, text, height=HEIGHT - 40, footnote_shift=-66)



# === EU DSA statements of reasons (issue 15): builders for the Online content page's DSA section ========


def daily_lines(frame: pd.DataFrame, *, x: str, y: str, color: str, text: ChartText, unit: str = "count",
                y_title: str = "", empty_reason: str = "No data for this selection.") -> go.Figure:
    """Lines per day, one per ``color`` (platform): line_chart with day-level hover labels, and ticks on whole
    days (at most about eight), so a few days do not get a tick every six hours."""
    fig = line_chart(frame, x=x, y=y, color=color, text=text, unit=unit, y_title=y_title, markers=True,
                     empty_reason=empty_reason)
    if frame.empty:
        return fig
    hover_format, _ = _value_format(unit)
    for trace in fig.data:
        trace.hovertemplate = f"%{{x|%d %b %Y}}<br>{trace.name}: %{{y:{hover_format}}}<extra></extra>"
    days = pd.to_datetime(frame[x])
    step = max(1, -(-((days.max() - days.min()).days + 1) // 8))
    fig.update_xaxes(tickformat="%d %b\n%Y", dtick=step * 86_400_000, tick0=days.min())
    return fig


def share_bars(frame: pd.DataFrame, *, category: str, series: str, value: str, text: ChartText,
               partition: bool = False, empty_reason: str = "No data for this selection.") -> go.Figure:
    """Horizontal stacked bars of shares per ``category`` (platform), one colour per ``series`` (decision,
    scope). With ``partition`` the series split the whole (territorial scope) and the axis ends at 100%;
    without, they may overlap (visibility decisions: a statement can carry several) and a bar can pass 100%."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    categories = list(dict.fromkeys(frame[category].map(_plain)))[::-1]  # first category on top
    order = frame.groupby(series)[value].sum().sort_values(ascending=False).index.tolist()
    colours = colour_map(order, neutral=())
    fig = go.Figure()
    for name in order:
        part = frame[frame[series] == name]
        fig.add_trace(go.Bar(
            x=part[value], y=part[category].map(_plain), orientation="h", name=_plain(name),
            marker_color=colours[name],
            hovertemplate=f"%{{y}}<br>{_plain(name)}: %{{x:.1%}}<extra></extra>",
        ))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=categories, showgrid=False)
    fig.update_xaxes(tickformat=".0%", showgrid=True, gridcolor="#E6E6E6", range=[0, 1] if partition else None)
    fig.update_layout(barmode="stack", bargap=0.25, legend_traceorder="normal")
    return _finish(fig, text, height=max(HEIGHT, 200 + 30 * len(categories)))
