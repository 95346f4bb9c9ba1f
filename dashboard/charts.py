"""Pure chart builders: (DataFrame, options) -> plotly Figure. No Streamlit here.

Every figure carries its own title, a subtitle that states the filters, a source footnote and, when a
synthetic dataset feeds it, a "Sample data" mark, so a PNG of it explains itself. One template
("observatory") with the Okabe-Ito palette, which stays distinguishable under the common forms of
colour blindness. Builders accept empty frames and return a figure that says there is nothing to show.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.basedatatypes import BaseTraceType

from dashboard.frames import records

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
        # the legend runs across the figure under the title block (placed by place_legend): a legend at the
        # side would squeeze the plot to a sliver on a phone, and Plotly wraps a horizontal one to any width
        legend=dict(orientation="h", xref="container", x=0, xanchor="left", yref="container", yanchor="top",
                    title_text="", font=dict(size=12), entrywidth=0),
        # a known left margin lets the footnote line up with the title (see _finish)
        margin=dict(l=LEFT, r=20, t=88, b=80),
        xaxis=dict(showgrid=False, linecolor="#777777", ticks="outside", automargin=True, title_standoff=8),
        yaxis=dict(gridcolor="#E6E6E6", zeroline=False, automargin=True, rangemode="tozero"),
        hoverlabel=dict(font=dict(family=FONT)),
        separators=".,",
    )
    pio.templates[TEMPLATE] = template


def _figure(*traces: BaseTraceType) -> go.Figure:
    """A new figure in the observatory's theme.

    The theme comes in as Plotly's default template, which Plotly applies without validating it again:
    setting it on each figure (update_layout(template=...)) deep-copied and validated its 8 KB every time,
    about 17 ms a chart and a third of the Violence page's script run. It is made the default here, at
    each figure, because Streamlit makes its own theme the default when it is imported (and only when it
    differs: the setter validates the template too)."""
    if pio.templates.default != TEMPLATE:
        pio.templates.default = TEMPLATE
    return go.Figure(list(traces) or None)


_register_template()


@dataclass(frozen=True)
class ChartText:
    """What a reader needs around the numbers: title, the filters (subtitle), the source, a sample flag."""

    title: str
    subtitle: str = ""
    source: str = ""
    synthetic: bool = False


LINE = 16  # pixels per extra line of subtitle or footnote
FOOTNOTE = "footnote"  # the name of the footnote annotation (exports append to it)
# Text lines are wrapped for the narrowest card, a phone (390 px screen, about 340 px of figure): Plotly
# never wraps text itself, and a line cut at the figure's edge loses its end ("proactive removal r…").
TITLE_CHARS, SUBTITLE_CHARS, FOOTNOTE_CHARS = 32, 46, 48
PHONE_WIDTH = 340  # layout pixels of a figure on a phone, for the legend's rows
LEGEND_RISE = 20   # the title block's spare room under a one-line subtitle, which the legend may take


def _finish(fig: go.Figure, text: ChartText, height: int = HEIGHT, footnote_shift: int = -42,
            notes: Sequence[str] = ()) -> go.Figure:
    """Apply the theme and put title, subtitle, footnote and sample mark on the figure itself.

    Titles, subtitles and footnotes wrap to a phone's width; the margins grow by a line for each wrap,
    so nothing overlaps the plot whatever the filters say. ``notes`` are lines above the source (the
    key to numbered event markers)."""
    # plotly renders a few HTML tags (<a href>, <b>) in text: names from uploads must show as text
    title = _wrap(_plain(text.title), width=TITLE_CHARS, separators=())
    extra_top = (LINE + 5) * title.count("<br>")
    if text.synthetic:
        # its own line above the title, so a long title cannot push it out of the figure
        title = f'<span style="font-size:12px;color:{SAMPLE_COLOUR}"><b>SAMPLE DATA · synthetic</b></span><br>{title}'
        extra_top += LINE + 4
    subtitle = _wrap(_plain(text.subtitle), width=SUBTITLE_CHARS, max_lines=4)
    extra_top += LINE * subtitle.count("<br>")
    footnote = f"Source: {_plain(text.source)}" if text.source else ""
    if text.synthetic:
        footnote += (" · " if footnote else "") + "Synthetic sample data, not real records."
    footnote = "<br>".join(
        [_wrap(_plain(note), width=FOOTNOTE_CHARS, max_lines=8, separators=(" · ",)) for note in notes]
        + ([_wrap(footnote, width=FOOTNOTE_CHARS, max_lines=4, separators=("; ", " · "))] if footnote else []))
    extra_bottom = LINE * footnote.count("<br>")
    if fig.layout.xaxis.title.text:
        # the axis title takes the footnote's place under the tick labels: move the footnote a line down
        footnote_shift -= 22
        extra_bottom += 22
    margin = fig.layout.margin
    left = LEFT if margin.l is None else margin.l
    extra_legend = 20 * max(0, min(_legend_rows(fig), 4) - 1)  # the plot keeps its height under a long legend
    fig.update_layout(
        height=height + extra_top + extra_bottom + extra_legend,
        title=dict(text=title, subtitle=dict(text=subtitle)),
        margin=dict(t=(margin.t or 88) + extra_top, b=(margin.b or 80) + extra_bottom),
    )
    place_legend(fig)
    if footnote:
        fig.add_annotation(
            # annotations cannot anchor to the figure's edge: shift back over the left margin instead
            text=footnote, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
            xshift=PAD - left, yshift=footnote_shift, showarrow=False, align="left", font=dict(size=11, color="#555555"),
            name=FOOTNOTE,
        )
    return fig


def place_legend(fig: go.Figure) -> go.Figure:
    """Hang the legend just under the title block (the top margin). Its position is a fraction of the
    figure's height, so call this again whenever the height changes (export.print_figure does); Plotly
    then pushes the plot down by the legend's height, whatever the width makes of its rows."""
    height = fig.layout.height or HEIGHT
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 88
    fig.update_layout(legend=dict(y=max(0.0, 1 - (top - LEGEND_RISE) / height)))
    return fig


