"""Presentation mode: ``?present=1`` in the URL hides the sidebar, the header, the chart toolbars and
the cards' controls, so a browser screenshot shows only the content (works on every page)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

FLAG = "present"
ON = ("1", "true", "yes")

# Streamlit's own test ids, plus the keyed controls of ui.chart_card ("<key>__table", "__csv", "__png")
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], .modebar-container,
[class*="__table"], [class*="__csv"], [class*="__png"], [class*="__svg"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem !important; }
</style>
"""


# Always: on a touch screen or a phone Plotly's toolbar would sit on every chart's title (the card's own
# PNG, SVG and CSV buttons stay).
PHONE_CSS = """
<style>
@media (hover: none), (max-width: 480px) { .modebar-container { display: none !important; } }
.st-key-observatory_preload { display: none !important; }
</style>
"""


def _plotly_bundle() -> str | None:
    """The file name of Streamlit's Plotly chunk (content-hashed, so looked up in the installed package)."""
    static = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(static.glob("PlotlyChart.*.js"))
    return found[0].name if found else None


# Streamlit fetches Plotly's 4.7 MB chunk only when the first chart arrives, after the page's queries; a
# modulepreload hint at the start of the run fetches and parses it meanwhile (the same file, so Plotly is
# still loaded once).
PRELOAD = """<script>
(function () {{
  var href = new URL("./static/js/{name}", document.baseURI).href;
  if (document.querySelector('link[rel="modulepreload"][href="' + href + '"]')) return;
  var link = document.createElement("link");
  link.rel = "modulepreload"; link.href = href; link.crossOrigin = "anonymous";
  document.head.appendChild(link);
}})();
</script>"""


def preload_charts() -> None:
    """Call at the start of every run: the browser starts loading Plotly while the page computes."""
    name = _plotly_bundle()
    if name:
        with st.container(key="observatory_preload"):
            st.html(PRELOAD.format(name=name), unsafe_allow_javascript=True)


def active() -> bool:
    return str(st.query_params.get(FLAG, "")).lower() in ON


def apply() -> None:
    """Call once per run, before the page: hides the chrome when the flag is set."""
    st.html(PHONE_CSS)
    if active():
        st.html(CSS)


def enter() -> None:
    """Button callback: switch presentation mode on (the flag lands in the URL, so a reload keeps it)."""
    st.query_params[FLAG] = "1"


def leave() -> None:
    if FLAG in st.query_params:
        del st.query_params[FLAG]
