"""Briefings: findings written from the data with their sources; the A4 PDF's real text holds the
findings, filters and sources; the slide is 16:9 at the expected size; the QR code in both decodes to
the permalink; user text stays literal; the page in AppTest (picking charts, presentation mode, no
Chromium)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import shutil
import subprocess

import pandas as pd
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from benchmarks.briefing_bench import view_charts_from_app
from dashboard import briefing, briefing_render, db, export, presentation, ui
from dashboard.briefing import BriefingChart
from dashboard.filters import Filters
from dashboard.ingest import load as loader

APP = "../dashboard/app.py"
GTI = "Attacks in Pakistan rose 112.6%, from 517 in 2023 to 1,099 in 2024 (Global Terrorism Index 2025, IEP)."
HOSTILE_TITLE = "<script>alert(1)</script> **bold** _x_ [link](http://evil)"
HOSTILE_NOTE = "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)> :red[not red]"
PERMALINK = "http://127.0.0.1:8501/violence?region=Balochistan&region=Khyber+Pakhtunkhwa&measure=Deaths"
FILTERED = {"region": ["Balochistan", "Khyber Pakhtunkhwa"]}


def needs(tool: str) -> str:
    """A command-line tool the test reads files with (poppler, zbar): skip locally, fail in CI."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is missing: `make test` installs it (poppler-utils, zbar-tools)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def flat(text: str) -> str:
    """Text with every run of whitespace as one space (a PDF wraps sentences over lines)."""
    return " ".join(text.split())


def findings_for(con, filters: Filters) -> list[briefing.Finding]:
    return briefing.gather_findings(functools.partial(db.run, con), filters, db.run(con, "datasets_catalog"))


# --- findings ------------------------------------------------------------------------------------


def test_findings_are_written_from_the_data_and_cite_their_sources(con):
    findings = findings_for(con, Filters())
    texts = [f.text for f in findings]
    assert texts[0] == GTI
    assert texts[1].startswith("Deaths in Pakistan ")
    # the latest year's provinces and groups, from published reports, each citing its source and address
    province = next(f for f in findings if " of any province: " in f.text)
    assert re.match(r"In 20\d\d, Khyber Pakhtunkhwa had the most attacks of any province: ", province.text)
    assert province.citation_url.startswith("http")
    group = next(f for f in findings if "than any other group" in f.text)
    assert group.citation_url.startswith("http") and "Tehrik-i-Taliban Pakistan (TTP)" in group.text
    # event data: Khyber Pakhtunkhwa counts ex-FATA (one rule with the map); groups by events involving them
    assert ("Khyber Pakhtunkhwa accounted for the largest share of events: 73.9% (4,741 of 6,416 events), "
            "1989–2021 (UCDP GED: Pakistan 1989-2021).") in texts
    assert any(t.startswith("Tehrik-i-Taliban Pakistan (TTP) was involved in the largest share of events: 64.7%")
               for t in texts)
    assert texts[-1].startswith("Sample data (synthetic): Telegram had the lowest compliance")
    assert "(Sample: complaints log 2023-2025, synthetic)." in texts[-1]
    assert [f.synthetic for f in findings] == [False] * (len(findings) - 1) + [True]
    assert all(re.search(r"\([^()]+\)\.$", t) for t in texts), "every sentence ends with its source"
    assert findings[0].citation_url.startswith("https://")


def test_no_uncited_figure_reaches_a_finding(rw_con):
    """A published figure without an address (or marked unverified) never makes a headline or finding."""
    rw_con.execute("update published_figures set citation_url = null where metric = 'attacks' "
                   "and source = 'Global Terrorism Index 2025 (IEP)' and period_label = '2024'")
    texts = [f.text for f in findings_for(rw_con, Filters())]
    assert not any("1,099" in t for t in texts)
    rw_con.execute("update published_figures set confidence = 'unverified' where metric = 'attacks' and region is not null")
    texts = [f.text for f in findings_for(rw_con, Filters())]
    assert not any(" of any province: " in t for t in texts)