def _legend_rows(fig: go.Figure) -> int:
    """Rows a horizontal legend takes on a phone (about 7 px a character, 40 px for the symbol)."""
    if fig.layout.showlegend is False:
        return 0
    names = [str(t.name or "") for t in fig.data if t.showlegend is not False and t.name]
    if len(names) < 2 and not any(t.showlegend for t in fig.data):
        return 0
    rows, used = 1, 0
    for name in names:
        width = 7 * len(name) + 40
        if used and used + width > PHONE_WIDTH:
            rows, used = rows + 1, 0
        used += width
    return rows


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
    # a part longer than a line breaks between words; a separator left alone stays at its line's end
    broken: list[str] = []
    for part in parts:
        if len(part.rstrip(" ·;")) <= width:
            broken.append(part)
            continue
        for piece in textwrap.wrap(part, width):
            if piece.strip(" ·;") or not broken:
                broken.append(piece + " ")
    parts = broken
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    if len(lines) > max_lines:
        lines = [*lines[:max_lines - 1], _clip("".join(lines[max_lines - 1:]), width)]
    return "<br>".join(line.rstrip(" ·;") for line in lines)


def _plain(text: object) -> str:
    """Text shown as is in a figure: <, > and & become entities, so no tag or link can be injected."""
    return html.escape(str(text), quote=False)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def empty_figure(text: ChartText, reason: str) -> go.Figure:
    """A figure that says why there is nothing to show (used for empty frames)."""
    fig = _figure()
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


STATE_COLOUR = "#5E5E5E"  # "State forces": set apart from armed groups, never ranked among them


