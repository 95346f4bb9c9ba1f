"""Chart images: the print theme puts title, filters, source, sample mark and export date into the image;
PNGs are white and 2x; one warm renderer serves every call; without Chromium export says so with a typed
error; the CSV next to a chart neutralises formula cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import OrderedDict

import pandas as pd
import pytest
from PIL import Image

from dashboard import charts, csv_export, export, ui
from dashboard.charts import ChartText

SUBTITLE = "01 Jan 2008 – 31 Dec 2019 · regions: Balochistan, Sindh"
SOURCE = "UCDP GED: Pakistan 1989-2021 (CC BY 4.0)"


def bar_figure(title: str = "Top regions by events", synthetic: bool = False):
    frame = pd.DataFrame({"region": ["Balochistan", "Sindh", "Punjab"], "events": [692, 395, 173]})
    return charts.bar_ranking(frame, category="region", value="events",
                              text=ChartText(title, SUBTITLE, SOURCE, synthetic=synthetic))


def footnote(figure) -> str:
    return next(a.text for a in figure.layout.annotations if a.text.startswith("Source:"))


@pytest.fixture
def no_chromium(monkeypatch):
    """A server without Chromium (the warm renderer and cached images are set aside for the test)."""
    monkeypatch.delenv("OBSERVATORY_CHROMIUM", raising=False)
    monkeypatch.setattr(export, "find_chromium", lambda: None)
    monkeypatch.setattr(export, "_renderer", None)
    monkeypatch.setattr(export, "_cache", OrderedDict())


def test_the_print_theme_keeps_title_filters_source_and_sample_mark_and_adds_the_date():
    original = bar_figure(synthetic=True)
    printable = export.print_figure(original, exported=dt.date(2025, 3, 6))
    assert printable.layout.width == export.WIDTH and printable.layout.paper_bgcolor == "#FFFFFF"
    assert printable.layout.plot_bgcolor == "#FFFFFF"
    assert "Top regions by events" in printable.layout.title.text
    assert "SAMPLE DATA" in printable.layout.title.text
    assert printable.layout.title.subtitle.text.startswith("01 Jan 2008 – 31 Dec 2019")
    note = footnote(printable)
    assert SOURCE in note and "Synthetic sample data" in note
    assert note.endswith("Exported 06 Mar 2025 from the Militancy & Online Content Observatory")
    # one more footnote line: the figure grows by it, so nothing overlaps
    assert printable.layout.height == original.layout.height + charts.LINE
    assert "Exported" not in footnote(original)  # the page's own figure is untouched


def test_a_map_zooms_out_when_printed_smaller_so_the_country_stays_in_view():
    frame = pd.DataFrame({"geo_name": ["Sindh"], "region": ["Sindh"], "events": [5]})
    geojson = json.loads(ui.GEOJSON_PATH.read_text())
    figure = charts.choropleth_map(frame, geojson, value="events", value_title="events",
                                   text=ChartText("Events by province", SUBTITLE, SOURCE))
    small = export.print_figure(figure, width=560, height=300, stamp=False)
    assert small.layout.map.zoom < figure.layout.map.zoom
    same = export.print_figure(figure, stamp=False)
    assert same.layout.map.zoom == figure.layout.map.zoom


def test_a_chart_png_is_white_at_twice_the_layout_size(renderer):
    figure = bar_figure()
    image = Image.open(io.BytesIO(export.chart_png(figure))).convert("RGB")
    height = export.print_figure(figure).layout.height
    assert image.size == (2 * export.WIDTH, 2 * height)
    assert image.getpixel((3, 3)) == (255, 255, 255)
    assert image.getpixel((image.width - 3, image.height - 3)) == (255, 255, 255)


def test_title_filters_source_and_date_are_drawn_by_the_renderer_itself(renderer):
    """The same renderer writes SVG too: its text shows what the PNG has drawn in."""
    printable = export.print_figure(bar_figure(synthetic=True), exported=dt.date(2025, 3, 6))
    svg = renderer.render([(printable, dict(format="svg", width=export.WIDTH, height=printable.layout.height,
                                            scale=1))])[0]
    svg = svg.decode() if isinstance(svg, bytes) else svg
    for text in ("Top regions by events", "SAMPLE DATA", "01 Jan 2008 – 31 Dec 2019", "Source: UCDP GED",
                 "Exported 06 Mar 2025"):
        assert text in svg, text


def test_one_renderer_serves_every_call_and_repeats_come_from_the_cache(renderer, monkeypatch):
    figure = bar_figure(title="Cached chart")
    first = export.chart_png(figure)
    assert export.renderer() is renderer
    monkeypatch.setattr(renderer, "render", lambda jobs: pytest.fail("rendered twice"))
    assert export.chart_png(figure) == first


def test_without_chromium_export_raises_a_typed_error_with_what_to_do(no_chromium):
    reason = export.unavailable_reason()
    assert "Chromium" in reason and "chromium" in reason and "OBSERVATORY_CHROMIUM" in reason
    with pytest.raises(export.ExportUnavailable, match="Debian package 'chromium'"):
        export.chart_png(bar_figure(title="No browser"))


def test_a_configured_browser_that_is_missing_is_named(monkeypatch):
    monkeypatch.setenv("OBSERVATORY_CHROMIUM", "/nowhere/chromium")
    assert export.find_chromium() is None
    assert "/nowhere/chromium" in export.unavailable_reason()


def test_a_browser_that_cannot_start_is_a_clear_error(monkeypatch, tmp_path):
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("OBSERVATORY_CHROMIUM", str(broken))
    monkeypatch.setattr(export, "_renderer", None)
    monkeypatch.setattr(export, "_cache", OrderedDict())
    with pytest.raises(export.ExportUnavailable, match="did not start"):
        export.chart_png(bar_figure(title="Broken browser"))
    assert export._renderer is None  # the next click tries again


def test_the_csv_beside_a_chart_neutralises_formula_cells():
    table = pd.DataFrame({"group_name": ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(A1)", "TTP"],
                          "events": [1, -2, 3, 4]})
    rows = list(csv.reader(io.StringIO(csv_export.to_csv_bytes(
        ui.export_frame(table, ChartText("Groups", "-filters", "=source"))).decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == ['\'=HYPERLINK("http://x","y")', "'+cmd|' /C calc'!A0", "'@SUM(A1)", "TTP"]
    assert [r[1] for r in body] == ["1", "-2", "3", "4"]  # numbers stay numbers
    assert {r[header.index("filters")] for r in body} == {"'-filters"}
    assert {r[header.index("source_note")] for r in body} == {"'=source"}
