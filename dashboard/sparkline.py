"""A headline number's history as a small inline SVG line.

Why not ``st.metric(chart_data=...)``: Streamlit draws those with Vega-Lite, whose 262 kB bundle and chart
compiler load and run on a fresh tab's first page while its Plotly charts are being drawn. Measured on the
Overview (six sparklines): the first chart came 0.25-0.35 s later with them than without. A line of a
dozen points needs none of that: a path in an SVG box, stretched to the card's width.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from dashboard.charts import OKABE_ITO

VIEW_WIDTH, VIEW_HEIGHT, MARGIN = 100.0, 24.0, 2.0
HEIGHT_PX = 36
COLOUR = OKABE_ITO[0]  # the charts' first colour, also the theme's primary (.streamlit/config.toml)


def points(values: Iterable[float | None]) -> list[tuple[float, float]]:
    """The values (oldest first) as x, y in the SVG's view box: x spread evenly across its width, y from the
    lowest value (bottom) to the highest (top), a flat series along the middle. A missing value (None, NaN)
    keeps its place on the x axis but draws no point."""
    listed = list(values)
    if len(listed) < 2:
        return []
    step = VIEW_WIDTH / (len(listed) - 1)
    finite = [(index * step, float(v)) for index, v in enumerate(listed) if v is not None and math.isfinite(v)]
    if not finite:
        return []
    low, high = min(v for _, v in finite), max(v for _, v in finite)
    span = VIEW_HEIGHT - 2 * MARGIN
    if high == low:
        return [(x, VIEW_HEIGHT / 2) for x, _ in finite]
    return [(x, MARGIN + (high - v) / (high - low) * span) for x, v in finite]


# The SVG goes through st.markdown (st.html's sanitiser drops SVG), whose markdown would still read these in
# the title's text. As numeric character references they are plain characters to both HTML and markdown.
SPECIAL = "&<>\"'*_`$[]~\\#|"
_REFERENCES = str.maketrans({mark: f"&#{ord(mark)};" for mark in SPECIAL})


def plain_text(text: str) -> str:
    """``text`` safe as SVG text or an attribute's value inside markdown: HTML's and markdown's special
    characters written as numeric character references."""
    return text.translate(_REFERENCES)


def svg(values: Iterable[float | None], *, label: str, colour: str = COLOUR) -> str:
    """The sparkline as an SVG element, or "" when fewer than two values can be drawn. ``label`` (plain
    text, escaped here) is its accessible name and hover title."""
    drawn = points(values)
    if len(drawn) < 2:
        return ""
    path = "M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in drawn)
    name = plain_text(label)
    return (f'<svg viewBox="0 0 {VIEW_WIDTH:g} {VIEW_HEIGHT:g}" preserveAspectRatio="none" width="100%" '
            f'height="{HEIGHT_PX}" role="img" aria-label="{name}" style="display:block">'
            f"<title>{name}</title>"
            f'<path d="{path}" fill="none" stroke="{plain_text(colour)}" stroke-width="2" '
            'stroke-linejoin="round" stroke-linecap="round" vector-effect="non-scaling-stroke"/></svg>')
