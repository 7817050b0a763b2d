"""Slack user groups changed by several replicas at once keep every member.

Slack only replaces a group's member list whole; each replica reads the list and writes it back
with its change. The user-group section (PostgreSQL's advisory lock) makes them take turns.
"""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from db import migrated_database_url, server_url
from fake_slack import TEAM_ID, FakeSlack
from sqlalchemy import text

from bot.database import create_engine, session_factory
from bot.locks import database_section
from bot.slack import SlackChatPort, create_client
from bot.slack._managers import MemberDirectory
from handlers.kernel import CommunityRef
from models.locks import Budget

pytestmark = pytest.mark.skipif(
    server_url() is None, reason="set LADDER_TEST_DATABASE_URL (bash .ci/postgres.sh prints one)"
)

REPLICAS = 4
TEAM = CommunityRef("slack", TEAM_ID)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """The fake Web API with the Helper group already holding one member."""
    server = FakeSlack()
    await server.start()
    server.usergroups.append(
        {
            "id": "S0001",
            "handle": "ladder-3-helper",
            "name": "Ladder 3 Helper",
            "date_delete": 0,
            "users": ["U0OLD"],
        }
    )
    yield server
    await server.stop()


async def test_members_promoted_at_once_on_several_replicas_all_join_the_group(
    tmp_path: Path, fake: FakeSlack
) -> None:
    """Four members reach Helper at the same moment, each announced by another replica: the
    group ends with all four and the member it had."""
    url = migrated_database_url(tmp_path)
    engines = [create_engine(url) for _ in range(REPLICAS)]
    try:
        ports = []
        for engine in engines:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            client = create_client("xoxb-1", fake.base_url)
            section = database_section(session_factory(engine), Budget.SLACK_USER_GROUPS)
            ports.append(SlackChatPort(client, MemberDirectory(client), section))
        members = [f"U0NEW{n}" for n in range(REPLICAS)]
        await asyncio.gather(
            *(p.set_level_role(TEAM, m, 3, "Helper") for p, m in zip(ports, members, strict=True))
        )
    finally:
        for engine in engines:
            await engine.dispose()
    [group] = fake.usergroups
    assert sorted(group["users"]) == sorted([*members, "U0OLD"])
