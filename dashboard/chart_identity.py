"""A keyed Plotly chart keeps its identity when its data changes, so the browser updates the drawn chart
in place instead of building a new one.

Why: Streamlit 1.67 computes a plotly_chart's element id from its key *and* its whole figure
(``key_as_main_identity=False``), so any new number gives the chart a new id, and the browser throws the
old chart away and draws a new one from nothing: new DOM, and for a map a new WebGL context and its shaders
compiled again. Measured on the Violence event tab at 10M incidents: every chart was rebuilt on each filter
change. With the id taken from the key (and the selection settings), Plotly.react updates the chart.

Every chart the app draws has a key that names what it shows (ui.chart_card), so two charts never share
one. tests/test_chart_identity.py checks that the id stays when the figure changes, and changes with the key.
"""

from __future__ import annotations

from typing import Any

import streamlit.elements.plotly_chart as plotly_chart_module

_original = plotly_chart_module.compute_and_register_element_id
# what still changes a chart's identity besides its key: turning selections on or off, or their mode
IDENTITY = {"selection_mode", "is_selection_activated"}


def _keyed_identity(element_type: str, *, user_key: str | None, key_as_main_identity: Any, **kwargs: Any) -> str:
    if element_type == "plotly_chart" and user_key is not None:
        key_as_main_identity = IDENTITY
    return _original(element_type, user_key=user_key, key_as_main_identity=key_as_main_identity, **kwargs)


def install() -> None:
    """Route plotly_chart's id through ``_keyed_identity`` (idempotent)."""
    plotly_chart_module.compute_and_register_element_id = _keyed_identity