def group_palette(groups: Sequence[str]) -> dict[str, str]:
    """One colour per armed group on every chart and view: Okabe-Ito in the order of ``groups`` (the
    reference table's), grey for catch-alls, dark grey for state forces."""
    colours = {"Other groups": NEUTRAL, "Unknown": NEUTRAL, "State forces": STATE_COLOUR}
    for index, name in enumerate(g for g in dict.fromkeys(groups) if g not in colours):
        colours[name] = OKABE_ITO[index % len(OKABE_ITO)]
    return colours


def resolve_colours(names: Sequence[str], palette: dict[str, str]) -> dict[str, str]:
    """The palette's colour for each name; where two shown names would share one (a palette of eight
    colours for many groups) or a name has none, the later name takes the first colour not yet used."""
    used: dict[str, str] = {}
    for name in names:
        colour = palette.get(name)
        taken = set(used.values()) - {NEUTRAL, STATE_COLOUR}
        if colour is None or (colour in taken and colour not in (NEUTRAL, STATE_COLOUR)):
            free = [c for c in OKABE_ITO if c not in taken]
            colour = free[0] if free else OKABE_ITO[len(used) % len(OKABE_ITO)]
        used[name] = colour
    return used


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
    x_title: str = "",
    annotations: pd.DataFrame | None = None,
    markers: bool = False,
    bars: str | None = None,
    bars_title: str = "",
    flags: pd.DataFrame | None = None,
    empty_reason: str = "No data for this selection.",
) -> go.Figure:
    """Lines over time, one per value of ``color``; optional key-event markers (event_date, label),
    numbered on the plot and listed under it. ``bars`` names a count column drawn as grey bars on a
    second axis (right), so a rate and the number it rests on show together. ``flags`` (month, value,
    label) stars the notable changes "What changed" found."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    hover_format, tick_format = _value_format(unit)
    y_title = y_title or UNIT_TITLES.get(unit, "")
    fig = _figure()
    if bars is not None:
        fig.add_trace(go.Bar(
            x=frame[x], y=frame[bars], name=_plain(bars_title or bars), yaxis="y2", marker_color="#C9C9C9",
            hovertemplate=f"%{{x|%b %Y}}<br>{_plain(bars_title or bars)}: %{{y:,.0f}}<extra></extra>",
        ))
    groups = [(None, frame)] if color is None else list(frame.groupby(color, sort=False))
    colours = colour_map([str(name) for name, _ in groups])
    for name, part in groups:
        label = _plain(y_title or y if name is None else name)
        fig.add_trace(go.Scatter(
            x=part[x], y=part[y], name=label, mode="lines+markers" if markers else "lines",
            line=dict(width=2.2, color=colours[str(name)]), marker=dict(size=6),
            hovertemplate=f"%{{x|%b %Y}}<br>{label}: %{{y:{hover_format}}}<extra></extra>",
        ))
    _add_change_flags(fig, flags)
    fig.update_layout(showlegend=color is not None or bars is not None,
                      hovermode="x unified" if color or bars else "closest")
    fig.update_yaxes(title_text=_plain(y_title), tickformat=tick_format)
    if x_title:
        fig.update_xaxes(title_text=_plain(x_title))
    if bars is not None:
        # the line stays in front of the bars: its axis is the overlaying one
        fig.update_layout(yaxis=dict(overlaying="y2", side="left", range=[0, 1.05] if unit == "fraction" else None,
                                     dtick=0.2 if unit == "fraction" else None),
                          yaxis2=dict(title_text=_plain(bars_title or bars), side="right", showgrid=False,
                                      rangemode="tozero", tickformat=",~s"),
                          margin=dict(r=70))
    notes: list[str] = []
    if annotations is not None and not annotations.empty:
        notes = _add_event_markers(fig, annotations, frame[x])
    return _finish(fig, text, notes=notes)


UNIT_TITLES = {"fraction": "share (%)", "hours": "hours", "rate": "per million people", "count": "count"}
EVENT_LEVELS = (1.0, 0.91, 0.82)  # heights (fraction of the plot) of staggered event numbers
EVENT_GAP = 0.045                 # closer than this share of the time axis, two numbers go on different rows


def _add_event_markers(fig: go.Figure, annotations: pd.DataFrame, xs: pd.Series) -> list[str]:
    """Dotted vertical lines for key events inside the plotted period, each with a small number at its top;
    numbers of events close in time step down a row, so they never overlap, and the labels themselves are
    listed under the axis (returned as the note), where they cannot collide with the lines or the legend."""
    lo, hi = pd.to_datetime(xs.min()), pd.to_datetime(xs.max())
    span = max((hi - lo).total_seconds(), 1.0)
    inside = [row for row in records(annotations.sort_values("event_date"))
              if lo <= pd.to_datetime(row.event_date) <= hi]
    placed: list[tuple[float, int]] = []  # (position on the axis 0..1, row) of the numbers drawn so far
    key = []
    for number, row in enumerate(inside, start=1):
        when = pd.to_datetime(row.event_date)
        where = (when - lo).total_seconds() / span
        taken = {level for position, level in placed if where - position < EVENT_GAP}
        level = next((i for i in range(len(EVENT_LEVELS)) if i not in taken), len(placed) % len(EVENT_LEVELS))
        placed.append((where, level))
        fig.add_shape(type="line", x0=when, x1=when, y0=0, y1=EVENT_LEVELS[level] - 0.06, yref="paper",
                      line=dict(color="#777777", width=1, dash="dot"))
        fig.add_annotation(x=when, y=EVENT_LEVELS[level], yref="paper", text=f"<b>{number}</b>", showarrow=False,
                           xanchor="center", yanchor="top", font=dict(size=11, color="#333333"),
                           bgcolor="rgba(255,255,255,0.85)", borderpad=1,
                           hovertext=_plain(f"{row.label} ({when:%d %b %Y})"))
        key.append(f"{number} {row.label} ({when:%b %Y})")
    return ["Key events · " + " · ".join(key)] if key else []


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
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """Bars stacked by ``color`` (e.g. events per year by group), biggest series at the bottom.

    ``label`` names a column for legend entries (short names). Each trace carries its ``color`` value as
    customdata, so a click on a bar selects that series; ``highlight`` fades the others. ``colours`` is a
    palette shared by every view (see group_palette), so a group keeps its colour when the view changes."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    _one_source(frame)
    order = frame.groupby(color)[y].sum().sort_values(ascending=False).index.tolist()
    # catch-all series last, whatever their size
    catch_all = ("Other groups", "Unknown", "State forces")
    order = [n for n in order if n not in catch_all] + [n for n in order if n in catch_all]
    colours = resolve_colours(order, colours) if colours else colour_map(order)
    fig = _figure()
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
    fig.update_yaxes(title_text=_plain(y_title or "count"), tickformat=",~s")
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
    fig = _figure(go.Bar(
        x=top[value], y=names.map(_plain), orientation="h", marker_color=colours,
        customdata=top[category].astype(str),
        text=top[value].map(lambda v: format(v, hover_format) if pd.notna(v) else ""),
        textposition="outside", cliponaxis=False,
        hovertemplate=f"%{{y}}: %{{x:{hover_format}}}<extra></extra>",
    ))
    fig.update_xaxes(title_text=_plain(value_title or UNIT_TITLES.get(unit, "")), tickformat=tick_format,
                     showgrid=True, gridcolor="#E6E6E6")
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
    label_prefix: str | None = None,
    colours: dict[str, str] | None = None,
    empty_reason: str = "No data for this selection.",
) -> go.Figure:
    """Bars side by side per ``x`` (one per ``color``): e.g. each source's figure per year, never summed.
    ``label_prefix`` names a column whose text goes before a bar's value label ("≥" for a lower bound);
    ``colours`` fixes the colour of each ``color`` value (a source keeps its colour across charts).
    Values of ``x`` in ``flagged`` (years where sources disagree) get a marker above the bars;
    ``reference`` draws a dashed line (a deadline, a target). ``horizontal`` suits long category names."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    hover_format, tick_format = _value_format(unit)
    order = list(dict.fromkeys(frame[color].astype(str)))
    colours = {**colour_map(order, neutral=()), **(colours or {})}
    categories = list(dict.fromkeys(frame.sort_values(x)[x].map(_plain)))
    if horizontal:
        categories = categories[::-1]  # first category on top
    fig = _figure()
    for name in order:
        part = frame[frame[color].astype(str) == name]
        labels = part[y].map(lambda v: format(v, hover_format) if pd.notna(v) else "")
        if label_prefix is not None:
            labels = part[label_prefix].fillna("").astype(str) + labels
        positions = part[x].map(_plain)
        fig.add_trace(go.Bar(
            x=part[y] if horizontal else positions, y=positions if horizontal else part[y],
            orientation="h" if horizontal else "v", name=_plain(name), marker_color=colours[name],
            text=labels, textposition="outside", cliponaxis=False, textfont=dict(size=11),
            hovertemplate=(f"%{{y}}<br>{_plain(name)}: %{{x:{hover_format}}}" if horizontal
                           else f"%{{x}}<br>{_plain(name)}: %{{y:{hover_format}}}") + "<extra></extra>",
        ))
    category_axis = dict(type="category", categoryorder="array", categoryarray=categories)
    value_axis = dict(title_text=_plain(y_title or UNIT_TITLES.get(unit, "")), tickformat=tick_format)
    if horizontal:
        fig.update_yaxes(**category_axis, showgrid=False)
        fig.update_xaxes(**value_axis, showgrid=True, gridcolor="#E6E6E6")
        # the category labels decide the left margin (as in bar_ranking), so long names never squeeze the bars
        longest = max((len(str(c)) for c in categories), default=0)
        fig.update_layout(legend_traceorder="normal", margin=dict(l=min(24 + 7 * longest, 240), r=50))
        # room beyond the longest bar for its value label
        top = max(pd.to_numeric(frame[y], errors="coerce").max(), reference or 0)
        if pd.notna(top) and top > 0:
            fig.update_xaxes(range=[0, float(top) * 1.2])
    else:
        fig.update_xaxes(**category_axis)
        fig.update_yaxes(**value_axis)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    # bar labels that would have to shrink under 10 px to fit a narrow bar (a phone) are left to the hover
    fig.update_layout(uniformtext=dict(minsize=10, mode="hide"))
    notes = []
    for value in flagged:
        if _plain(value) in categories:
            top = frame.loc[frame[x].map(_plain) == _plain(value), y].max()
            # by position: a numeric-looking category name ("2024") would be read as an index. Only the mark
            # sits on the plot (neighbouring years' marks would overlap), the note under the axis says what it is
            fig.add_annotation(x=categories.index(_plain(value)), y=top, text="⚠", showarrow=False,
                               yanchor="bottom", yshift=16, font=dict(size=13, color=HIGHLIGHT),
                               hovertext="sources differ")
            notes = ["⚠ the sources publish different numbers for that year"]
    if reference is not None:
        # the line is named in the legend, never on the plot, where its label would sit on bars or their labels
        line = dict(color=HIGHLIGHT, dash="dash", width=1.5)
        if horizontal:
            fig.add_vline(x=reference, line=line)
        else:
            fig.add_hline(y=reference, line=line)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, hoverinfo="skip",
                                 name=_plain(reference_label or f"reference: {reference:g}"), showlegend=True))
    height = max(HEIGHT, 160 + 22 * len(categories) * len(order)) if horizontal else HEIGHT + 30
    return _finish(fig, text, height=height, notes=notes)


def choropleth_map(
    frame: pd.DataFrame,
    geojson: dict[str, Any],
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
    fig = _figure(go.Choroplethmap(
        geojson=geojson, featureidkey="properties.shapeName", locations=frame["geo_name"], z=frame[value],
        customdata=frame["region"], colorscale=[list(stop) for stop in SEQUENTIAL], zmin=0,
        marker=dict(line=dict(color="#FFFFFF", width=1)), name=value_title,
        # the colour bar lies under the map: at its side it would take a fifth of a phone's width
        colorbar=dict(title=dict(text=_plain(value_title), side="top"), orientation="h", thickness=12, len=0.7,
                      x=0.5, xanchor="center", y=-0.02, yanchor="top",
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
        # the zoom shows the whole country in a phone's 340 px as in a half-width card
        map=dict(style="white-bg", center=dict(lat=30.2, lon=69.3), zoom=3.6),
        margin=dict(l=0, r=0, t=90, b=120),
    )
    return _finish(fig, text, height=HEIGHT + 110, footnote_shift=-92)


def event_points_map(
    frame: pd.DataFrame,
    geojson: dict[str, Any],
    *,
    text: ChartText,
    empty_reason: str = "No data for this selection: no located events.",
) -> go.Figure:
    """Events as points (columns latitude, longitude, event_type, killed, event_date, location,
    source_event_id), coloured by event type and sized by deaths, over the province outlines; no tiles, so
    it renders offline. Each point carries its source_event_id, so a click can open its details."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    _one_source(frame)
    types = list(frame["event_type"].value_counts().index)
    colours = colour_map(types, neutral=("Unknown",))
    fig = _figure()
    for name in types:
        part = frame[frame["event_type"] == name]
        fig.add_trace(go.Scattermap(
            lat=part["latitude"], lon=part["longitude"], mode="markers", name=_plain(name),
            marker=dict(size=(4 + 2.2 * part["killed"].fillna(0).clip(lower=0) ** 0.5).clip(upper=22),
                        color=colours[name], opacity=0.6),
            customdata=part[["source_event_id", "event_date", "location", "killed"]].astype(str).map(_plain).values,
            hovertemplate="%{customdata[2]}, %{customdata[1]}<br>" + _plain(name)
                          + "<br>deaths: %{customdata[3]}<extra></extra>",
        ))
    fig.update_layout(
        map=dict(style="white-bg", center=dict(lat=30.2, lon=69.3), zoom=3.6,
                 layers=[dict(source=geojson, type="line", color="#9A9A9A", line=dict(width=1), below="traces")]),
        margin=dict(l=0, r=0, t=90, b=60), clickmode="event+select",
    )
    return _finish(fig, text, height=HEIGHT + 80, notes=["Point size: deaths in the event"])


