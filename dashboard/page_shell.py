"""The page shell Streamlit sends first (its index.html) with a hint to fetch Plotly's bundle at once.

Why: Streamlit asks for its 4.7 MB Plotly chunk only when a chart arrives, after the page's script ran;
presentation.preload_charts moves that to the start of the run, which still waits for the shell's own
JavaScript, the websocket and the session. A ``<link rel="modulepreload">`` in the shell itself starts the
download (and the browser's parse of the module) with the first bytes of the page, in parallel with all
of that. It is the same file Streamlit imports later, so Plotly is still fetched once.
"""

from __future__ import annotations

import html
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import streamlit

Message = MutableMapping[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Any]

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
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
            elif message["type"] == "http.response.start":
                headers = {name.lower(): value for name, value in message.get("headers", [])}
                if message["status"] == 200 and headers.get(b"content-type", b"").startswith(b"text/html") \
                        and b"content-encoding" not in headers:
                    start = message
                else:
                    passing = True
                    await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = with_hint(b"".join(chunks), self.bundle or "")
                    kept = [(name, value) for name, value in start.get("headers", [])
                            if name.lower() not in (b"content-length", b"etag")]
                    await send({**start, "headers": [*kept, (b"content-length", str(len(body)).encode())]})
                    await send({"type": "http.response.body", "body": body})
            else:
                await send(message)

        extensions = {key: value for key, value in scope.get("extensions", {}).items()
                      if key != "http.response.pathsend"}
        await self.app({**scope, "extensions": extensions}, receive, capture)
