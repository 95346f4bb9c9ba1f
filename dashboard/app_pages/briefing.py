"""Briefing: up to six charts of the current view, a title, a note and findings written from the data,
previewed here and downloaded as a 16:9 PNG slide and an A4 PDF. ``?present=1`` shows only the preview.
What the briefing holds is worked out in briefing.py and page_models/briefing_page.py."""

from __future__ import annotations

import streamlit as st

from dashboard import briefing, briefing_render, cache, db, export, presentation, sidebar, ui, view_charts
from dashboard.briefing import MAX_CHARTS, MAX_NOTE, MAX_TITLE
from dashboard.page_models import briefing_page

TITLE, NOTE, PICKED = "briefing_title", "briefing_note", "briefing_charts"
SAVED = "_briefing_saved"  # the choices outlive the widgets, which presentation mode does not draw


def restore(key: str, default: object) -> None:
    """Give a widget its saved value back when it was not drawn on the last run (presentation mode)."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(SAVED, {}).get(key, default)


def choices(drawn: list[view_charts.DrawnChart]) -> None:
    """Title, charts and note; saved so that presentation mode (which draws none of them) keeps them."""
    st.title(briefing_page.TITLE)
    st.caption("A briefing from the current view: pick up to six charts drawn under these filters, "
               "give it a title and a note. The key findings are computed from the data and cite their sources.")
    by_key = {c.key: c for c in drawn}
    restore(TITLE, briefing_page.DEFAULT_TITLE)
    restore(NOTE, "")
    restore(PICKED, briefing_page.default_keys(drawn))
    st.session_state[PICKED] = view_charts.current_keys(list(st.session_state[PICKED]), drawn)
    left, right = st.columns([3, 2])
    with left:
        st.text_input("Title", key=TITLE, max_chars=MAX_TITLE)
        # wrap: in a column the chips would otherwise stay on one row and scroll, hiding most of the choice
        st.multiselect("Charts (up to six)", list(by_key), key=PICKED, max_selections=MAX_CHARTS, wrap=True,
                       format_func=lambda k: by_key[k].label, placeholder="Open a page to draw its charts",
                       help="The charts drawn in this session under the current filters, page by page.")
    with right:
        st.text_area("Note (optional)", key=NOTE, max_chars=MAX_NOTE, height=122)
    if not drawn:
        st.info("No chart is drawn under these filters yet: open the pages whose charts you want "
                f"({briefing_page.PAGES_WITH_CHARTS}), then come back. The findings below need no charts.",
                icon=":material/insert_chart:")
    not_offered(drawn)
    st.session_state[SAVED] = {TITLE: st.session_state[TITLE], NOTE: st.session_state[NOTE],
                               PICKED: list(st.session_state[PICKED])}


def not_offered(drawn: list[view_charts.DrawnChart]) -> None:
    unfinished = view_charts.unfinished_pages()
    notes = briefing_page.notices([ui.md_escape(title) for title in unfinished], 0)  # page titles, as Markdown
    if notes:
        st.caption(notes[0])
        with st.container(horizontal=True):
            for title in unfinished:
                target = view_charts.page_of(title)
                if target is not None:
                    st.page_link(target, label=f"Open {title} again", icon=":material/refresh:")
    for note in briefing_page.notices([], view_charts.elsewhere(sidebar.current())):
        st.caption(note)


def exports(the_briefing: briefing.Briefing) -> None:
    unavailable = export.unavailable_reason()
    with st.container(horizontal=True, vertical_alignment="center"):
        st.download_button(
            "Download slide (PNG, 16:9)", lambda: briefing_render.slide_png(
                the_briefing, briefing_render.chart_images(the_briefing.charts)),
            file_name=f"{the_briefing.file_stem}.png", mime="image/png", key="briefing_png",
            icon=":material/slideshow:", on_click="ignore", disabled=unavailable is not None, type="primary",
        )
        st.download_button(
            "Download PDF (A4)", lambda: briefing_render.pdf_bytes(
                the_briefing, briefing_render.chart_images(the_briefing.charts)),
            file_name=f"{the_briefing.file_stem}.pdf", mime="application/pdf", key="briefing_pdf",
            icon=":material/picture_as_pdf:", on_click="ignore", disabled=unavailable is not None,
        )
        st.button("Presentation mode", icon=":material/present_to_all:", on_click=presentation.enter,
                  key="briefing_present", help="Hides the sidebar and the controls for a clean screenshot "
                                               "(adds ?present=1 to the address).")
    if unavailable:
        st.warning(f"Export is unavailable on this server: {unavailable} The preview below and the rest of the "
                   "dashboard work as usual.", icon=":material/print_disabled:")
    st.divider()


def preview(the_briefing: briefing.Briefing, *, present: bool) -> None:
    """What the slide and the PDF show."""
    st.markdown(f"## {ui.md_escape(the_briefing.title)}")
    st.caption(f"Filters: {ui.md_escape(the_briefing.filters)} · generated {the_briefing.generated}")
    if the_briefing.synthetic:
        ui.sample_badge()
    st.markdown("#### Key findings")
    if the_briefing.findings:
        st.markdown("\n".join(f"- {ui.md_escape(f.text)}" for f in the_briefing.findings))
    else:
        st.info("No findings: the filters leave no data to compute them from.", icon=":material/filter_alt_off:")
    if the_briefing.note:
        st.markdown(f"**Note:** {ui.md_escape(the_briefing.note)}")
    columns, rows = briefing_page.preview_rows(the_briefing.charts, present=present)
    for row in rows:
        for column, chart in zip(st.columns(columns), row, strict=False):
            with column, st.container(border=True):
                st.plotly_chart(chart.figure, key=f"briefing_{chart.key}", theme=None, config=ui.PLOTLY_CONFIG)
    footer(the_briefing)


def footer(the_briefing: briefing.Briefing) -> None:
    st.divider()
    sources, code = st.columns([5, 1])
    with sources:
        st.markdown("**Sources**\n\n" + "\n".join(f"- {ui.md_escape(s.line())}" for s in the_briefing.sources))
        st.markdown("**Live view** (the permalink restores the view the charts came from)")
        ui.link_field(the_briefing.permalink or "(no link)", label="Live view")
        st.caption(ui.md_escape(briefing_render.provenance_line(the_briefing)))
    with code:
        if the_briefing.permalink:
            st.image(briefing.qr_png(the_briefing.permalink), caption="Scan: live view", width=140)


filters = sidebar.current()
present = presentation.active()
drawn = view_charts.in_view(filters)
if not present:
    choices(drawn)
saved = st.session_state.get(SAVED, {})
the_briefing = briefing_page.make(
    cache.query, filters, ui.catalog(), title=ui.visible(saved.get(TITLE, briefing_page.DEFAULT_TITLE)),
    note=ui.visible(saved.get(NOTE, "")),
    charts=briefing_page.chosen(drawn, view_charts.current_keys(saved.get(PICKED, briefing_page.default_keys(drawn)),
                                                                drawn)),
    data_version=db.data_version(cache.connection(str(db.db_path()))), fallback_link=view_charts.current_link(),
)
if not present:
    exports(the_briefing)
preview(the_briefing, present=present)
if present:
    st.button("Leave presentation mode", on_click=presentation.leave, type="tertiary", key="briefing_leave")
