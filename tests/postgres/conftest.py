"""PostgreSQL-only tests: they run when LADDER_TEST_DATABASE_URL names a server, else skip.

They reuse the scheduler harness of ``tests/scheduling`` (made importable here).
"""

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "scheduling"))

from db import migrated_database_url, server_url
from scheduling_harness import DIGEST_CHANNEL, SUNDAY, Deployment

from bot.database import create_engine
from handlers.clock import FakeClock


@pytest.fixture
async def deployment(tmp_path: Path) -> AsyncIterator[Deployment]:
    """A fresh PostgreSQL database with the test community and a digest channel, on Sunday."""
    if server_url() is None:
        pytest.skip("set LADDER_TEST_DATABASE_URL (bash .ci/postgres.sh prints one)")
    url = migrated_database_url(tmp_path)
    engine = create_engine(url)
    created = Deployment(url, engine, FakeClock(SUNDAY))
    await created.manager_says(f"digest channel <#{DIGEST_CHANNEL}>")
    yield created
    for instance in created.instances:
        await instance.stop()
    await engine.dispose()
