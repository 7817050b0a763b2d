"""The one countable-member filter: people count, bots never; an erased member is left out of
everything Ladder does with people, yet stays (anonymous) in the community's statistics."""

from core_harness import Harness
from sqlmodel import col, select

from models import Community, Member, MemberStatus, countable


async def test_countable_leaves_out_bots_and_erased_members_except_in_statistics(harness: Harness) -> None:
    """Of a person, a bot and an erased member, only the person counts for routing, rosters and
    placement; statistics count the person and the erased member, never the bot."""
    await harness.say("manager", "help")
    async with harness.ladder.sessions() as session, session.begin():
        community = (await session.exec(select(Community))).one()
        assert community.id is not None
        for handle, is_bot, status in (
            ("ada", False, MemberStatus.ACTIVE),
            ("relay-bot", True, MemberStatus.ACTIVE),
            ("gone", False, MemberStatus.FORGOTTEN),
        ):
            session.add(
                Member(
                    community_id=community.id,
                    platform="console",
                    external_id=handle,
                    is_bot=is_bot,
                    status=status,
                )
            )
    async with harness.ladder.sessions() as session:
        named = col(Member.external_id).in_(["ada", "relay-bot", "gone"])
        people = (await session.exec(select(Member.external_id).where(named, countable()))).all()
        counted = (
            await session.exec(select(Member.external_id).where(named, countable(with_forgotten=True)))
        ).all()
    assert sorted(people) == ["ada"]
    assert sorted(counted) == ["ada", "gone"]
