"""Every page in AppTest: renders on the default data, with filters set, and with an empty result; the
permalink round trip (URL in -> same widgets and same chart data); URL values it cannot use are ignored
with a notice; the violence page's cross-filter; sources side by side; the Sample data badge."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import app, db, ui, warehouse
from dashboard.defaults import DefaultDataset

APP = "../dashboard/app.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# page file -> charts it draws on the default data at least, for every charted page of the app
# (the Violence page in each of its tabs: only the open one runs)
CHARTS = {"app_pages/overview.py": 3, "app_pages/violence.py": 3, "app_pages/violence.py?view=Event data": 4,
          "app_pages/online.py": 6, "app_pages/links.py": 2, "app_pages/sources.py": 1}
EVENT_TAB = {"view": "Event data"}
PAGES = [spec.script for spec in app.PAGES if spec.charted] + ["app_pages/violence.py?view=Event data"]
FILTERED = {"period": ["2008-01-01", "2019-12-31"], "region": ["Balochistan", "Khyber Pakhtunkhwa"],
            "group": "Tehrik-i-Taliban Pakistan", "platform": ["Facebook", "TikTok"]}
NOTHING = {"period": ["1990-01-01", "1990-01-31"], "group": "Islamic State (incl. Khorasan Province)",
           "platform": "Telegram"}
BADGE = "Sample data"


@pytest.fixture(scope="module")
def app_db(default_db_file, tmp_path_factory):
    """A private copy of the default database for this module, named in $OBSERVATORY_DB."""
    target = tmp_path_factory.mktemp("pages") / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OBSERVATORY_DB", str(target))
        yield target


def open_page(page: str, query: dict | None = None) -> AppTest:
    """Open the app with ``query`` as the URL's query parameters (as a shared link does), then go to
    ``page`` (AppTest resolves st.navigation's url paths only after a first run)."""
    page, _, view = page.partition("?view=")  # a tab of the page, as a link names it
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params = dict(query or {}) | ({"view": view} if view else {})
    at.run()
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> dict[str, dict]:
    """Plotly figures on the page by key (the suffix of the element id)."""
    return {c.proto.id.split("-", 2)[-1]: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def values(figure: dict) -> list[list[float]]:
    """Each trace's y (or z for maps) values (plotly 7 sends typed arrays base64-encoded)."""
    out = []
    for trace in figure["data"]:
        v = trace.get("z", trace.get("y", []))
        if isinstance(v, dict):
            v = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
        out.append(list(v))
    return out


def plain(text: str) -> str:
    """Text as the reader sees it (the app backslash-escapes Markdown characters in data-driven text)."""
    return text.replace("\\", "")


def texts(at: AppTest) -> str:
    return plain(" ".join(e.value for kind in ("markdown", "caption", "info", "warning") for e in getattr(at, kind)))


def permalink(at: AppTest) -> str:
    return next(link for element in at.sidebar.html for link in ui.links_in(element.value))


def test_every_charted_page_has_its_chart_count():
    assert sorted(CHARTS) == sorted(PAGES)


def test_the_violence_page_runs_only_its_open_tab_and_names_it_in_the_link(app_db):
    published = open_page("app_pages/violence.py")
    assert [tab.label for tab in published.tabs] == ["Published reports", "Event data"]
    assert all(key.startswith("published") for key in charts(published))
    assert "view=" not in permalink(published)  # the first tab is the default
    events = open_page("app_pages/violence.py", EVENT_TAB)
    assert charts(events) and not any(key.startswith("published") for key in charts(events))
    assert "view=Event+data" in permalink(events)
    # a link that focuses a province is about the event data: it opens that tab
    focused = open_page("app_pages/violence.py", {"focus_region": "Balochistan"})
    assert any(key.startswith("map_") for key in charts(focused))
    focused.session_state["view"] = "Published reports"  # the reader then picks the other tab
    assert all(key.startswith("published") for key in charts(focused.run()))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_default_data(app_db, page):
    at = open_page(page)
    assert len(at.get("plotly_chart")) >= CHARTS[page]
    assert not at.error and not at.info  # nothing is empty on the default data


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_filters_set(app_db, page):
    at = open_page(page, FILTERED)
    assert at.multiselect(key="region").value == ["Balochistan", "Khyber Pakhtunkhwa"]
    assert at.multiselect(key="group").value == ["Tehrik-i-Taliban Pakistan"]
    assert not at.warning or all("Correlation is not causation" in w.value for w in at.warning)
    subtitles = [f["layout"]["title"]["subtitle"]["text"] for f in charts(at).values()]
    assert all("01 Jan 2008 – 31 Dec 2019" in s for s in subtitles)  # every chart states the period
    if page.endswith(("overview.py", "?view=Event data")):  # the charts of event data name the regions
        assert any("regions: Balochistan, Khyber Pakhtunkhwa" in s for s in subtitles)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_why_when_the_filters_leave_nothing(app_db, page):
    at = open_page(page, NOTHING)
    if page.endswith("sources.py"):  # published figures are national and not in January 1990
        assert "No source publishes" in texts(at)
    else:
        assert at.info, "an empty result must say why"
        assert all(i.value for i in at.info)


def test_the_headline_computes_the_gti_change_from_the_data(app_db):
    at = open_page("app_pages/overview.py")
    attacks = at.metric[0]
    assert (plain(attacks.label), attacks.value) == ("Attacks in 2024 (national)", "1,099")
    assert "+112.6%" in attacks.proto.body or "+112.6%" in str(attacks.proto)
    assert "Global Terrorism Index 2025 (IEP): 517 → 1,099 attacks, +112.6%" in texts(at)


def test_permalink_round_trip_restores_widgets_and_chart_data(app_db):
    # a reader sets filters and controls through the widgets ...
    at = open_page("app_pages/violence.py", EVENT_TAB)
    at.multiselect(key="region").set_value(["Balochistan"]).run()
    at.multiselect(key="group").set_value(["Balochistan Liberation Army"]).run()
    at.button_group(key="measure").set_value("Deaths").run()
    at.toggle(key="per_million").set_value(True).run()
    assert not at.exception
    link = permalink(at)
    assert "region=Balochistan" in link and "measure=Deaths" in link and "per_million=true" in link
    # ... and whoever opens the link sees the same widgets and the same numbers
    query = {}
    for pair in link.split("?", 1)[1].split("&"):
        key, value = pair.split("=")
        query.setdefault(key, []).append(value.replace("+", " "))
    shared = open_page("app_pages/violence.py", query)
    for key in ("region", "group"):
        assert shared.multiselect(key=key).value == at.multiselect(key=key).value
    assert shared.button_group(key="measure").value == "Deaths" and shared.toggle(key="per_million").value
    original, reopened = charts(at), charts(shared)
    assert original.keys() == reopened.keys()
    for key in original:
        assert values(reopened[key]) == values(original[key]), key
    assert permalink(shared) == link


def test_link_values_it_cannot_use_are_ignored_with_a_notice(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params = {"region": ["Balochistan", "Atlantis"], "period": "not-a-date", "platform": "MySpace"}
    at.run()
    assert not at.exception
    notices = plain(" ".join(w.value for w in at.warning))
    assert "'Atlantis'" in notices and "not-a-date" in notices and "'MySpace'" in notices
    assert at.multiselect(key="region").value == ["Balochistan"]  # the valid part of the link still applies
    assert at.multiselect(key="platform").value == []
    assert "Atlantis" not in permalink(at) and "region=Balochistan" in permalink(at)


def test_a_province_focus_filters_the_rest_of_the_page_and_can_be_cleared(app_db):
    at = open_page("app_pages/violence.py", {"focus_region": "Balochistan"})
    events = next(d.value for d in at.dataframe if "source_event_id" in d.value.columns)
    assert set(events["region"]) == {"Balochistan"}
    assert "focus_region=Balochistan" in permalink(at)
    at.button(key="clear_focus").click().run()
    assert not at.exception and "focus_region" not in at.query_params
    events = next(d.value for d in at.dataframe if "source_event_id" in d.value.columns)
    assert len(set(events["region"])) > 1


def test_an_unknown_focus_is_ignored_with_a_notice(app_db):
    at = open_page("app_pages/violence.py", {"focus_group": "Nobody"})
    assert any("'Nobody'" in plain(w.value) for w in at.warning)
    assert "focus_group" not in at.query_params


def test_complaint_charts_carry_the_sample_data_badge(app_db):
    at = open_page("app_pages/online.py")
    badges = [m.value for m in at.markdown if BADGE in m.value and "badge" in m.value]
    assert len(badges) >= 4  # headline numbers, compliance, hours, quarters, table
    complaint_charts = [f for k, f in charts(at).items() if k.startswith("tracker")]
    assert complaint_charts and all("SAMPLE DATA" in f["layout"]["title"]["text"] for f in complaint_charts)
    assert all("SAMPLE DATA" not in f["layout"]["title"]["text"] for k, f in charts(at).items()
               if k.startswith(("meta", "tiktok")))


def test_the_deadline_changes_the_breach_count(app_db):
    at = open_page("app_pages/online.py")
    breaches = {m.label: m.value for m in at.metric}
    at.number_input(key="deadline").set_value(240).run()
    later = {m.label: m.value for m in at.metric}
    assert int(later["Past the 240 h deadline"].replace(",", "")) < int(breaches["Past the 48 h deadline"].replace(",", ""))
    assert "deadline=240" in permalink(at)


@pytest.fixture(scope="module")
def two_sources_db(default_db_file, tmp_path_factory):
    """The default data plus a second events dataset (a UCDP excerpt loaded under another name)."""
    target = tmp_path_factory.mktemp("two") / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    con = db.connect(target)
    warehouse.load_default(con, DefaultDataset(FIXTURES / "ucdp_ged_excerpt.csv", "ucdp_ged", "Second events source",
                                               "UCDP", "CC BY 4.0", "test fixture"))
    con.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OBSERVATORY_DB", str(target))
        yield target


def test_two_event_sources_stand_side_by_side_never_summed(two_sources_db):
    at = open_page("app_pages/violence.py", {"period": ["1989-01-25", "1991-12-31"]} | EVENT_TAB)
    headings = [plain(m.value) for m in at.markdown if m.value.startswith("####")]
    assert headings == ["#### UCDP GED: Pakistan 1989-2021", "#### Second events source"]
    figures = charts(at)
    assert len(figures) == 10  # every event chart once per source (with its point map: both are event-level)
    for key, figure in figures.items():
        sources = {line for a in figure["layout"].get("annotations", []) for line in a["text"].split("<br>")
                   if line.startswith("Source:")}
        assert len(sources) == 1, key  # one source per chart
    # choosing one source in the filter shows that one alone
    one = open_page("app_pages/violence.py", {"source": "Second events source"} | EVENT_TAB)
    event_charts = [key for key in charts(one) if not key.startswith("published")]
    assert len(event_charts) == 5 and not [m for m in one.markdown if m.value.startswith("####")]


def test_the_event_type_filter_narrows_the_point_map_and_every_violence_chart(app_db):
    at = open_page("app_pages/violence.py", EVENT_TAB)
    points = [f for key, f in charts(at).items() if key.startswith("points_ucdp")]
    assert len(points) == 1
    every = {t["name"] for t in points[0]["data"]}
    assert every == {"State-based conflict", "One-sided violence", "Non-state conflict"}
    assert set(at.sidebar.multiselect(key="event_type").options) == every  # offered in the sidebar, from the data
    at.sidebar.multiselect(key="event_type").set_value(["One-sided violence"]).run()
    figures = charts(at)
    points = [f for key, f in figures.items() if key.startswith("points_ucdp")]
    assert [t["name"] for t in points[0]["data"]] == ["One-sided violence"]
    types = [f for key, f in figures.items() if key.startswith("types_")]
    assert [x for t in types[0]["data"] for x in t["y"]] == ["One-sided violence"]
    assert "event types: One-sided violence" in points[0]["layout"]["title"]["subtitle"]["text"]
    assert "event_type=One-sided+violence" in permalink(at)


# --- the pure pieces behind permalinks ------------------------------------------------------------


def test_url_values_match_what_streamlit_writes_in_the_url():
    import datetime as dt

    from dashboard.sidebar import url_values
    assert url_values(["Balochistan", "Sindh"], []) == ["Balochistan", "Sindh"]
    assert url_values([], []) == []  # the default stays out of the URL
    assert url_values((dt.date(2010, 1, 1), dt.date(2020, 12, 31)), (dt.date(1989, 1, 1), dt.date(2025, 1, 1))) == [
        "2010-01-01", "2020-12-31"]
    assert url_values(True, False) == ["true"] and url_values(240.0, 48) == ["240"] and url_values("Events", "Events") == []


def test_permalink_repeats_list_parameters_and_encodes_text():
    from dashboard.sidebar import permalink
    link = permalink("http://127.0.0.1:8501/violence", {"region": ["Balochistan", "Sindh"], "group": ["A & B"], "x": []})
    assert link == "http://127.0.0.1:8501/violence?region=Balochistan&region=Sindh&group=A+%26+B"
    assert permalink(None, {}) == ""


def test_url_notices_name_what_was_ignored_and_escape_it():
    import datetime as dt

    from dashboard.sidebar import FilterOptions, url_notices
    options = FilterOptions(dt.date(1989, 1, 1), dt.date(2025, 12, 31), ("Sindh",), ("TTP",), ("X",), {"UCDP": 1})
    assert url_notices({"region": ["Sindh"], "period": ["2000-01-01", "2001-01-01"]}, options) == []
    notices = url_notices({"region": ["Sindh", "**Atlantis**"], "period": ["2030-01-01", "2031-01-01"],
                           "source": ["ACLED"]}, options)
    assert len(notices) == 3
    assert "\\*\\*Atlantis\\*\\*" in notices[1] and "outside the data" in notices[0] and "ACLED" in notices[2]
    assert "not a date range" in url_notices({"period": ["tomorrow"]}, options)[0]


REAL_LOG = b"""complaint_id,platform,category,group,region,submitted_at,resolved_at,outcome,items
PTA-1,X,Terrorist propaganda,TTP,Balochistan,2024-03-01 10:00:00,2024-03-01 20:00:00,removed,2
PTA-2,X,Terrorist propaganda,TTP,Balochistan,2024-03-02 10:00:00,2024-03-09 10:00:00,rejected,1
PTA-3,Facebook,Recruitment,BLA,Sindh,2024-04-01 09:00:00,2024-04-01 12:00:00,removed,1
"""


@pytest.fixture(scope="module")
def two_logs_db(default_db_file, tmp_path_factory):
    """The default data plus a (tiny, invented) regulator's own complaint log beside the sample."""
    folder = tmp_path_factory.mktemp("logs")
    (folder / "pta_log.csv").write_bytes(REAL_LOG)
    target = folder / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    con = db.connect(target)
    warehouse.load_default(con, DefaultDataset(folder / "pta_log.csv", "native_complaints", "Regulator log (test)",
                                               "PTA", "test", "test fixture"))
    con.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OBSERVATORY_DB", str(target))
        yield target


def test_two_complaint_logs_are_shown_one_at_a_time_real_first(two_logs_db):
    at = open_page("app_pages/online.py")
    log = at.selectbox(key="log")
    assert log.value == "Regulator log (test)" and "Sample: complaints log 2023-2025 (synthetic)" in log.options
    numbers = {plain(m.label): m.value for m in at.metric}
    assert numbers["Compliance rate"] == "66.7%"  # 2 of 3 decided: the real log alone, not mixed with the sample
    assert not [m for m in at.markdown if BADGE in m.value]  # real data: no sample badge
    log.set_value("Sample: complaints log 2023-2025 (synthetic)").run()
    assert {plain(m.label): m.value for m in at.metric}["Compliance rate"] == "78.8%"
    assert [m for m in at.markdown if BADGE in m.value]
    assert "log=Sample" in permalink(at)


def test_the_regional_ranking_has_a_per_capita_toggle(app_db):
    at = open_page("app_pages/overview.py")
    at.toggle(key="regions_per_million").set_value(True).run()
    figure = charts(at)["overview_regions"]
    assert figure["layout"]["title"]["text"].replace("<br>", " ") == "Top provinces by events per million people a year"
    assert figure["layout"]["xaxis"]["title"]["text"] == "events per million people a year"
    assert "regions_per_million=true" in permalink(at)
