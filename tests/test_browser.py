"""A real browser: the app served on 127.0.0.1, headless Chromium opens every page, waits for the charts,
finds no error, and saves a full-page screenshot to artifacts/screenshots/<page>.png.

Chromium is the Debian package (Playwright cannot download browsers here). Without it the tests skip
locally and FAIL in CI (CI=true), where `make test` installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from benchmarks.page_state import CHARTS_DRAWN, RUN_AFTER, RUN_COUNTER, RUNS, SCRIPT_DONE
from dashboard import app
from tests.streamlit_server import streamlit_server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("OBSERVATORY_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # software WebGL for the map (maplibre) on machines without a GPU
                 "--enable-unsafe-swiftshader", "--use-angle=swiftshader"]
# page name -> (url path, charts the page draws on the default data at least), for every charted page of the app;
# the default page is "/"
CHARTS = {"overview": 3, "violence": 3, "online": 6, "links": 2, "sources": 1}
# the Violence page's second tab, as a link opens it (only the open tab is drawn)
EVENTS = "violence?view=Event+data"
PAGES = ({Path(s.script).stem: (s.url_path, CHARTS[Path(s.script).stem]) for s in app.PAGES if s.charted}
         | {"violence_events": (EVENTS, 4)})
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install the Debian package 'chromium' (make test does)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="module")
def server(default_db_file, tmp_path_factory):
    """`streamlit run` on a free port with a private copy of the default database."""
    db_file = tmp_path_factory.mktemp("browser") / "observatory.duckdb"
    shutil.copy2(default_db_file, db_file)
    with streamlit_server(db_file, db_file.with_suffix(".log"), BUDGET_S) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    context.add_init_script(RUN_COUNTER)  # so `after` can wait for the run a click starts
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda msg: tab.console_errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: tab.console_errors.append(str(exc)))
    yield tab
    context.close()


# One generous budget for everything a page visit waits on (a busy 2-core machine running the benchmark
# beside the tests takes several times a quiet one's 3-10 s); every wait names what it waited for.
BUDGET_S = float(os.environ.get("OBSERVATORY_BROWSER_BUDGET_S", "240"))
STATE = """() => ({script: document.querySelector('[data-testid=stApp]')?.dataset.testScriptState,
  cards: document.querySelectorAll('[data-testid=stPlotlyChart]').length,
  drawn: document.querySelectorAll('.js-plotly-plot .main-svg').length})"""


def wait_for(tab, what: str, script: str, arg=None, deadline: float | None = None) -> None:
    """Wait until ``script`` is true in the page, within what is left of the budget; fail naming ``what``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    left = max(1.0, (deadline or time.monotonic() + BUDGET_S) - time.monotonic())
    try:
        tab.wait_for_function(script, arg=arg, timeout=left * 1000, polling=100)
    except PlaywrightTimeout:
        pytest.fail(f"waited {BUDGET_S:.0f} s for {what} at {tab.url}; the page had {tab.evaluate(STATE)}",
                    pytrace=False)


def settle(tab, charts: int = 0) -> None:
    """Wait on the app's own state: its script has finished, then ``charts`` charts (at least) are drawn at
    their final size, and the script is still finished (a chart click or a resize can start a rerun)."""
    deadline = time.monotonic() + BUDGET_S
    wait_for(tab, "the app's script to finish (stApp script state 'notRunning')", SCRIPT_DONE, deadline=deadline)
    wait_for(tab, f"{charts} chart(s) drawn at their final size, maps loaded", CHARTS_DRAWN, arg=charts,
             deadline=deadline)
    wait_for(tab, "the app's script to stay finished after the charts were drawn", SCRIPT_DONE, deadline=deadline)


def after(tab, what: str, action, charts: int = 0) -> None:
    """Do ``action`` (a click), wait for the rerun it starts, then for that run to settle."""
    before = tab.evaluate(RUNS)
    action()
    wait_for(tab, f"the app to rerun after {what} (a run's last message on the websocket)", RUN_AFTER, arg=before)
    settle(tab, charts)


def screenshot(tab, name: str, width: int = 1400) -> Path:
    """The whole page: Streamlit scrolls inside its main section, so grow the viewport to its height first,
    and wait until the charts have redrawn at the new size."""
    height = tab.evaluate("() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
                          "[data-testid=stSidebarContent]')].map(e => e.scrollHeight), 844)")
    tab.set_viewport_size({"width": width, "height": min(int(height) + 40, 14000)})
    wait_for(tab, "the charts to redraw at the screenshot's size", CHARTS_DRAWN, arg=0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(target), full_page=True)
    return target


