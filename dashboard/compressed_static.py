"""Streamlit's own static bundles (``/static/...``: JavaScript, CSS, source maps, fonts as SVG) sent
gzip-compressed, each compressed once per server process and then served from memory.

Why: Streamlit 1.67 serves its static files uncompressed on purpose (its ``SelectiveGZipMiddleware``
skips ``/static/``: recompressing on every request costs CPU, and it expects a reverse proxy to compress).
A fresh tab then downloads about 8.7 MB, where gzip makes it about 2.9 MB. The bundles are content-hashed
and immutable, so compressing each one once and keeping the result answers Streamlit's objection (no CPU
per request) while ``make run`` stays a single process with no proxy.

The middleware sits in front of Streamlit's own stack and never serves a file itself: Streamlit still
resolves the path (its path-security checks, 404s, conditional requests, cache headers); only a 200
answer to a ``GET`` that accepts gzip has its body swapped for the compressed bytes.
"""

from __future__ import annotations

import gzip
from collections.abc import MutableMapping
from typing import Any

import anyio.to_thread

from dashboard.asgi_body import ASGIApp, Message, Receive, Send, rewrite_body

STATIC_PREFIX = "/static/"
# text formats that gzip shrinks; images and woff fonts are compressed already
COMPRESSIBLE_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
MINIMUM_SIZE = 1000  # smaller bodies gain less than the header costs (Streamlit's own threshold)
COMPRESS_LEVEL = 9  # paid once per file, so the smallest output wins


def accepts_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the request's Accept-Encoding lists gzip with a non-zero quality."""
    for name, value in headers:
        if name.lower() != b"accept-encoding":
            continue
        for coding in value.decode("latin-1").lower().split(","):
            token, _, params = coding.partition(";")
            quality = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
            if token.strip() in ("gzip", "*") and quality not in ("0", "0.0", "0.00", "0.000"):
                return True
    return False


def wants_compression(scope: MutableMapping[str, Any]) -> bool:
    """A GET of a static file, gzip accepted, no byte range asked for (a range is of the plain bytes)."""
    if scope["type"] != "http" or scope.get("method") != "GET":
        return False
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root):]
    headers = scope.get("headers", [])
    return (path.startswith(STATIC_PREFIX) and accepts_gzip(headers)
            and not any(name.lower() == b"range" for name, _ in headers))


def compressible(headers: list[tuple[bytes, bytes]]) -> bool:
    """A response not encoded yet whose content type gzip shrinks."""
    values = {name.decode("latin-1").lower(): value.decode("latin-1").lower() for name, value in headers}
    return "content-encoding" not in values and values.get("content-type", "").startswith(COMPRESSIBLE_TYPES)


def gzip_headers(headers: list[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    """The plain response's headers for its gzip body: new length, the encoding, ``Vary`` for caches, and
    the ETag made weak (a different byte sequence from the same file; Starlette's conditional check
    compares weak tags, so revalidation still answers 304)."""
    kept = [(name, value) for name, value in headers
            if name.lower() not in (b"content-length", b"etag", b"vary", b"accept-ranges")]
    out = [*kept, (b"content-length", str(length).encode()), (b"content-encoding", b"gzip"),
           (b"vary", b"Accept-Encoding")]
    etag = next((value for name, value in headers if name.lower() == b"etag"), None)
    if etag is not None:
        out.append((b"etag", etag if etag.startswith(b"W/") else b"W/" + etag))
    return out


class CompressedStatic:
    """ASGI middleware: gzip Streamlit's static files once each and serve the compressed copy from memory.

    The cache is keyed by path and the plain file's ETag (size and modification time), so a changed file is
    compressed again. It holds at most ``max_bytes`` of compressed output (all of Streamlit's bundles take
    about 7 MB; a first load about 3 MB); beyond that a file is compressed per request, as Starlette's
    own middleware would."""

    def __init__(self, app: ASGIApp, max_bytes: int = 32_000_000) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.cache: dict[tuple[str, bytes], bytes] = {}
        self.cached_bytes = 0

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if not wants_compression(scope):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def finish(start: Message, body: bytes, send: Send) -> None:
            await self._send_compressed(path, start, body, send)

        await rewrite_body(self.app, scope, receive, send, finish=finish,
                           wanted=lambda start: start["status"] == 200 and compressible(start.get("headers", [])))

    async def _send_compressed(self, path: str, start: Message, body: bytes, send: Send) -> None:
        headers = list(start.get("headers", []))
        if len(body) < MINIMUM_SIZE:
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        etag = next((value for name, value in headers if name.lower() == b"etag"), b"")
        # only content-hashed bundles (Streamlit marks them immutable) are kept: anything else, such as the
        # index page Streamlit answers for an unknown path, is small and compressed per request
        immutable = any(name.lower() == b"cache-control" and b"immutable" in value for name, value in headers)
        key = (path, etag)
        packed = self.cache.get(key) if immutable else None
        if packed is None:
            # off the event loop: Plotly's 4.7 MB bundle takes about 0.15 s at level 9
            packed = await anyio.to_thread.run_sync(lambda: gzip.compress(body, COMPRESS_LEVEL, mtime=0))
            if immutable and self.cached_bytes + len(packed) <= self.max_bytes:
                self.cache[key] = packed
                self.cached_bytes += len(packed)
        await send({**start, "headers": gzip_headers(headers, len(packed))})
        await send({"type": "http.response.body", "body": packed})
