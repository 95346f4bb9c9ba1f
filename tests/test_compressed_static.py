"""Streamlit's static bundles are sent gzip-compressed (dashboard/compressed_static.py, dashboard/serve.py):
the middleware on its own against a stand-in for Streamlit's static files, then the served app as
`make run` starts it (with the page shell's Plotly hint, page_shell.py)."""

from __future__ import annotations

import asyncio
import gzip
import re
import shutil
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from dashboard import compressed_static
from dashboard.compressed_static import CompressedStatic, accepts_gzip
from dashboard.page_shell import plotly_bundle
from tests.streamlit_server import streamlit_server

BUNDLE = b"export const plot = () => 'a chart';\n" * 2000  # 74 kB of JavaScript
PLAIN_HEADERS = [(b"content-type", b"text/javascript; charset=utf-8"), (b"content-length", str(len(BUNDLE)).encode()),
                 (b"etag", b'"abc123"'), (b"accept-ranges", b"bytes"),
                 (b"cache-control", b"public, immutable, max-age=31536000")]


def static_files(status: int = 200, headers: list[tuple[bytes, bytes]] | None = None, body: bytes = BUNDLE):
    """A stand-in for Streamlit's static route: answers every request with ``body`` in 64 kB chunks."""
    calls: list[dict[str, Any]] = []

    async def app(scope, receive, send) -> None:
        calls.append(scope)
        await send({"type": "http.response.start", "status": status, "headers": headers or PLAIN_HEADERS})
        chunks = [body[i:i + 65536] for i in range(0, len(body), 65536)] or [b""]
        for number, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": number < len(chunks) - 1})

    app.calls = calls  # type: ignore[attr-defined]
    return app


def get(app, path: str = "/static/js/index.abc.js", method: str = "GET", **headers: str) -> tuple[int, dict, bytes]:
    """One request through ``app``: status, headers (names lower-case) and the whole body."""
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "query_string": b"",
             "headers": [(name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()],
             "extensions": {"http.response.pathsend": {}}}
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    asyncio.run(app(scope, receive, send))
    start = messages[0]
    body = b"".join(message.get("body", b"") for message in messages[1:])
    return start["status"], {name.decode(): value.decode() for name, value in start["headers"]}, body


def test_a_static_bundle_is_sent_gzipped_to_a_browser_that_accepts_it():
    status, headers, body = get(CompressedStatic(static_files()), accept_encoding="gzip, deflate, br")
    assert status == 200
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == BUNDLE
    assert int(headers["content-length"]) == len(body) < len(BUNDLE) / 10
    # the same file, another byte sequence: a weak validator (Starlette's 304 check strips the W/)
    assert headers["etag"] == 'W/"abc123"'
    assert "accept-ranges" not in headers  # byte ranges are of the plain file only
    assert headers["cache-control"] == "public, immutable, max-age=31536000"


def test_the_server_is_asked_for_the_bytes_not_to_send_the_file_by_path():
    inner = static_files()
    get(CompressedStatic(inner), accept_encoding="gzip")
    assert "http.response.pathsend" not in inner.calls[0]["extensions"]


def test_each_bundle_is_compressed_once_and_then_served_from_memory(monkeypatch):
    compressions: list[int] = []
    real = gzip.compress

    def counting(data: bytes, *args, **kwargs) -> bytes:
        compressions.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(compressed_static.gzip, "compress", counting)
    app = CompressedStatic(static_files())
    first = get(app, accept_encoding="gzip")
    second = get(app, accept_encoding="gzip")
    assert first == second and compressions == [len(BUNDLE)]


def test_a_file_that_is_not_immutable_is_compressed_but_never_kept():
    """Streamlit answers an unknown path with its index page (no-cache): not a key to fill memory with."""
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"etag", b'"index"'), (b"cache-control", b"no-cache")]
    app = CompressedStatic(static_files(headers=headers))
    for number in range(3):
        _, sent, body = get(app, f"/static/js/missing{number}.js", accept_encoding="gzip")
        assert sent["content-encoding"] == "gzip" and gzip.decompress(body) == BUNDLE
    assert app.cache == {} and app.cached_bytes == 0