@pytest.fixture
def phone(browser):
    """A phone: 390 x 844 CSS pixels, touch, no hover (Plotly's toolbar would show on tap)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    context.add_init_script(RUN_COUNTER)  # as on the desktop tab: `after` can wait for a tap's rerun
    tab = context.new_page()
    tab.console_errors = []
    tab.on("pageerror", lambda exc: tab.console_errors.append(str(exc)))
    yield tab
    context.close()


# each chart's legend and plot area in CSS pixels; "beside" when the legend shares the plot's rows
LEGENDS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
  const legend = gd.querySelector('g.legend'), size = gd._fullLayout && gd._fullLayout._size;
  const title = (gd.querySelector('.gtitle') || {}).textContent || '';
  if (!legend || !size) return {title, legend: 0};
  const box = gd.getBoundingClientRect(), l = legend.getBoundingClientRect();
  const top = box.top + size.t, bottom = top + size.h;
  const overlap = Math.max(0, Math.min(l.bottom, bottom) - Math.max(l.top, top));
  return {title, legend: l.width, plot: size.w, figure: box.width, beside: overlap > l.height / 2};
})"""
PHONE_PAGES = {**PAGES, **{Path(s.script).stem: (s.url_path, 0) for s in app.PAGES if not s.charted and not s.role}}


@pytest.mark.parametrize("name", list(PHONE_PAGES))
def test_every_page_fits_a_phone(server, phone, name):
    """At 390 x 844: no error, nothing wider than the screen, no legend beside a plot taking more than a
    third of its width, no Plotly toolbar; a screenshot of the whole page (artifacts/screenshots/phone_*)."""
    path, charts = PHONE_PAGES[name]
    phone.goto(f"{server}/{path}")
    settle(phone, charts)
    assert phone.locator(ERRORS).count() == 0, phone.locator(ERRORS).first.inner_text()
    width = phone.evaluate("() => document.querySelector('[data-testid=stMain]').scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"
    legends = phone.evaluate(LEGENDS)
    assert len(legends) >= charts
    for chart in legends:
        if chart["legend"]:
            assert not chart["beside"] or chart["legend"] <= chart["plot"] / 3, chart
            assert chart["plot"] >= chart["figure"] / 3, f"the plot is squeezed to a sliver: {chart}"
    assert all(not toolbar.is_visible() for toolbar in phone.locator(".modebar-container").all())
    screenshot(phone, f"phone_{name}", width=390)
    assert not phone.console_errors, phone.console_errors


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_without_error_and_is_screenshotted(server, page, name):
    path, charts = PAGES[name]
    page.goto(f"{server}/{path}")
    settle(page, charts)
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).first.inner_text()
    assert "Page not found" not in page.inner_text("body")
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= charts
    screenshot(page, name)
    assert page.locator(ERRORS).count() == 0
    assert not [e for e in page.console_errors if "plotly" in e.lower() or "webgl" in e.lower()], page.console_errors


