"""What the browser tests and the browser benchmark wait on, as JavaScript evaluated in the page: the app's
script runs, counted from its own websocket messages, and its charts drawn.

Why count runs on the websocket: Streamlit shows a run on the stApp element (``data-test-script-state``),
but when a run starts and ends while the page is busy (several readers at once, a short run), React draws
both changes in one batch and the attribute never reads "running". A watcher of that attribute then never
sees the run: the browser benchmark counted such runs as inputs the app had lost (1 run in 3 of its
two-session test failed on it), and a browser test would wait out its whole budget. Every run ends with a
ForwardMsg whose ``script_finished`` field is set; ``RUN_COUNTER`` counts those, with the field number read
from the installed Streamlit.
"""

from __future__ import annotations

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED_FIELD = ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number
# a run stopped because a newer one starts (a second change came in): not the end of what the page shows
EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN

# The script_finished value of one ForwardMsg (its bytes as an ArrayBuffer or array), -1 when it has none: a
# walk over the message's top-level fields, skipping the others by their wire type.
FINISHED_STATUS = """(data) => {
  const bytes = new Uint8Array(data);
  let at = 0;
  const varint = () => {
    let value = 0, scale = 1, byte;
    do { byte = bytes[at++]; value += (byte & 127) * scale; scale *= 128; } while (byte & 128 && at < bytes.length);
    return value;
  };
  while (at < bytes.length) {
    const tag = varint(), number = Math.floor(tag / 8), wire = tag % 8;
    if (wire === 0) { const value = varint(); if (number === FINISHED_FIELD) return value; }
    else if (wire === 2) { const length = varint(); at += length; }  // not `at += varint()`: that adds to the old `at`
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else return -1;
  }
  return -1;
}""".replace("FINISHED_FIELD", str(FINISHED_FIELD))

# An init script (add it to the context or page before the app loads). A run is counted two task turns
# after its last message arrives: by then Streamlit has dispatched the message (its handler is async, in
# order) and React has drawn the result, so a wait on the count does not read the page of the run before.
RUN_COUNTER = """(() => {
  const finishedStatus = FINISHED_STATUS;
  const runs = window.__observatoryRuns = {finished: 0};
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (!(event.data instanceof ArrayBuffer)) return;
        const status = finishedStatus(event.data);
        if (status >= 0 && status !== EARLY_FOR_RERUN) setTimeout(() => setTimeout(() => { runs.finished++; }, 0), 0);
      });
    }
  };
})()""".replace("FINISHED_STATUS", FINISHED_STATUS).replace("EARLY_FOR_RERUN", str(EARLY_FOR_RERUN))
RUNS = "() => window.__observatoryRuns ? window.__observatoryRuns.finished : -1"
RUN_AFTER = "n => window.__observatoryRuns.finished > n"

SCRIPT_DONE = "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
# at least n chart cards, each holding a plot drawn at its card's width (Plotly's resize after a layout change
# is done), every map with its style and sources loaded (maplibre's own flag)
CHARTS_DRAWN = """n => {
  const cards = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (cards.length < n || plots.length < cards.length) return false;
  return plots.every(gd => {
    const svg = gd.querySelector('.main-svg');
    if (!svg || !gd._fullLayout) return false;
    if (Math.abs(svg.getBoundingClientRect().width - gd.getBoundingClientRect().width) > 2) return false;
    const map = gd._fullLayout.map && gd._fullLayout.map._subplot;
    return !map || (map.map && map.map.loaded());
  });
}"""
# the page at rest: no run, no status widget, no stale element, no element still loading its code (a fresh
# tab's first charts show a skeleton until Plotly's bundle is in), every chart drawn
SETTLED = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid=stStatusWidget]')) return false;
  if (document.querySelector('[data-stale=true]')) return false;
  if (document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]')) return false;
  return (CHARTS_DRAWN)(0);
}""".replace("CHARTS_DRAWN", CHARTS_DRAWN)