def correlation_bars(frame: pd.DataFrame, *, text: ChartText, empty_reason: str = "Too few periods to correlate.") -> go.Figure:
    """Pearson r per lag (columns lag, r, n); the lag with the largest |r| is marked."""
    if frame.empty or frame["r"].isna().all():
        return empty_figure(text, empty_reason)
    best = frame["lag"].iloc[int(frame["r"].abs().fillna(-1.0).to_numpy().argmax())]  # NaN r never wins
    fig = _figure(go.Bar(
        x=frame["lag"], y=frame["r"],
        marker_color=[HIGHLIGHT if lag == best else OKABE_ITO[0] for lag in frame["lag"]],
        customdata=frame["n"], hovertemplate="lag %{x}: r = %{y:.2f} (%{customdata} periods)<extra></extra>",
    ))
    fig.update_yaxes(range=[-1, 1], title_text="correlation (r)", rangemode="normal", zeroline=True,
                     zerolinecolor="#777777")
    # short enough for a phone; the subtitle says which way a positive lag runs
    fig.update_xaxes(title_text="lag (quarters)", dtick=1)
    fig.update_layout(showlegend=False)
    return _finish(fig, text, height=HEIGHT - 40)



# --- published series: 2022 to now, as each source published it -----------------------------------

VALUE_KIND_MARK = {"exact": "", "lower_bound": "≥", "approximate": "≈"}
VALUE_KIND_NOTE = {"lower_bound": "≥ lower bound ('over')", "approximate": "≈ approximate ('about')"}


