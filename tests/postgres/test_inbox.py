"""The inbox on PostgreSQL: a replica stores, another resumes what it left, nothing twice."""

import asyncio
from pathlib import Path

import pytest
from db import migrated_database_url, server_url

from bot.database import create_engine, session_factory
from bot.inbox import open_inbox

pytestmark = pytest.mark.skipif(
    server_url() is None, reason="set LADDER_TEST_DATABASE_URL (bash .ci/postgres.sh prints one)"
)


async def test_what_one_replica_stored_another_resumes_once(tmp_path: Path) -> None:
    """Replica A stores three requests and dies; replica B, starting, finds exactly those three,
    oldest first, and a redelivery of one of them is not stored again."""
    url = migrated_database_url(tmp_path)
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        async with open_inbox(url, sessions, "slack") as first:
            ids = await asyncio.gather(*(first.accept("event", f"event:Ev{n}", {"n": n}) for n in range(3)))
        async with open_inbox(url, sessions, "slack") as second:
            resumed = [held async for held in await second.left_behind()]
            assert [h.payload["n"] for h in resumed] == [0, 1, 2]
            assert [h.id for h in resumed] == sorted(i for i in ids if i is not None)
            assert await second.accept("event", "event:Ev1", {"n": 1}) is None
            for held in resumed:
                second.finish(held.id)
        async with open_inbox(url, sessions, "slack") as third:
            assert [held async for held in await third.left_behind()] == []
    finally:
        await engine.dispose()
