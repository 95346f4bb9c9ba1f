"""Server-side chart images: kaleido with the system Chromium, one warm renderer per process.

A chart leaves the dashboard as a PNG that explains itself: the figure already carries its title, the
filters (subtitle), the source footnote and the Sample-data mark (charts._finish draws them); the print
theme here fixes the size, makes every background white and adds the export date under the footnote.

Chromium is a system package (`make run` installs it). Without it, or if it cannot start, every call
raises ExportUnavailable with a message the page shows as it is; nothing else in the dashboard needs it.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import datetime as dt
import hashlib
import math
import os
import re
import shutil
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import plotly.graph_objects as go

from dashboard.charts import FOOTNOTE, place_legend
from dashboard.charts import LINE as FOOTNOTE_LINE  # pixels per footnote line

WIDTH = 800    # layout pixels of a single chart PNG (a half-width card is about 650)
SCALE = 2      # device pixels per layout pixel: sharp in print and on high-density screens
TABS = 2       # Chromium tabs rendering in parallel (a six-chart briefing renders in three rounds)
START_TIMEOUT = 60
RENDER_TIMEOUT = 60
APP_NAME = "Militancy & Online Content Observatory"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = ("Image export needs Chromium on the server: install the Debian package 'chromium' "
                "(`make run` does), or set OBSERVATORY_CHROMIUM to a Chrome or Chromium binary.")


class ExportUnavailable(RuntimeError):
    """Chart images cannot be rendered here (no Chromium, or it failed to start or render)."""


def find_chromium() -> Path | None:
    """The browser kaleido drives: $OBSERVATORY_CHROMIUM, else the first Chromium or Chrome on PATH."""
    configured = os.environ.get("OBSERVATORY_CHROMIUM")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def unavailable_reason() -> str | None:
    """None when export can work, else the message to show (cheap: only looks for the binary)."""
    if find_chromium() is None:
        configured = os.environ.get("OBSERVATORY_CHROMIUM")
        return (f"No browser at OBSERVATORY_CHROMIUM={configured!r}. " if configured else "") + INSTALL_HINT
    return None


# --- the renderer --------------------------------------------------------------------------------


class Renderer:
    """One Chromium (through kaleido) on its own event-loop thread, shared by every session.

    kaleido's own sync server is not safe for two callers at once and waits for ever if Chromium
    dies, so calls go through run_coroutine_threadsafe with a timeout instead."""

    def __init__(self, chromium: Path, tabs: int = TABS) -> None:
        self.chromium = chromium
        self.tabs = tabs
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido-renderer", daemon=True)
        self._kaleido = None

    def start(self) -> None:
        import kaleido  # imported here: a dashboard without kaleido still starts

        self._thread.start()

        async def open_browser():
            # mathjax=False: no request to a CDN (the server may be offline) and no LaTeX in our charts
            browser = kaleido.Kaleido(n=self.tabs, path=str(self.chromium), mathjax=False, timeout=RENDER_TIMEOUT)
            await browser.open()
            return browser

        try:
            self._kaleido = self._call(open_browser(), START_TIMEOUT)
        except Exception:
            self.close()
            raise

    def _call(self, coroutine, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def render(self, jobs: Sequence[tuple[dict, dict]]) -> list[bytes]:
        """Images for (figure, options) pairs, rendered in parallel on the open tabs."""
        kaleido = self._kaleido
        assert kaleido is not None, "render() before open()"

        async def render_all() -> list[bytes]:
            return await asyncio.gather(*(kaleido.calc_fig(fig, opts=opts) for fig, opts in jobs))

        return list(self._call(render_all(), RENDER_TIMEOUT * max(1, len(jobs))))

    def close(self) -> None:
        if self._kaleido is not None:
            with contextlib.suppress(Exception):  # closing a browser that already died raises anything
                self._call(self._kaleido.close(), 15)
            self._kaleido = None
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)


_lock = threading.Lock()
_renderer: Renderer | None = None


def renderer() -> Renderer:
    """The process's warm renderer, started on first use (a few seconds), then about 0.15 s an image."""
    global _renderer
    with _lock:
        if _renderer is None:
            chromium = find_chromium()
            if chromium is None:
                raise ExportUnavailable(unavailable_reason())
            candidate = Renderer(chromium)
            try:
                candidate.start()
            except Exception as exc:
                raise ExportUnavailable(f"Chromium at {chromium} did not start ({_describe(exc)}). "
                                        + INSTALL_HINT) from exc
            _renderer = candidate
        return _renderer


