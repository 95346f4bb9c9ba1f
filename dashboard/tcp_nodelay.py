"""Nagle's algorithm off on the served app's connections, so a small reply is not held back 40 ms.

Why: Streamlit 1.67 binds its listening socket itself, as ``socket.socket(family=...)``, whose protocol
number is 0, and hands it to uvicorn. asyncio turns Nagle off (``TCP_NODELAY``) on an accepted connection
only when that number says TCP (``asyncio.base_events._set_nodelay``), so on every Streamlit connection Nagle
stays on. A reply written in two parts (headers, then body; or two websocket messages in a row) then waits
for the browser's acknowledgement of the first part, which Linux delays by 40 ms. Measured on one keep-alive
connection: ``/_stcore/health`` answered in 44 ms instead of 1 ms; a fresh tab's ~60 script files queued on
the browser's six connections for about half a second, and the page's messages came in bursts 40 ms apart.

The fix sets ``TCP_NODELAY`` on the listening socket, which Linux (and the BSDs) copy to every connection it
accepts. Streamlit has bound that socket before it imports the app, but uvicorn starts listening on it only
after: ``install``, called by ``dashboard/serve.py`` while uvicorn imports it inside its event loop, wraps that
loop's ``create_server`` so the socket gets the option on its way in.
"""

from __future__ import annotations

import asyncio
import functools
import socket
from typing import Any

_MARK = "_observatory_tcp_nodelay"


def set_nodelay(sock: socket.socket) -> None:
    """Nagle off on ``sock`` when it is a TCP socket (an IPv4 or IPv6 stream socket)."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def wrap_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Make ``loop.create_server(..., sock=...)`` set ``TCP_NODELAY`` on the socket first; idempotent."""
    create = loop.create_server
    if getattr(create, _MARK, False):
        return

    @functools.wraps(create)
    async def create_server(*args: Any, sock: socket.socket | None = None, **kwargs: Any) -> asyncio.Server:
        if sock is not None:
            set_nodelay(sock)
        return await create(*args, sock=sock, **kwargs)

    setattr(create_server, _MARK, True)
    loop.create_server = create_server  # type: ignore[method-assign]


def install() -> bool:
    """Wrap the running event loop's ``create_server`` (see above). False where no loop runs: the module was
    imported outside a server (a test, a tool), where there is nothing to listen on."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    wrap_loop(loop)
    return True
