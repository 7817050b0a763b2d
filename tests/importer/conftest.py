"""Fixtures for import tests: a fresh database and runtime per test, and the real Slack export."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from db import migrated_database_url

from bot.database import create_engine, session_factory
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.kernel import FakeClock, LadderConfig

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
HOUSTON = Path(__file__).resolve().parents[1] / "fixtures" / "slack-export-houstondatavis"


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    """A runtime over a fresh database (PostgreSQL when the suite runs on it), with a fixed clock."""
    url = migrated_database_url(tmp_path)
    engine = create_engine(url)
    yield Runtime(Settings(), LadderConfig(), session_factory(engine), url, FakeClock(NOW))
    await engine.dispose()
