"""Finding and creating communities and members from their platform identities."""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.kernel._config import LadderConfig
from handlers.kernel._scope import Scope
from handlers.kernel._types import Actor, CommunityRef, Message, Notice, NoticeKind
from models import Community, Member, MemberStatus, ProcessedEvent, Quest
from models.queries import insert_new


async def ensure_community(
    session: AsyncSession, ref: CommunityRef, config: LadderConfig, *, now: datetime | None = None
) -> Community:
    """Return the stored community, creating it (and its quests) the first time it is seen."""
    community = (
        await session.exec(
            select(Community).where(
                Community.platform == ref.platform, Community.external_id == ref.external_id
            )
        )
    ).first()
    if community is not None:
        return community
    community = Community(
        platform=ref.platform,
        external_id=ref.external_id,
        name=ref.name,
        timezone=config.digest.timezone,
        digest_channel=config.digest.channel,
    )
    if now is not None:
        community.created_at = now
    session.add(community)
    await session.flush()
    await sync_quests(session, community, config)
    return community


async def sync_quests(session: AsyncSession, community: Community, config: LadderConfig) -> None:
    """Make the community's quest table match the config (quests removed are deactivated)."""
    stored = {
        q.key: q for q in (await session.exec(select(Quest).where(Quest.community_id == community.id))).all()
    }
    assert community.id is not None
    for rule in config.quests:
        quest = stored.pop(rule.key, None) or Quest(
            community_id=community.id, key=rule.key, level=0, title=""
        )
        quest.level, quest.title = rule.level, rule.title
        quest.description, quest.points, quest.active = rule.description, rule.points, True
        session.add(quest)
    for leftover in stored.values():
        leftover.active = False
        session.add(leftover)
    await session.flush()


def is_manager(config: LadderConfig, platform: str, actor: Actor) -> bool:
    """The one rule for managers: the platform's own admin flag, or a listing in the config."""
    return actor.is_admin or config.managers.lists(platform, actor.external_id)


async def ensure_member(scope: Scope, actor: Actor, *, at: datetime | None = None) -> Member:
    """Return the member behind a platform identity, creating them as a Newcomer if new.

    Seeing a member keeps their display name and the platform's admin flag current.
    """
    member = await find_member(scope, actor.external_id)
    manager = is_manager(scope.config, scope.community.platform, actor)
    if member is None:
        joined = at or scope.now
        member = Member(
            community_id=scope.community_id,
            platform=scope.community.platform,
            external_id=actor.external_id,
            display_name=actor.display_name or actor.external_id,
            is_bot=actor.is_bot,
            is_manager=manager,
            joined_at=joined,
            level_since=joined,
        )
        scope.session.add(member)
        await scope.session.flush()
        return member
    if member.status == MemberStatus.FORGOTTEN:
        return member
    if actor.display_name and actor.display_name != member.display_name:
        member.display_name = actor.display_name
    if manager != member.is_manager:
        member.is_manager = manager
    scope.session.add(member)
    return member


async def find_member(scope: Scope, external_id: str) -> Member | None:
    """Find a member of this community by platform id (console: by handle)."""
    return (
        await scope.session.exec(
            select(Member).where(
                Member.community_id == scope.community_id,
                Member.platform == scope.community.platform,
                Member.external_id == external_id,
            )
        )
    ).first()


async def managers(session: AsyncSession, community_id: int) -> list[Member]:
    """The community's known managers (the last resort for unanswered questions)."""
    return list(
        (
            await session.exec(
                select(Member)
                .where(
                    Member.community_id == community_id,
                    col(Member.is_manager),
                    Member.status != MemberStatus.FORGOTTEN,
                )
                .order_by(col(Member.id))
            )
        ).all()
    )


async def dm_managers(scope: Scope, message: Message) -> list[Notice]:
    """The same DM to every known manager, sent after the use case commits."""
    return [
        Notice(NoticeKind.DM, m.external_id, message)
        for m in await managers(scope.session, scope.community_id)
    ]


async def dm_notice(scope: Scope, member_id: int, message: Message) -> list[Notice]:
    """A DM to a stored member by primary key (nothing if the row is gone)."""
    member = await scope.session.get(Member, member_id)
    return [] if member is None else [Notice(NoticeKind.DM, member.external_id, message)]


async def record_once(session: AsyncSession, community_id: int, key: str) -> bool:
    """Record a one-off key for a community; true only the first time (a warning given once)."""
    new = await insert_new(
        session,
        ProcessedEvent,
        [{"community_id": community_id, "event_key": key}],
        ("community_id", "event_key"),
        returning=(ProcessedEvent.event_key,),
    )
    return bool(new)


async def all_communities(session: AsyncSession) -> list[Community]:
    """Every community, for the scheduler's sweeps."""
    return list((await session.exec(select(Community).order_by(col(Community.id)))).all())
