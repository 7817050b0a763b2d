"""Building a community for the dashboard tests through the real service and the one credit path."""

from core_harness import COMMUNITY, Harness
from sqlalchemy import insert
from sqlalchemy import select as sql_select
from sqlmodel import col

from handlers.kernel import Actor, CommunityRef, Event, EventKind, Scope, ensure_community
from handlers.ladder import Credit, credit
from models import ContributionKind, Member

OTHER = CommunityRef("console", "other-community", "Other community")


async def credit_member(
    harness: Harness, who: str, kind: ContributionKind, points: int, times: int = 1
) -> None:
    """Credit a member (who has spoken) ``times`` contributions of one kind, as a use case would."""
    member = await harness.member(who)
    assert member.id is not None
    now = harness.clock.now()
    async with harness.ladder.sessions() as session, session.begin():
        community = await ensure_community(session, COMMUNITY, harness.ladder.config)
        scope = Scope(session, harness.ladder.config, now, community)
        credits = [Credit(member.id, kind, points, f"test:{who}:{kind}:{now}:{n}", now) for n in range(times)]
        await credit(scope, credits, promote=False)


async def speak_elsewhere(harness: Harness, who: str) -> int:
    """A member of another community says something; returns their member id there."""
    event = Event(
        EventKind.MESSAGE,
        OTHER,
        Actor(who, who),
        harness.clock.now(),
        f"other-{who}",
        channel_id="general",
        message_id=f"other-{who}",
        text="hello from elsewhere",
    )
    await harness.ladder.events([event])
    other = await community_id(harness, OTHER)
    async with harness.ladder.sessions() as session:
        found = await session.execute(
            sql_select(col(Member.id)).where(
                col(Member.external_id) == who, col(Member.community_id) == other
            )
        )
        return int(found.scalar_one())


async def community_id(harness: Harness, ref: CommunityRef = COMMUNITY) -> int:
    """The stored id of a community (created the first time it is needed)."""
    async with harness.ladder.sessions() as session, session.begin():
        community = await ensure_community(session, ref, harness.ladder.config)
        assert community.id is not None
        return community.id


async def many_members(harness: Harness, count: int) -> None:
    """``count`` quiet members written in one statement (a big community, quickly)."""
    community, now = await community_id(harness), harness.clock.now()
    rows = [
        {
            "community_id": community,
            "platform": "console",
            "external_id": f"u{n}",
            "display_name": f"u{n}",
            "joined_at": now,
            "level_since": now,
        }
        for n in range(count)
    ]
    async with harness.ladder.sessions() as session, session.begin():
        await session.execute(insert(Member), rows)