def test_state_forces_never_lead_the_group_finding():
    frame = pd.DataFrame({"group_name": ["Government of India", "Tehrik-i-Taliban Pakistan", "al-Qaida"],
                          "short_name": ["India state", "TTP", "AQ"], "actor_kind": ["state", "militant", "militant"],
                          "events": [500, 400, 100]})
    finding = briefing.largest_share_finding(frame, name="group_name", label="short_name", noun="events",
                                             dataset="X", period="2020", synthetic=False, involving=True)
    assert finding.text.startswith("Tehrik-i-Taliban Pakistan (TTP) was involved in the largest share of events: 40.0%")


def test_a_changed_number_changes_the_sentence(rw_con):
    """Nothing is written by hand: correct the 2024 figure and the sentence follows."""
    rw_con.execute("update published_figures set value = 1200 where metric = 'attacks' "
                   "and source = 'Global Terrorism Index 2025 (IEP)' and period_label = '2024'")
    rw_con.execute("update complaints set outcome = 'removed' where platform = 'Telegram'")
    for (log_id,) in rw_con.execute("select distinct dataset_id from complaints").fetchall():
        loader.refresh_derived(rw_con, log_id, "complaints")  # as a load would: the tracker reads the rollups
    texts = [f.text for f in findings_for(rw_con, Filters())]
    assert "Attacks in Pakistan rose 132.1%, from 517 in 2023 to 1,200 in 2024 (Global Terrorism Index 2025, IEP)." in texts
    assert not any("Telegram had the lowest" in t for t in texts)
    assert any(t.startswith("Sample data (synthetic): WhatsApp had the lowest compliance") for t in texts)


def test_the_filters_shape_the_findings(con):
    filters = Filters(date_from=dt.date(2008, 1, 1), date_to=dt.date(2019, 12, 31), regions=("Balochistan", "Sindh"))
    texts = [f.text for f in findings_for(con, filters)]
    assert not any("in 2024" in t for t in texts)  # the published change must lie inside the period
    region = next(t for t in texts if "largest share of events" in t and "chosen regions" in t)
    assert region.startswith("Balochistan accounted") and "2008–2019" in region
    # one region left: a share of 100% is no finding
    one = [f.text for f in findings_for(con, Filters(regions=("Sindh",)))]
    assert not any(t.startswith("Sindh accounted") for t in one)


def test_sentences_for_a_fall_and_no_change():
    assert briefing.change_sentence("deaths", "Pakistan", "PIPS", 2024, 1034, 2025, 852) == \
        "Deaths in Pakistan fell 17.6%, from 1,034 in 2024 to 852 in 2025 (PIPS)."
    assert briefing.change_sentence("attacks", "", "SATP", 2022, 365, 2023, 365) == \
        "Attacks were unchanged at 365 in 2022 and 2023 (SATP)."
    assert briefing.cite("Global Terrorism Index 2025 (IEP)") == "Global Terrorism Index 2025, IEP"


def test_the_data_hash_names_the_files_and_the_data_version():
    datasets = pd.DataFrame({"dataset_id": [2, 1], "sha256": ["b" * 64, "a" * 64]})
    first = briefing.data_hash(datasets, 7)
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    assert briefing.data_hash(datasets.iloc[::-1], 7) == first  # order does not matter
    assert briefing.data_hash(datasets, 8) != first
    assert briefing.data_hash(datasets.assign(sha256=["c" * 64, "a" * 64]), 7) != first


def test_a_briefing_holds_at_most_six_charts(con):
    chart = BriefingChart("k", None, briefing.ChartText("t"))
    with pytest.raises(ValueError, match="at most 6"):
        briefing.make_briefing(title="t", note="", filters_text="", findings=[], charts=[chart] * 7,
                               catalog=db.run(con, "datasets_catalog"), data_version=1, permalink="")


# --- exports -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def drawn(default_db_file, tmp_path_factory):
    """The charts the app draws on Overview and Violence with two regions chosen (AppTest)."""
    target = tmp_path_factory.mktemp("briefing") / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    return view_charts_from_app(target, FILTERED)