def test_the_map_draws_provinces_offline(server, page):
    """The choropleth needs no tile server: its canvas is drawn and no request left 127.0.0.1."""
    outside = []
    page.on("request", lambda req: outside.append(req.url)
            if not req.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    page.goto(f"{server}/{EVENTS}")
    settle(page, PAGES["violence_events"][1])
    assert page.locator(".js-plotly-plot canvas").count() >= 1
    assert outside == []


def test_a_permalink_restores_the_filters_and_says_what_it_ignored(server, page):
    page.goto(f"{server}/{EVENTS}&region=Balochistan&measure=Deaths&group=Nobody")
    settle(page, 2)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "Balochistan" in sidebar.inner_text()
    assert "Ignored from the link" in page.locator('[data-testid="stAlertContainer"]').first.inner_text()
    link = page.locator('[data-testid="stSidebar"] .observatory-link-field').input_value()
    assert "region=Balochistan" in link and "measure=Deaths" in link and "Nobody" not in link
    assert "view=Event+data" in link
    screenshot(page, "violence_permalink")


def test_clicks_and_controls_end_up_in_the_link_and_the_link_restores_them(server, page):
    """The cross-filter in a real browser: a click on a province focuses the page; the measure control
    and the focus both reach the URL and the link box, and a fresh tab opened on that link looks the same."""
    page.goto(f"{server}/violence")
    settle(page, PAGES["violence"][1])
    after(page, "opening the Event data tab", page.get_by_role("tab", name="Event data").click,
          PAGES["violence_events"][1])
    event_measure = page.get_by_role("radiogroup", name="Measure", exact=True)  # not the published measure
    after(page, "choosing Deaths", event_measure.get_by_role("radio", name="Deaths").click,
          PAGES["violence_events"][1])
    # the province map: the first chart drawn on a canvas (the published charts above it are SVG)
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator("canvas")).first.bounding_box()
    after(page, "a click on Balochistan",  # a quarter across, just over half down the map: Balochistan
          lambda: page.mouse.click(chart["x"] + chart["width"] * 0.25, chart["y"] + chart["height"] * 0.55),
          PAGES["violence_events"][1])
    assert "Focused on" in page.inner_text("body")
    link = page.locator('[data-testid="stSidebar"] .observatory-link-field').input_value()
    assert "measure=Deaths" in link and "focus_region=Balochistan" in link and "view=Event+data" in link
    assert "measure=Deaths" in page.url and "focus_region=Balochistan" in page.url

    fresh = page.context.new_page()
    fresh.goto(link)
    settle(fresh, PAGES["violence_events"][1])
    body = fresh.inner_text("body")
    assert "Focused on" in body and "Balochistan" in body
    assert fresh.get_by_role("radiogroup", name="Measure", exact=True).get_by_role(
        "radio", name="Deaths").get_attribute("aria-checked") == "true"
    assert fresh.locator(ERRORS).count() == 0
    fresh.close()


def download(tab, key: str) -> bytes:
    """Click the download button with widget key ``key`` and return the file the browser received."""
    with tab.expect_download(timeout=BUDGET_S * 1000) as event:
        tab.locator(f".st-key-{key} button").first.click()
    return Path(event.value.path()).read_bytes()


def test_a_chart_card_downloads_its_png_rendered_on_the_server(server, page):
    page.goto(f"{server}/")
    settle(page, PAGES["overview"][1])
    png = download(page, "overview_regions__png")
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    assert width == 1600  # 800 layout pixels at 2x


def test_the_briefing_page_collects_the_view_exports_and_presents(server, page, tmp_path):
    """Overview and Violence drawn with two regions chosen, then the Briefing: six charts, findings, the
    slide and the PDF downloaded from the page, then presentation mode without sidebar or toolbar."""
    page.goto(f"{server}/?region=Balochistan&region=Khyber+Pakhtunkhwa")
    settle(page, PAGES["overview"][1])
    after(page, "opening Violence", page.get_by_role("link", name="Violence").click, PAGES["violence"][1])
    after(page, "opening the Briefing page", page.get_by_role("link", name="Briefing").click, 6)
    assert page.locator(ERRORS).count() == 0
    body = page.inner_text("body")
    assert "Key findings" in body and "Attacks in Pakistan rose 112.6%" in body and "Sample data" in body
    assert page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]').count() == 6
    # the picker shows every chosen chart: six chips, each wholly inside the widget (none scrolled away)
    box = page.locator('.st-key-briefing_charts [data-testid="stMultiSelect"]').bounding_box()
    chips = [chip.bounding_box() for chip in page.locator(".st-key-briefing_charts [data-tag]").all()]
    assert len(chips) == 6
    assert all(box["x"] <= c["x"] and c["x"] + c["width"] <= box["x"] + box["width"] + 1 for c in chips), (box, chips)
    live = page.locator('[data-testid="stMain"] .observatory-link-field').last.input_value()
    assert live.startswith(server) and "region=Balochistan" in live
    screenshot(page, "briefing")

    slide = download(page, "briefing_png")
    assert slide.startswith(b"\x89PNG") and int.from_bytes(slide[16:20], "big") == 3840
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(download(page, "briefing_pdf"))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "Attacks in Pakistan rose 112.6%" in text and "regions: Balochistan, Khyber Pakhtunkhwa" in text
    assert live in text

    after(page, "the Presentation mode button", page.locator(".st-key-briefing_present button").first.click, 6)
    assert "present=1" in page.url
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    assert page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]').count() == 6
    assert "Download PDF" not in page.inner_text("body")
    screenshot(page, "briefing_presentation")


