"""Fixtures for Slack scenario tests: the real Bolt app and Web API client against a local fake."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from fake_slack import FakeSlack
from slack_harness import BOT_TOKEN, LISTED_MANAGER, SECRET, SlackHarness, ladder_config
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.database import create_engine, session_factory, upgrade
from bot.inbox import DatabaseStore, Inbox
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack import build_bot, build_web_app, create_client
from handlers.kernel import ChatPort, FakeClock
from handlers.service import LadderService


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """The fake Web API, with a few members: a plain member, a helper, an admin, a listed one."""
    server = FakeSlack()
    await server.start()
    server.add_user("U0JANE", "Jane")
    server.add_user("U0HELPER", "Hal")
    server.add_user("U0ADMIN", "Ada", admin=True)
    server.add_user("U0OWNER", "Otto", owner=True)
    server.add_user(LISTED_MANAGER, "Lis")
    server.add_user("U0NEWBIE", "Nia")
    yield server
    await server.stop()


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A fresh SQLite database at the newest schema."""
    url = f"sqlite:///{tmp_path / 'ladder.db'}"
    upgrade(url)
    engine = create_engine(url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def slack(fake: FakeSlack, engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[SlackHarness]:
    """The real AsyncApp and AsyncWebClient, the real service and database, served over HTTP."""
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    sessions = session_factory(engine)
    config = ladder_config()
    settings = Settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET)
    runtime = Runtime(settings, config, sessions, f"sqlite:///{tmp_path / 'ladder.db'}", clock)

    def service(port: ChatPort) -> LadderService:
        return LadderService(sessions, config, port, clock)

    inbox = Inbox(DatabaseStore(sessions), "slack")
    bot = build_bot(create_client(BOT_TOKEN, fake.base_url), SECRET, service, inbox)
    server = TestServer(build_web_app(bot.app, runtime, signing_secret=SECRET), host="127.0.0.1")
    async with TestClient(server) as http:
        yield SlackHarness(fake, bot, http, clock, runtime)
    await bot.background.drain()
    await inbox.close()