@pytest.fixture(scope="module")
def six(drawn, default_db_file):
    """A six-chart briefing with hostile user text, and its two exports."""
    con = db.connect(default_db_file, read_only=True)
    filters = Filters(regions=tuple(FILTERED["region"]))
    catalog = db.run(con, "datasets_catalog")
    the_briefing = briefing.make_briefing(
        title=HOSTILE_TITLE, note=HOSTILE_NOTE,
        filters_text="25 Jan 1989 – 31 Dec 2025 · regions: Balochistan, Khyber Pakhtunkhwa · all groups",
        findings=findings_for(con, filters),
        charts=[BriefingChart(c.key, c.figure, c.text, c.page, c.link) for c in drawn[:6]],
        catalog=catalog, data_version=db.data_version(con), permalink=PERMALINK,
        generated_at=dt.datetime(2025, 3, 6, 9, 30),
    )
    con.close()
    return the_briefing


@pytest.fixture(scope="module")
def exported(six, renderer):
    png, pdf = briefing_render.export_briefing(six)
    return png, pdf


@pytest.fixture(scope="module")
def pdf_text(exported, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    path.write_bytes(exported[1])
    return subprocess.run([needs("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_app_draws_charts_the_briefing_can_pick(drawn):
    assert len(drawn) >= 6
    assert {c.page for c in drawn} == {"Overview", "Violence"}
    # a chart says the region filter, or that it shows national figures the filter cannot narrow
    assert all("regions: Balochistan, Khyber Pakhtunkhwa" in c.text.subtitle or "national" in c.text.subtitle
               for c in drawn)
    assert any("regions: Balochistan, Khyber Pakhtunkhwa" in c.text.subtitle for c in drawn
               if c.key.endswith("published_provinces"))
    assert all(c.link.startswith("?") and "region=Balochistan" in c.link for c in drawn)  # AppTest has no host


def test_the_slide_is_a_16_by_9_png_at_twice_1920_by_1080(exported):
    image = Image.open(io.BytesIO(exported[0]))
    assert image.format == "PNG" and image.size == (3840, 2160)


def test_the_pdf_is_a4_whose_text_holds_findings_filters_and_sources(six, exported, pdf_text):
    pages = re.findall(rb"/Type\s*/Page\b", exported[1])
    assert len(pages) == 2  # six charts two to a row at a legible size, the footer after them: one page more
    assert b"/MediaBox [0 0 595.28 841.89]" in exported[1] or b"/MediaBox[0 0 595.28 841.89]" in exported[1]
    text = flat(pdf_text)
    for finding in six.findings:
        assert flat(finding.text) in text, finding.text
    assert "Filters: 25 Jan 1989 – 31 Dec 2025 · regions: Balochistan, Khyber Pakhtunkhwa · all groups" in text
    for source in six.sources:
        assert source.name in text and source.licence in text
    assert "Sundberg, Ralph and Erik Melander (2013)" in text  # the attribution CC BY asks for
    assert "SAMPLE DATA" in text
    assert "Generated 06 Mar 2025, 09:30 UTC" in text and six.data_hash in text
    assert PERMALINK in text
    for chart in six.charts:
        assert chart.text.title in text  # each chart's title is searchable too


MM_PER_PT = 25.4 / 72


def test_the_pdf_prints_charts_at_least_85_mm_wide_with_text_at_least_7_pt(six, exported):
    """Measured in the PDF itself: where each chart image is placed (pdfplumber) and how many pixels it
    has, with the smallest font the rendered figure declares, give its text height on paper; the PDF's
    own text (captions, footer) is measured from its characters."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(exported[1])) as pdf:
        placed = [(number, image) for number, page in enumerate(pdf.pages) for image in page.images
                  if image["srcsize"][0] != image["srcsize"][1]]  # the QR code is the square image
        chars = [char for page in pdf.pages for char in page.chars if char["text"].strip()]
        rows = [sorted({round(image["top"]) for image in page.images if image["srcsize"][0] != image["srcsize"][1]})
                for page in pdf.pages]
        per_row = [sum(1 for image in page.images if round(image["top"]) == top) for page, tops in
                   zip(pdf.pages, rows, strict=False) for top in tops]
    assert len(placed) == len(six.charts) == 6
    assert max(per_row) <= 2  # at most two charts a row
    for (_, image), chart in zip(placed, six.charts, strict=False):
        width_pt = image["x1"] - image["x0"]
        assert width_pt * MM_PER_PT >= 85, (chart.text.title, width_pt * MM_PER_PT)
        layout_width = image["srcsize"][0] / briefing_render.CHART_SCALE  # pixels of the figure's layout
        smallest = export.smallest_font(briefing_render.print_chart(chart.figure))
        on_paper = smallest * width_pt / layout_width
        assert on_paper >= 7, (chart.text.title, smallest, round(on_paper, 2))
    assert round(min(char["size"] for char in chars), 3) >= 7, min(chars, key=lambda c: c["size"])


def test_the_pdf_has_no_empty_band_between_its_blocks(exported):
    """Content follows content: no vertical gap over 12 mm between text and images on a page."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(exported[1])) as pdf:
        for page in pdf.pages:
            spans = sorted([(c["top"], c["bottom"]) for c in page.chars] +
                           [(i["top"], i["bottom"]) for i in page.images])
            reach = spans[0][1]
            for top, bottom in spans[1:]:
                assert (top - reach) * MM_PER_PT <= 12, (page.page_number, reach * MM_PER_PT, top * MM_PER_PT)
                reach = max(reach, bottom)


def empty_bands(pdf_bytes: bytes) -> list[tuple[int, str, float]]:
    """(page, where, share of the page's height) of every vertical band without text or image on a page:
    above its first content, between contents, and under its last content down to the bottom margin."""
    import pdfplumber

    bands = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            spans = sorted([(c["top"], c["bottom"]) for c in page.chars if c["text"].strip()] +
                           [(i["top"], i["bottom"]) for i in page.images])
            top_margin, bottom = 10 / MM_PER_PT, page.height - 10 / MM_PER_PT
            bands.append((page.page_number, "top", (spans[0][0] - top_margin) / page.height))
            reach = spans[0][1]
            for top, end in spans[1:]:
                bands.append((page.page_number, "between", (top - reach) / page.height))
                reach = max(reach, end)
            bands.append((page.page_number, "under", (bottom - reach) / page.height))
    return bands


@pytest.mark.parametrize("count", [1, 3, 4, 6])
def test_no_page_has_an_empty_band_but_after_the_last_item(six, renderer, count):
    """A page break never leaves a quarter of a page empty: the rows before it shrink to take one more row,
    or stretch to fill the page; only the room under the footer, at the end, may stay empty. A lone chart
    narrows so that it and the footer share the first page."""
    from dataclasses import replace

    _, pdf = briefing_render.export_briefing(replace(six, charts=six.charts[:count]))
    bands = empty_bands(pdf)
    last_page = bands[-1][0]
    assert [band for band in bands if band[2] > 0.25 and (band[0], band[1]) != (last_page, "under")] == []
    assert last_page == (1 if count <= 2 else 2)


def test_the_page_layout_shrinks_rows_to_take_one_more_and_never_leaves_the_footer_alone():
    from dashboard.briefing_render import Row, plan_pages

    row = Row(low=80, natural=100, high=120, extra=10)
    # two rows at natural height overflow the 200 mm under the findings, at their least they fit: they share it
    assert plan_pages([row, row, row], 200, 277, footer=60) == [[90, 90], [100]]
    # the last row only comes with the footer: on its own, the row before stretches to fill its page
    assert plan_pages([row, row], 200, 277, footer=60) == [[120], [100]]
    # the last page keeps its natural heights (what is under the footer is the end of the document)
    assert plan_pages([row], 250, 277, footer=60) == [[100]]
    # not even one row under the findings: the charts start on the next page
    assert plan_pages([row], 60, 277, footer=60) == [[], [100]]
    # a row and the footer taller than a page: the row takes the page, the footer follows overleaf
    assert plan_pages([Row(low=250, natural=260, high=260, extra=10)], 277, 277, footer=60) == [[260]]


def test_captions_wrap_instead_of_being_cut(six, renderer):
    from dataclasses import replace

    import pdfplumber

    long = "A very long chart title that cannot fit on one caption line under a half-width chart, not cut off"
    chart = replace(six.charts[0], text=replace(six.charts[0].text, title=long))
    _, pdf = briefing_render.export_briefing(replace(six, charts=(chart, six.charts[1])))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = next(page for page in document.pages if page.images)
        first = min(page.images, key=lambda image: image["x0"])
        column = page.crop((first["x0"], first["bottom"], first["x1"], page.height)).extract_text()
    assert len(column.splitlines()) > 1 and flat(column).startswith(f"1. {long}")


def test_user_text_shows_literally_in_the_pdf(pdf_text):
    text = flat(pdf_text)
    assert flat(HOSTILE_TITLE) in text and flat(HOSTILE_NOTE) in text


def test_the_qr_code_in_the_slide_and_the_pdf_decodes_to_the_permalink(exported, tmp_path):
    zbarimg, pdftoppm = needs("zbarimg"), needs("pdftoppm")
    slide = tmp_path / "slide.png"
    slide.write_bytes(exported[0])
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(exported[1])
    subprocess.run([pdftoppm, "-png", "-r", "200", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    decoded = [subprocess.run([zbarimg, "--raw", "-q", str(image)], capture_output=True, text=True).stdout
               for image in [slide, *pages]]
    assert decoded[0].strip().splitlines() == [PERMALINK]
    # the footer (with the QR code) is on the PDF's last page, once
    assert [d.strip() for d in decoded[1:] if d.strip()] == [PERMALINK], decoded


def test_fewer_charts_and_no_findings_still_make_a_briefing(six, renderer, tmp_path):
    from dataclasses import replace

    for count in (0, 1, 3):
        small = replace(six, charts=six.charts[:count], findings=() if count == 0 else six.findings)
        png, pdf = briefing_render.export_briefing(small)
        assert Image.open(io.BytesIO(png)).size == (3840, 2160)
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        # a lone chart narrows to share the first page with the footer; three need a second page
        assert pages == {0: 1, 1: 1, 3: 2}[count]
        if count == 0:
            path = tmp_path / "empty.pdf"
            path.write_bytes(pdf)
            text = subprocess.run([needs("pdftotext"), str(path), "-"], capture_output=True, text=True).stdout
            assert "No findings" in text


# --- the page ------------------------------------------------------------------------------------


@pytest.fixture
def app_db(writable_db, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_DB", str(writable_db))
    return writable_db


def briefing_page(query: dict | None = None) -> AppTest:
    """The app opened with ``query``, then Overview and Violence drawn, then the Briefing page."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params = dict(query or {})
    at.run()
    at.switch_page("app_pages/violence.py").run()
    at.switch_page("app_pages/briefing.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def download_buttons(at: AppTest) -> dict[str, object]:
    return {b.proto.id.split("-", 2)[-1]: b.proto for b in at.get("download_button")}


def test_the_page_offers_the_charts_of_the_view_and_previews_the_briefing(app_db):
    at = briefing_page(FILTERED)
    picker = at.multiselect(key="briefing_charts")
    assert re.fullmatch(r"Overview · Attacks by province in 20\d\d, per source", picker.options[0])
    assert re.fullmatch(r"Overview · Attacks by group in 20\d\d, per source", picker.options[1])
    assert picker.options[2:4] == ["Overview · Top provinces by events", "Overview · Armed groups by events involving them"]
    assert any(o.startswith("Violence · ") for o in picker.options)
    assert len(picker.value) == 6
    assert len(at.get("plotly_chart")) == 6
    page_text = " ".join(m.value for m in at.markdown)
    assert "Attacks in Pakistan rose 112\\.6%" in page_text  # escaped for Markdown, shown as written
    links = [link for element in at.main.html for link in ui.links_in(element.value)]
    sidebar_link = next(link for element in at.sidebar.html for link in ui.links_in(element.value))
    assert links[-1].startswith("?region=Balochistan") and links[-1] == sidebar_link.replace(
        "briefing", "")  # the first chart's view: its page (Overview, at "/") with the same filters
    assert at.get("image"), "the QR code of the permalink"
    assert set(download_buttons(at)) >= {"briefing_png", "briefing_pdf"}

    picker.set_value(picker.value[:2]).run()
    assert len(at.get("plotly_chart")) == 2


def test_the_title_is_escaped_on_the_page(app_db):
    at = briefing_page()
    at.text_input(key="briefing_title").set_value(HOSTILE_TITLE).run()
    heading = at.markdown[0].value
    assert "<script>" not in heading and "\\<script\\>" in heading and "\\*\\*bold\\*\\*" in heading


def test_presentation_mode_shows_only_the_briefing_and_keeps_the_choices(app_db):
    at = briefing_page(FILTERED)
    at.text_input(key="briefing_title").set_value("For the minister").run()
    at.multiselect(key="briefing_charts").set_value(at.multiselect(key="briefing_charts").value[:3]).run()
    at.button(key="briefing_present").click().run()
    assert at.query_params[presentation.FLAG] in ("1", ["1"])
    assert not at.text_input and not at.text_area and not download_buttons(at)
    assert len(at.get("plotly_chart")) == 3 and "For the minister" in at.markdown[0].value
    assert any(presentation.CSS.strip()[:20] in h.proto.body for h in at.get("html"))
    at.button(key="briefing_leave").click().run()
    assert presentation.FLAG not in at.query_params
    assert at.text_input(key="briefing_title").value == "For the minister"
    assert len(at.multiselect(key="briefing_charts").value) == 3


def test_charts_drawn_under_other_filters_are_not_offered(app_db):
    at = briefing_page()
    at.multiselect(key="region").set_value(["Sindh"]).run()
    assert not at.multiselect(key="briefing_charts").options
    assert any("drawn under other filters" in c.value for c in at.caption)
    assert any("No chart is drawn under these filters" in i.value for i in at.info)
    assert any(m.value.startswith("#### Key findings") for m in at.markdown)  # findings need no charts


def test_without_chromium_export_says_so_and_the_dashboard_keeps_working(app_db, monkeypatch):
    monkeypatch.delenv("OBSERVATORY_CHROMIUM", raising=False)
    monkeypatch.setattr(export, "find_chromium", lambda: None)
    at = briefing_page()
    warning = " ".join(w.value for w in at.warning)
    assert "Export is unavailable" in warning and "chromium" in warning
    buttons = download_buttons(at)
    assert buttons["briefing_png"].disabled and buttons["briefing_pdf"].disabled
    assert len(at.get("plotly_chart")) == 6  # the preview still works
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception and len(at.get("plotly_chart")) >= 3
    png = download_buttons(at)["overview_regions__png"]
    assert png.disabled and "Chromium" in png.help


def test_every_chosen_chart_stays_chosen_when_its_page_redraws_it_under_a_new_key(app_db):
    """Five charts from three pages chosen; the Violence page then renames its map and group charts (a
    cleared selection does): back on the Briefing page all five are still chosen, each offered once."""
    at = briefing_page({"view": "Event data"})  # the Violence page's event charts
    at.switch_page("app_pages/online.py").run()
    at.switch_page("app_pages/briefing.py").run()
    picker = at.multiselect(key="briefing_charts")
    wanted = ["Overview · Top provinces by events", "Violence · Events by province",
              "Violence · Events by type of violence", "Online content · Compliance rate by platform",
              "Online content · Complaints and compliance per quarter"]
    picker.set_value(wanted).run()
    at.session_state["_violence_generation"] = 7
    at.switch_page("app_pages/violence.py").run()
    assert any(chart.proto.id.endswith("_7") for chart in at.get("plotly_chart"))  # redrawn under the new keys
    at.switch_page("app_pages/briefing.py").run()
    picker = at.multiselect(key="briefing_charts")
    assert [picker.options[i] for i in picker.indices] == wanted
    assert picker.proto.wrap  # every chosen chart shows as a chip (in a column they would scroll out of view)
    assert len(picker.options) == len(set(picker.options))
    assert len(at.get("plotly_chart")) == 5


def test_a_page_left_before_it_finished_is_named(app_db):
    from dashboard import view_charts

    at = briefing_page()
    # what the router leaves behind when the reader switched pages in the middle of the Violence page's run
    at.session_state[view_charts._UNFINISHED] = {"Violence"}
    at.run()
    assert "Left before all its charts were drawn: Violence" in " ".join(c.value for c in at.caption)
    assert [link.proto.label for link in at.get("page_link")] == ["Open Violence again"]


def test_pages_that_ran_to_their_end_are_not_named_unfinished(app_db):
    """The router marks a page finished when its run ends (or stops on purpose); only a run the reader cut
    short by leaving stays unfinished."""
    from dashboard import view_charts

    at = briefing_page()
    assert at.session_state[view_charts._UNFINISHED] == set()
    assert not any("Left before" in c.value for c in at.caption)
