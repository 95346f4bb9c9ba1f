"""The page shell Streamlit sends first (its index.html) with a hint to fetch Plotly's bundle at once.

Why: Streamlit asks for its 4.7 MB Plotly chunk only when a chart arrives, after the page's script ran;
presentation.preload_charts moves that to the start of the run, which still waits for the shell's own
JavaScript, the websocket and the session. A ``<link rel="modulepreload">`` in the shell itself starts the
download (and the browser's parse of the module) with the first bytes of the page, in parallel with all
of that. It is the same file Streamlit imports later, so Plotly is still fetched once.
"""

from __future__ import annotations

import html
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import streamlit

from dashboard.asgi_body import ASGIApp, Message, Receive, Send, rewrite_body

STATIC_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"
# routes that never answer with the shell
NOT_PAGES = ("/static/", "/_stcore/", "/media/", "/component/", "/app/static/")


def plotly_bundle(static_js: Path = STATIC_JS) -> str | None:
    """The file name of Streamlit's Plotly chunk (content-hashed, so looked up in the installed package)."""
    found = sorted(static_js.glob("PlotlyChart.*.js"))
    return found[0].name if found else None


def with_hint(document: bytes, bundle: str) -> bytes:
    """``document`` with a modulepreload link to ``static/js/<bundle>`` as the last element of its head
    (relative, like Streamlit's own script tags, so a base URL path still works)."""
    link = f'<link rel="modulepreload" crossorigin="anonymous" href="./static/js/{html.escape(bundle)}">'
    head_end = document.find(b"</head>")
    if head_end < 0:
        return document
    return document[:head_end] + link.encode() + document[head_end:]


class PreloadPlotly:
    """ASGI middleware: the HTML shell, on any page's path, carries the modulepreload link (see above)."""

    def __init__(self, app: ASGIApp, bundle: str | None = None) -> None:
        self.app = app
        self.bundle = bundle if bundle is not None else plotly_bundle()

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if (scope["type"] != "http" or scope.get("method") != "GET" or not self.bundle
                or path.startswith(NOT_PAGES)):
            await self.app(scope, receive, send)
            return
        await rewrite_body(self.app, scope, receive, send, wanted=is_plain_html, finish=self._send_with_hint)

    async def _send_with_hint(self, start: Message, document: bytes, send: Send) -> None:
        body = with_hint(document, self.bundle or "")
        kept = [(name, value) for name, value in start.get("headers", [])
                if name.lower() not in (b"content-length", b"etag")]
        await send({**start, "headers": [*kept, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def is_plain_html(start: Message) -> bool:
    """A 200 answer in HTML, not encoded yet (the shell)."""
    headers = {name.lower(): value for name, value in start.get("headers", [])}
    return (start["status"] == 200 and headers.get(b"content-type", b"").startswith(b"text/html")
            and b"content-encoding" not in headers)
