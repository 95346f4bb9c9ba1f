"""A keyed chart keeps its element id when its numbers change (so the browser updates it in place instead
of drawing a new chart, maps included), and two keys still make two charts (dashboard/chart_identity.py)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def chart_page() -> None:
    import plotly.graph_objects as go
    import streamlit as st

    from dashboard import chart_identity

    chart_identity.install()
    values = st.session_state.get("values", [1, 2, 3])
    st.plotly_chart(go.Figure(go.Bar(y=values)), key="events_by_month", theme=None)
    st.plotly_chart(go.Figure(go.Bar(y=values)), key="events_by_province", on_select="rerun",
                    selection_mode="points", theme=None)
    st.plotly_chart(go.Figure(go.Bar(y=values)), theme=None)  # no key: identity from the figure, as Streamlit has it


def ids(at: AppTest) -> list[str]:
    return [chart.proto.id for chart in at.get("plotly_chart")]


def specs(at: AppTest) -> list[str]:
    return [chart.proto.spec for chart in at.get("plotly_chart")]


def test_a_keyed_chart_keeps_its_id_when_its_data_changes():
    at = AppTest.from_function(chart_page).run()
    before, sent_before = ids(at), specs(at)
    at.session_state["values"] = [7, 0, 4]
    after, sent_after = ids(at.run()), specs(at)
    assert not at.exception
    assert after[:2] == before[:2]  # the same two charts ...
    assert sent_after[0] != sent_before[0] and sent_after[1] != sent_before[1]  # ... with their new numbers
    assert after[2] != before[2]  # an unkeyed chart is still identified by its figure
    assert len(set(after)) == 3  # and every chart is its own element