def value_marks(kinds: pd.Series) -> pd.Series:
    """'≥' for a lower bound, '≈' for an approximate number, '' for an exact one."""
    return kinds.fillna("exact").map(VALUE_KIND_MARK).fillna("")


def source_colours(sources: Sequence[str]) -> dict[str, str]:
    """One colour per source, the same on every chart that shows the same sources (sorted, then Okabe-Ito)."""
    return colour_map(sorted(set(map(str, sources))), neutral=())


def _add_change_flags(fig: go.Figure, flags: pd.DataFrame | None) -> None:
    """A star with its label ('+28%') at each notable change (columns month, value, label). The label sits
    on the side the line does not come from: above a rise, below a fall (the line falls into the star)."""
    if flags is None or flags.empty:
        return
    sides = ["bottom center" if str(label).startswith(("-", "−")) else "top center" for label in flags["label"]]
    fig.add_trace(go.Scatter(
        x=flags["month"], y=flags["value"], mode="markers+text", name="notable change",
        marker=dict(symbol="star", size=14, color=HIGHLIGHT, line=dict(width=1, color="#FFFFFF")),
        text=flags["label"].map(_plain), textposition=sides, textfont=dict(size=11, color=HIGHLIGHT),
        hovertemplate="%{x|%b %Y}: %{text}<extra>notable change</extra>", cliponaxis=False,
    ))


