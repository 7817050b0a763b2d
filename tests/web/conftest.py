"""Fixtures for the dashboard: the real app on a test server, over a fresh database."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from core_harness import START, Harness, config_for_tests
from db import migrated_database_url
from web_harness import PUBLIC_URL, WebHarness

from bot.database import create_engine, session_factory
from bot.web import build_dashboard, mount_dashboard
from handlers.kernel import FakeChatPort, FakeClock
from handlers.service import LadderService
from handlers.signin import DashboardAddress


@pytest.fixture
async def web_app(tmp_path: Path) -> AsyncIterator[WebHarness]:
    """A community with a manager, and its dashboard served on a loopback test server."""
    engine = create_engine(migrated_database_url(tmp_path))
    port, clock = FakeChatPort(), FakeClock(START)
    address = DashboardAddress(PUBLIC_URL)
    service = LadderService(session_factory(engine), config_for_tests(), port, clock, dashboard=address)
    app = web.Application()
    mount_dashboard(app, await build_dashboard(service, address))
    async with TestClient(TestServer(app, host="127.0.0.1")) as http:
        yield WebHarness(Harness(service, port, clock), http)
    await engine.dispose()
