"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL when CI asks), the real
service, a fake port and a fake clock."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from core_harness import START, Harness, config_for_tests
from db import migrated_database_url

from bot.database import create_engine, session_factory
from handlers.kernel import FakeChatPort, FakeClock
from handlers.service import LadderService


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """A fresh community on a fresh database."""
    url = migrated_database_url(tmp_path)
    engine = create_engine(url)
    port = FakeChatPort()
    clock = FakeClock(START)
    yield Harness(LadderService(session_factory(engine), config_for_tests(), port, clock), port, clock)
    await engine.dispose()
