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

LOG = logging.getLogger(__name__)


def _warm(path: str) -> None:
    try:
        from dashboard import cache, sidebar, ui  # noqa: F401 - imported for their cost, paid here
        from dashboard.page_models import links, online, overview, sources, violence  # noqa: F401

        cache.served(path)
    except Exception:  # logged: the first page run meets the same fault and shows it
        LOG.warning("warm-up at start did not finish; the first page run will retry", exc_info=True)


def start(path: str) -> threading.Thread:
    """Warm up for the database at ``path`` in a daemon thread (it never holds the server open)."""
    thread = threading.Thread(target=_warm, args=(path,), name="observatory-warmup", daemon=True)
    thread.start()
    return thread