def test_memory_is_bounded():
    app = CompressedStatic(static_files(), max_bytes=100)
    _, headers, body = get(app, accept_encoding="gzip")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == BUNDLE
    assert app.cache == {}


@pytest.mark.parametrize("case", [
    {"accept_encoding": ""},  # no gzip accepted
    {"accept_encoding": "br;q=1, gzip;q=0"},  # gzip refused
    {"accept_encoding": "gzip", "range": "bytes=0-99"},  # a range is of the plain bytes
    {"accept_encoding": "gzip", "path": "/"},  # the root document, not a bundle
    {"accept_encoding": "gzip", "path": "/_stcore/health"},
    {"accept_encoding": "gzip", "method": "HEAD"},
])
def test_other_requests_pass_through_untouched(case):
    case = dict(case)
    path, method = case.pop("path", "/static/js/index.abc.js"), case.pop("method", "GET")
    status, headers, body = get(CompressedStatic(static_files()), path, method, **case)
    assert status == 200 and "content-encoding" not in headers and body == BUNDLE
    assert headers["etag"] == '"abc123"'


@pytest.mark.parametrize(("status", "content_type", "body"), [
    (304, b"text/javascript", b""),  # the browser's copy is still good
    (404, b"text/plain", b"Not Found" * 200),
    (200, b"font/woff2", BUNDLE),  # compressed already
    (200, b"image/png", BUNDLE),
])
def test_responses_gzip_cannot_help_pass_through(status, content_type, body):
    headers = [(b"content-type", content_type), (b"etag", b'"abc123"')]
    sent_status, sent, sent_body = get(CompressedStatic(static_files(status, headers, body)), accept_encoding="gzip")
    assert (sent_status, sent_body) == (status, body) and "content-encoding" not in sent


def test_a_small_file_is_sent_as_it_is():
    small = b"export {};\n"
    headers = [(b"content-type", b"text/javascript"), (b"content-length", b"11")]
    _, sent, body = get(CompressedStatic(static_files(headers=headers, body=small)), accept_encoding="gzip")
    assert body == small and "content-encoding" not in sent


@pytest.mark.parametrize(("value", "accepted"), [
    ("gzip", True), ("gzip, deflate, br, zstd", True), ("GZIP;q=0.5", True), ("*", True),
    ("gzip;q=0", False), ("br", False), ("", False), ("identity", False),
])
def test_accept_encoding_is_read_with_its_qualities(value, accepted):
    assert accepts_gzip([(b"accept-encoding", value.encode())]) is accepted


def test_the_served_app_sends_its_javascript_compressed(default_db_file, tmp_path):
    """`make run`'s server: every script the page shell names comes gzipped, decoding to Streamlit's own file,
    and the shell of any page asks for Plotly's bundle at once (page_shell.py)."""
    from streamlit import file_util

    db_file = tmp_path / "observatory.duckdb"
    shutil.copy2(default_db_file, db_file)
    with streamlit_server(db_file, tmp_path / "server.log", 240) as base:
        shell = urllib.request.urlopen(base + "/", timeout=30).read().decode()
        scripts = re.findall(r'src="\.?/?(static/js/[^"]+\.js)"', shell)
        assert scripts, shell
        for page in ("/", "/violence"):
            document = urllib.request.urlopen(base + page, timeout=30).read().decode()
            hinted = re.findall(r'<link rel="modulepreload" crossorigin="anonymous" href="\./(static/js/[^"]+)">',
                                document)
            assert [Path(name).name for name in hinted] == [plotly_bundle()], document
            scripts += hinted
        for script in scripts:
            request = urllib.request.Request(f"{base}/{script}", headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request, timeout=30) as reply:
                assert reply.headers["Content-Encoding"] == "gzip", script
                body = gzip.decompress(reply.read())
            assert body == (Path(file_util.get_static_dir()) / script).read_bytes()
