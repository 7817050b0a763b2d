"""Fixtures for the scheduler tests (the harness itself is in ``scheduling_harness``)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from db import migrated_database_url
from scheduling_harness import DIGEST_CHANNEL, SUNDAY, Deployment

from bot.database import create_engine
from handlers.clock import FakeClock


@pytest.fixture
async def deployment(tmp_path: Path) -> AsyncIterator[Deployment]:
    """A fresh database with the test community, its manager and a digest channel, on Sunday."""
    url = migrated_database_url(tmp_path)
    engine = create_engine(url)
    created = Deployment(url, engine, FakeClock(SUNDAY))
    await created.manager_says(f"digest channel <#{DIGEST_CHANNEL}>")
    yield created
    for instance in created.instances:
        await instance.stop()
    await engine.dispose()
