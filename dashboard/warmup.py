"""What a newly started server does before its first reader arrives, in a background thread: import the
modules every page needs (pandas, Plotly, the page models) and check, migrate and open the database
(cache.served: the integrity read of every table, the views). Until now the first reader's page run did all
of that: at 10M incidents their first chart came about 2 s later than the next reader's.

Nothing is served from here: a fault found (a damaged or read-only file) is not cached, so the first page
run meets it again and shows it to the reader as before (app.database_or_stop).
"""

from __future__ import annotations

import logging
import threading
import time

LOG = logging.getLogger(__name__)
RUNTIME_WAIT_S = 30.0


def _wait_for_runtime(limit_s: float = RUNTIME_WAIT_S) -> None:
    """Until Streamlit's runtime exists (it starts just after this module's caller is imported): the
    modules' cached functions are then declared against it, not against a stand-in (Streamlit warns
    "No runtime found" otherwise). Gives up quietly after ``limit_s``: the warm-up still helps."""
    from streamlit import runtime

    deadline = time.monotonic() + limit_s
    while not runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def _warm(path: str, runtime_wait_s: float) -> None:
    _wait_for_runtime(runtime_wait_s)
    try:
        from dashboard import cache, sidebar, ui  # noqa: F401 - imported for their cost, paid here
        from dashboard.page_models import links, online, overview, sources, violence  # noqa: F401

        cache.served(path)
    except Exception:  # logged: the first page run meets the same fault and shows it
        LOG.warning("warm-up at start did not finish; the first page run will retry", exc_info=True)


def start(path: str, runtime_wait_s: float = RUNTIME_WAIT_S) -> threading.Thread:
    """Warm up for the database at ``path`` in a daemon thread (it never holds the server open), once
    Streamlit's runtime exists or ``runtime_wait_s`` has passed."""
    thread = threading.Thread(target=_warm, args=(path, runtime_wait_s), name="observatory-warmup", daemon=True)
    thread.start()
    return thread
