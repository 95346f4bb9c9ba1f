"""ASGI plumbing shared by the serving middlewares (compressed_static, page_shell): let the app answer,
hold back a response the middleware wants to rewrite until its whole body is in, pass the rest on as sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
ASGIApp = Callable[[Scope, Receive, Send], Any]
Finish = Callable[[Message, bytes, Send], Awaitable[None]]


async def rewrite_body(app: ASGIApp, scope: Scope, receive: Receive, send: Send, *,
                       wanted: Callable[[Message], bool], finish: Finish) -> None:
    """Run ``app``; a response whose start message passes ``wanted`` is buffered and handed whole to
    ``finish(start, body, send)``, which sends it; any other response goes straight on."""
    start: Message | None = None
    chunks: list[bytes] = []
    passing = False  # True once the response is known not to be rewritten: messages go straight on

    async def capture(message: Message) -> None:
        nonlocal start, passing
        if passing:
            await send(message)
        elif message["type"] == "http.response.start":
            if wanted(message):
                start = message
            else:
                passing = True
                await send(message)
        elif message["type"] == "http.response.body" and start is not None:
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await finish(start, b"".join(chunks), send)
        else:
            await send(message)

    # Starlette would hand a file to a server that can send it by path, body unseen: ask for the bytes
    extensions = {key: value for key, value in scope.get("extensions", {}).items()
                  if key != "http.response.pathsend"}
    await app({**scope, "extensions": extensions}, receive, capture)