def shutdown() -> None:
    """Close the browser (tests; at exit)."""
    global _renderer
    with _lock:
        if _renderer is not None:
            _renderer.close()
            _renderer = None


atexit.register(shutdown)


def _describe(exc: BaseException) -> str:
    """'BrowserFailedError: The browser seemed to close immediately after starting.' (first line only)."""
    detail = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


# --- images --------------------------------------------------------------------------------------

_cache: OrderedDict[str, bytes] = OrderedDict()
_CACHE_SIZE = 64  # a briefing's charts are rendered once for the slide and the PDF (and re-downloads)


def render_pngs(jobs: Sequence[tuple[go.Figure, int, int, float]]) -> list[bytes]:
    """PNG bytes for (figure, width, height, scale) jobs, rendered in one batch; jobs rendered before
    come from a small cache (a briefing's slide and PDF share their chart images)."""
    specs = [(fig, dict(format="png", width=w, height=h, scale=s)) for fig, w, h, s in jobs]
    keys = [hashlib.sha256((fig.to_json() + repr(sorted(opts.items()))).encode()).hexdigest() for fig, opts in specs]
    with _lock:
        found = {key: _cache[key] for key in keys if key in _cache}
    todo = {key: spec for key, spec in zip(keys, specs, strict=False) if key not in found}
    # maps take several times longer than other charts (WebGL in software): start them first, so the
    # other tabs work through the rest meanwhile
    todo = dict(sorted(todo.items(), key=lambda item: item[1][0].layout.map.zoom is None))
    if todo:
        found.update(zip(todo, _render_with_retry(list(todo.values())), strict=False))
        with _lock:
            for key in todo:
                _cache[key] = found[key]
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return [found[key] for key in keys]


def _render_with_retry(specs: list[tuple[go.Figure, dict]]) -> list[bytes]:
    """Render on the warm browser; if that fails, once more on a fresh one (Chromium may have been killed)."""
    try:
        return renderer().render(specs)
    except ExportUnavailable:
        raise
    except Exception:  # noqa: BLE001 -- whatever broke the warm browser, the fresh one below is the retry
        shutdown()
    try:
        return renderer().render(specs)
    except ExportUnavailable:
        raise
    except Exception as exc:
        raise ExportUnavailable(f"The chart could not be rendered ({_describe(exc)}).") from exc


def print_figure(fig: go.Figure, *, width: int = WIDTH, height: int | None = None, stamp: bool = True,
                 exported: dt.date | None = None, min_font: float | None = None) -> go.Figure:
    """A copy of a chart for print: white backgrounds and a fixed size. ``stamp`` adds the export date as
    one more footnote line, so a PNG found later says when and where it was made (a briefing states the
    date once, in its footer). A map keeps its provinces in view at another height. ``min_font`` (layout
    pixels) raises every smaller text to it, so a chart printed small stays legible (see raise_fonts)."""
    out = raise_fonts(fig, min_font) if min_font else go.Figure(fig)
    natural = out.layout.height or 450
    margin_bottom = out.layout.margin.b if out.layout.margin.b is not None else 80
    if stamp:
        text = f"Exported {exported or dt.date.today():%d %b %Y} from the {APP_NAME}"
        footnotes = [a for a in out.layout.annotations if _is_footnote(a)]
        if footnotes:
            footnotes[-1].text = f"{footnotes[-1].text}<br>{text}"
        else:
            out.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
                               yshift=-42, showarrow=False, align="left", font=dict(size=11, color="#555555"))
        natural += FOOTNOTE_LINE
        margin_bottom += FOOTNOTE_LINE
    height = height or natural
    if out.layout.map.zoom is not None:
        _fit_map(out, natural, height)
    out.update_layout(
        width=width, height=height, margin_b=margin_bottom, autosize=False,
        paper_bgcolor="#FFFFFF", plot_bgcolor="#FFFFFF", hovermode=False,
    )
    return place_legend(out)  # the legend hangs under the title at any height