def test_presentation_mode_from_a_link_is_clean_on_any_page(server, page):
    page.goto(f"{server}/violence?region=Balochistan&present=1")
    settle(page, PAGES["violence"][1])
    assert page.locator(ERRORS).count() == 0
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator(".modebar-container").first.is_visible()
    assert "Show the numbers" not in page.inner_text("body")
    screenshot(page, "violence_presentation")


def test_a_fresh_tab_loads_plotly_once_and_no_syntax_highlighter(server, browser):
    """The first load as the benchmark measures it: Plotly's bundle in one file, no syntax highlighter for
    the link box, every static script and style sheet compressed, at most 5 MB on the wire."""
    from benchmarks.cold_start import first_load

    measured = first_load(server, runs=1, timeout=BUDGET_S, browser=browser)
    assert measured["plotly_files"] == 1 and measured["highlighter_files"] == 0, measured
    assert measured["plain_static_files"] == 0 and measured["mb"] <= 5, measured


def test_the_link_box_is_a_plain_field_that_copies(server, page):
    page.goto(f"{server}/{EVENTS}&measure=Deaths")
    settle(page, PAGES["violence_events"][1])
    assert page.locator('[data-testid="stCode"]').count() == 0
    field = page.locator('[data-testid="stSidebar"] .observatory-link-field')
    assert "measure=Deaths" in field.input_value()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator('[data-testid="stSidebar"] .observatory-link-copy').click()
    wait_for(page, "the copy button to confirm", "() => document.querySelector('.observatory-link-copy')"
             ".textContent === 'Copied'")


def test_a_click_on_an_event_point_opens_its_details(server, page):
    page.goto(f"{server}/{EVENTS}")
    settle(page, PAGES["violence_events"][1] + 1)
    # where maplibre draws the first point of the point map ("Events on the map"), in page pixels
    spot = page.evaluate("""() => {
      const gd = [...document.querySelectorAll('.js-plotly-plot')].find(
        g => (g.querySelector('.gtitle') || {}).textContent === 'Events on the map');
      gd.scrollIntoView();
      const sub = gd._fullLayout.map._subplot, point = gd.calcdata[0][0];
      const at = sub.map.project(point.lonlat), box = sub.div.getBoundingClientRect();
      return {x: box.left + at.x, y: box.top + at.y};
    }""")
    page.mouse.click(spot["x"], spot["y"])
    wait_for(page, "the event's detail panel after a click on its point",
             "() => !!document.querySelector('.st-key-event_detail')")
    settle(page, PAGES["violence_events"][1] + 1)
    assert "Event " in page.locator(".st-key-event_detail").inner_text()


def test_violence_and_overview_show_the_present_day_from_published_reports(server, page):
    """The monthly published series reaches the latest month, per source; provinces for the latest year two
    sources cover; the Overview's regional view names its year and sets the event data apart."""
    page.goto(f"{server}/violence")
    settle(page, PAGES["violence"][1])
    trend = page.evaluate("""() => {
      const gd = [...document.querySelectorAll('.js-plotly-plot')]
        .find(g => (g._fullLayout.title.text || '').startsWith('Attacks per month in Pakistan'));
      if (!gd) return null;
      const lines = gd.data.filter(t => t.mode === 'lines+markers');
      return {sources: lines.map(t => t.name), last: lines.flatMap(t => t.x).sort().slice(-1)[0]};
    }""")
    assert trend is not None, "the monthly published chart is on the Violence page"
    assert {"PICSS", "PIPS"} <= set(trend["sources"])
    assert trend["last"] >= "2026-01-01", trend  # the newest month any source has published, not 2021
    titles = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].map(g => g._fullLayout.title.text)")
    assert any(t.startswith("Attacks by province in 20") for t in titles), titles
    screenshot(page, "violence_present_day")
    page.goto(f"{server}/")
    settle(page, PAGES["overview"][1])
    headings = page.locator("h3").all_inner_texts()
    assert any(h.startswith("Where and who in 20") and "published reports" in h for h in headings), headings
    assert any(h.startswith("Where and who in the event data") and "1989–2021" in h for h in headings), headings
