"""LADDER_HTTP_HOST: the standalone health server (console, Discord, Socket Mode) binds where told."""

import socket
from pathlib import Path

import aiohttp
import pytest

from bot.background import background
from bot.observability import ListenError
from bot.runtime import open_runtime
from bot.settings import Settings
from handlers.kernel import FakeChatPort


def taken_loopback_port(holder: socket.socket) -> int:
    """Bind ``holder`` to 127.0.0.1 on a free port and keep it: the port is now in use there."""
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return int(holder.getsockname()[1])


async def test_health_server_listens_on_the_configured_host_only(tmp_path: Path) -> None:
    """With LADDER_HTTP_HOST=127.0.0.2 Ladder serves /healthz there, beside another server that
    holds the same port on 127.0.0.1 (a 0.0.0.0 bind would collide with it)."""
    with socket.socket() as holder:
        port = taken_loopback_port(holder)
        settings = Settings(
            DATABASE_URL=f"sqlite:///{tmp_path / 'ladder.db'}",
            LADDER_HTTP_HOST="127.0.0.2",
            LADDER_HTTP_PORT=port,
        )
        async with open_runtime(settings) as runtime:
            ladder = runtime.service(FakeChatPort())
            async with (
                background(runtime, ladder, connected=lambda: True, serve_http=True),
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.2:{port}/healthz") as response,
            ):
                assert response.status == 200


async def test_a_taken_address_is_one_clear_error(tmp_path: Path) -> None:
    """On the host where the port is taken, starting says so in one line."""
    with socket.socket() as holder:
        port = taken_loopback_port(holder)
        settings = Settings(
            DATABASE_URL=f"sqlite:///{tmp_path / 'ladder.db'}",
            LADDER_HTTP_HOST="127.0.0.1",
            LADDER_HTTP_PORT=port,
        )
        async with open_runtime(settings) as runtime:
            ladder = runtime.service(FakeChatPort())
            with pytest.raises(
                ListenError, match=f"^Cannot listen on 127.0.0.1:{port}: the address is already in use"
            ):
                async with background(runtime, ladder, connected=lambda: True, serve_http=True):
                    pass
