"""Connections the served app accepts have Nagle's algorithm off (dashboard/tcp_nodelay.py says why)."""

from __future__ import annotations

import asyncio
import socket

from dashboard import tcp_nodelay


def _listener() -> socket.socket:
    # as Streamlit binds it: no protocol number, so asyncio does not turn Nagle off by itself
    sock = socket.socket(family=socket.AF_INET)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.setblocking(False)
    return sock


def _accepted_nodelay(install: bool) -> int:
    """TCP_NODELAY on the server side of one connection accepted by an asyncio server on ``_listener()``."""

    async def main() -> int:
        if install:
            assert tcp_nodelay.install()
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Protocol(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        listener = _listener()
        server = await asyncio.get_running_loop().create_server(Protocol, sock=listener)
        async with server:
            _, writer = await asyncio.open_connection(*listener.getsockname())
            value = await asyncio.wait_for(accepted, timeout=60)
            writer.close()
        return value

    return asyncio.run(main())


def test_a_listener_bound_as_streamlit_binds_it_leaves_nagle_on_without_the_fix():
    # the reason for the module: if this starts failing, asyncio (or Streamlit) fixed it and the module can go
    assert _accepted_nodelay(install=False) == 0


def test_with_the_fix_every_accepted_connection_has_nagle_off():
    assert _accepted_nodelay(install=True) != 0


def test_install_outside_a_running_loop_changes_nothing():
    assert tcp_nodelay.install() is False


def test_wrapping_twice_wraps_once():
    loop = asyncio.new_event_loop()
    try:
        tcp_nodelay.wrap_loop(loop)
        wrapped = loop.create_server
        tcp_nodelay.wrap_loop(loop)
        assert loop.create_server is wrapped
    finally:
        loop.close()

