"""Fixtures for the Discord adapter: the fake Discord, a real database and a running client."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import discord.gateway
import discord.http
import pytest
from db import migrated_database_url
from discord_harness import Recorder, Running, discord_config
from fake_discord import FakeDiscord
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.database import create_engine, session_factory
from bot.discord import point_at
from bot.settings import Settings
from handlers.kernel import FakeClock
from handlers.service import LadderService


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A running fake Discord, with discord.py pointed at it (and pointed back afterwards)."""
    server = FakeDiscord()
    await server.start()
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    point_at(Settings(DISCORD_API_URL=server.api_url, DISCORD_GATEWAY_URL=server.gateway_url))
    yield server
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway
    await server.close()


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A fresh database at the newest schema (SQLite, or PostgreSQL when CI asks for it)."""
    engine = create_engine(migrated_database_url(tmp_path))
    yield engine
    await engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """The core's clock, starting now (Discord timestamps in the fake are real time)."""
    return FakeClock(datetime.now(UTC))


@pytest.fixture
async def live(fake: FakeDiscord, engine: AsyncEngine, clock: FakeClock) -> AsyncIterator[Running]:
    """The real Ladder service behind the real client, against the fake Discord."""
    config = discord_config()
    sessions = session_factory(engine)
    running = Running(fake, lambda port: LadderService(sessions, config, port, clock), sessions, config)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def recorder() -> Recorder:
    """A fresh recording stand-in for the core."""
    return Recorder()


@pytest.fixture
async def wired(fake: FakeDiscord, engine: AsyncEngine, recorder: Recorder) -> AsyncIterator[Running]:
    """The real client with the recording stand-in, to check the canonical text of each command."""
    running = Running(fake, lambda _port: recorder, session_factory(engine), discord_config())
    await running.start()
    yield running
    await running.stop()
