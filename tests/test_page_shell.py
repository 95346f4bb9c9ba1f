"""The page shell (Streamlit's index.html) carries a modulepreload link to Plotly's bundle
(dashboard/page_shell.py); the served app is checked in test_compressed_static.py."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from dashboard.page_shell import PreloadPlotly, plotly_bundle, with_hint

SHELL = b'<!doctype html><html><head><script type="module" src="./static/js/index.js"></script></head><body></body></html>'
LINK = b'<link rel="modulepreload" crossorigin="anonymous" href="./static/js/PlotlyChart.abc.js">'


def serving(body: bytes, content_type: bytes = b"text/html; charset=utf-8", status: int = 200):
    async def app(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                                (b"etag", b'"shell"'), (b"cache-control", b"no-cache")]})
        await send({"type": "http.response.body", "body": body[:40], "more_body": True})
        await send({"type": "http.response.body", "body": body[40:], "more_body": False})
    return app


def get(app, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "query_string": b"", "headers": []}
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    asyncio.run(app(scope, receive, send))
    headers = {name.decode(): value.decode() for name, value in messages[0]["headers"]}
    return messages[0]["status"], headers, b"".join(m.get("body", b"") for m in messages[1:])


def test_the_hint_closes_the_head():
    assert with_hint(SHELL, "PlotlyChart.abc.js") == SHELL.replace(b"</head>", LINK + b"</head>")
    assert with_hint(b"<p>no head</p>", "PlotlyChart.abc.js") == b"<p>no head</p>"


@pytest.mark.parametrize("path", ["/", "/violence", "/briefing"])
def test_every_page_path_gets_the_shell_with_the_hint(path):
    status, headers, body = get(PreloadPlotly(serving(SHELL), bundle="PlotlyChart.abc.js"), path)
    assert status == 200 and LINK + b"</head>" in body
    assert headers["content-length"] == str(len(body)) and "etag" not in headers  # another document now
    assert headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(("path", "method", "content_type", "status"), [
    ("/static/js/index.js", "GET", b"text/html", 200),  # never a page
    ("/_stcore/health", "GET", b"text/html", 200),
    ("/", "HEAD", b"text/html", 200),
    ("/", "GET", b"application/json", 200),
    ("/", "GET", b"text/html", 304),
])
def test_other_responses_pass_untouched(path, method, content_type, status):
    sent_status, headers, body = get(PreloadPlotly(serving(SHELL, content_type, status), bundle="PlotlyChart.abc.js"),
                                     path, method)
    assert (sent_status, body, headers["etag"]) == (status, SHELL, '"shell"')


def test_the_bundle_is_streamlits_own_plotly_chunk():
    name = plotly_bundle()
    assert name is not None and name.startswith("PlotlyChart.") and name.endswith(".js")