def published_trend(
    frame: pd.DataFrame,
    *,
    text: ChartText,
    y_title: str,
    flags: pd.DataFrame | None = None,
    colours: dict[str, str] | None = None,
    empty_reason: str = "No published monthly figures for this selection.",
) -> go.Figure:
    """Monthly published figures (columns month, source, value, value_kind), one line per source, side by
    side and never summed. A lower bound or approximate number gets a hollow marker and its mark in the
    hover; ``flags`` (month, source, value, label) marks notable changes with a star and their label."""
    if frame.empty:
        return empty_figure(text, empty_reason)
    colours = {**source_colours(frame["source"].astype(str).tolist()), **(colours or {})}
    fig = _figure()
    for source, part in frame.sort_values("month").groupby("source", sort=True):
        marks = value_marks(part["value_kind"])
        hollow = marks != ""
        name = _plain(source)
        fig.add_trace(go.Scatter(
            x=part["month"], y=part["value"], name=name, mode="lines+markers",
            line=dict(width=2.2, color=colours[str(source)]),
            marker=dict(size=[9 if h else 5 for h in hollow], color=[
                "#FFFFFF" if h else colours[str(source)] for h in hollow],
                line=dict(width=2, color=colours[str(source)])),
            customdata=marks, connectgaps=False,
            hovertemplate=f"%{{x|%b %Y}}<br>{name}: %{{customdata}}%{{y:,.0f}}<extra></extra>",
        ))
    kinds = set(frame["value_kind"].fillna("exact")) - {"exact"}
    _add_change_flags(fig, flags)
    fig.update_xaxes(title_text="month", tickformat="%b\n%Y")  # two lines: no rotated labels on a phone
    fig.update_yaxes(title_text=y_title, tickformat=",~s")
    fig.update_layout(showlegend=True, hovermode="closest")
    if kinds:
        text = ChartText(text.title, text.subtitle, (text.source + " · " if text.source else "")
                         + "hollow marker: " + "; ".join(VALUE_KIND_NOTE[k] for k in sorted(kinds)), text.synthetic)
    return _finish(fig, text)


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
    fig = _figure()
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


def rounded_geojson(geojson: dict[str, Any], digits: int) -> dict[str, Any]:
    """A GeoJSON object with every coordinate rounded to ``digits`` decimals (pure; the input is untouched)."""
    def rounded(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, digits)
        if isinstance(value, list):
            return [rounded(item) for item in value]
        if isinstance(value, dict):
            return {key: rounded(item) if key == "coordinates" or isinstance(item, (dict, list)) else item
                    for key, item in value.items()}
        return value

    out: dict[str, Any] = rounded(geojson)
    return out
