"""Finding and creating communities and members from their platform identities."""

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.kernel._config import LadderConfig
from handlers.kernel._scope import Scope
from handlers.kernel._types import Actor, CommunityRef, DirectMessage, Message, Notice
from models import Community, Member, MemberStatus, ProcessedEvent, Quest, utcnow
from models.queries import insert_new, is_sqlite


async def ensure_community(
    session: AsyncSession, ref: CommunityRef, config: LadderConfig, *, now: datetime | None = None
) -> Community:
    """Return the stored community, creating it (and its quests) the first time it is seen.

    Race-free: the row goes in with ``INSERT … ON CONFLICT DO NOTHING``, so when two first
    commands (or replicas) meet, the second waits for the first's commit and reads its row.
    """
    community = await find_community(session, ref)
    if community is not None:
        return community
    row = {
        "platform": ref.platform,
        "external_id": ref.external_id,
        "name": ref.name,
        "timezone": config.digest.timezone,
        "digest_channel": config.digest.channel,
        "digest_cron": None,
        "created_at": now or utcnow(),
    }
    created = await insert_new(
        session, Community, [row], ("platform", "external_id"), returning=(Community.id,)
    )
    community = await find_community(session, ref)
    assert community is not None, "a community inserted or found by its key is there"
    if created:
        await sync_quests(session, community, config)
    return community


def community_ref(community: Community) -> CommunityRef:
    """The platform identity of a stored community, which is how the chat port names it."""
    return CommunityRef(community.platform, community.external_id, community.name)


async def find_community(session: AsyncSession, ref: CommunityRef) -> Community | None:
    """The stored community of a platform identity, if any."""
    statement = select(Community).where(
        Community.platform == ref.platform, Community.external_id == ref.external_id
    )
    return (await session.exec(statement)).first()


async def sync_quests(session: AsyncSession, community: Community, config: LadderConfig) -> None:
    """Make the community's quest table match the config (quests removed are deactivated).

    One upsert per quest key, so two syncs at once both end in the config's quests.
    """
    assert community.id is not None
    rows = [
        {
            "community_id": community.id,
            "key": rule.key,
            "level": rule.level,
            "title": rule.title,
            "description": rule.description,
            "points": rule.points,
            "active": True,
        }
        for rule in config.quests
    ]
    if rows:
        table = Quest.__table__  # type: ignore[attr-defined]
        insert = sqlite.insert(table) if is_sqlite(session) else postgresql.insert(table)
        statement = insert.on_conflict_do_update(
            index_elements=["community_id", "key"],
            set_={
                name: insert.excluded[name] for name in ("level", "title", "description", "points", "active")
            },
        )
        await session.execute(statement, rows)
    keys = [rule.key for rule in config.quests]
    await session.execute(
        update(Quest)
        .where(col(Quest.community_id) == community.id, col(Quest.key).not_in(keys))
        .values(active=False)
    )


def is_manager(config: LadderConfig, platform: str, actor: Actor) -> bool:
    """The one rule for managers: the platform's own admin flag, or a listing in the config."""
    return actor.is_admin or config.managers.lists(platform, actor.external_id)


async def ensure_member(scope: Scope, actor: Actor, *, at: datetime | None = None) -> Member:
    """Return the member behind a platform identity, creating them as a Newcomer if new.

    Seeing a member keeps their display name and the platform's admin flag current. Race-free
    like :func:`ensure_community`: a new member's quick commands (or replicas) create one row.
    """
    member = await find_member(scope, actor.external_id)
    manager = is_manager(scope.config, scope.community.platform, actor)
    if member is None:
        joined = at or scope.now
        row = {
            "community_id": scope.community_id,
            "platform": scope.community.platform,
            "external_id": actor.external_id,
            "display_name": (actor.display_name or actor.external_id)[:200],
            "level": 0,
            "status": MemberStatus.ACTIVE.value,
            "skills": "",
            "is_bot": actor.is_bot,
            "is_manager": manager,
            "joined_at": joined,
            "level_since": joined,
            "last_active_at": None,
        }
        await insert_new(scope.session, Member, [row], ("community_id", "platform", "external_id"))
        member = await find_member(scope, actor.external_id)
        assert member is not None, "a member inserted or found by their key is there"
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
    return [DirectMessage(m.external_id, message) for m in await managers(scope.session, scope.community_id)]


async def dm_notice(scope: Scope, member_id: int, message: Message) -> list[Notice]:
    """A DM to a stored member by primary key (nothing if the row is gone)."""
    member = await scope.session.get(Member, member_id)
    return [] if member is None else [DirectMessage(member.external_id, message)]


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