_INLINE_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)px")


def _font_sizes(node: object, inside_font: bool = False):
    """Every font size a figure declares: 'size' inside any *font object, and inline font-size:Npx."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "size" and inside_font and isinstance(value, (int, float)):
                yield float(value)
            else:
                yield from _font_sizes(value, key.endswith("font") or key == "font")
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _font_sizes(item, inside_font)
    elif isinstance(node, str):
        yield from (float(size) for size in _INLINE_SIZE.findall(node))


def smallest_font(fig: go.Figure) -> float:
    """The smallest text size (layout pixels) a figure can draw: explicit sizes, the default every other
    text inherits (layout.font, also in the template), and uniformtext's floor for bar labels."""
    spec = fig.to_plotly_json()
    sizes = list(_font_sizes(spec))
    layout = fig.layout
    default = layout.font.size or layout.template.layout.font.size or 12  # plotly.js default: 12
    if any(getattr(trace, "text", None) is not None for trace in fig.data):
        # bar labels shrink to fit their bar unless uniformtext hides them below its minimum
        sizes.append(layout.uniformtext.minsize if layout.uniformtext.mode == "hide" else 0.0)
    return min([*sizes, float(default)])


def raise_fonts(fig: go.Figure, floor: float) -> go.Figure:
    """A copy of ``fig`` with no text smaller than ``floor`` layout pixels; bar labels that would have to
    shrink below it are hidden rather than drawn illegibly small."""
    def lift(node: object, inside_font: bool = False) -> object:
        if isinstance(node, dict):
            return {key: (max(value, floor) if key == "size" and inside_font and isinstance(value, (int, float))
                          else lift(value, key.endswith("font") or key == "font")) for key, value in node.items()}
        if isinstance(node, list):
            return [lift(item, inside_font) for item in node]
        if isinstance(node, str):
            return _INLINE_SIZE.sub(lambda m: f"font-size:{max(float(m.group(1)), floor):g}px", node)
        return node

    out = go.Figure(lift(fig.to_plotly_json()))
    default = out.layout.font.size or out.layout.template.layout.font.size or 12
    out.update_layout(font_size=max(default, floor), uniformtext=dict(minsize=floor, mode="hide"))
    return out


def _fit_map(fig: go.Figure, natural: int, height: int) -> None:
    """A map's zoom is absolute: at a smaller height it would crop the country, so zoom out by the ratio
    of the plot heights (each zoom level doubles the scale)."""
    margin = fig.layout.margin
    chrome = (margin.t or 0) + (margin.b or 0)
    before, after = max(natural - chrome, 1), max(height - chrome, 1)
    fig.layout.map.zoom = fig.layout.map.zoom + math.log2(min(after / before, 1.0))


def _is_footnote(annotation) -> bool:
    """charts._finish writes the footnote as the annotation that starts with the source or sample note."""
    text = annotation.text or ""
    return annotation.name == FOOTNOTE or text.startswith(("Source:", "Synthetic sample data"))


def chart_svg(fig: go.Figure, *, width: int = WIDTH) -> bytes:
    """One chart as a print-themed SVG (vector: scales to any print size, text stays text)."""
    printable = print_figure(fig, width=width)
    spec = dict(format="svg", width=width, height=int(printable.layout.height), scale=1)
    return _render_with_retry([(printable, spec)])[0]


def chart_png(fig: go.Figure, *, width: int = WIDTH, scale: float = SCALE) -> bytes:
    """One chart as a print-themed PNG (width x its own height, at ``scale``)."""
    printable = print_figure(fig, width=width)
    return render_pngs([(printable, width, int(printable.layout.height), scale)])[0]
