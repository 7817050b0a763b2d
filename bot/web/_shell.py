"""Sign-in links from the shell: ``ladder dashboard --community …`` and ``ladder demo --serve``."""

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.dashboard import find_community
from handlers.kernel import Clock, managers
from handlers.signin import DashboardAddress, issue_link, signin_url
from models import Community, Member, MemberStatus


class NoLinkError(Exception):
    """No link can be issued as asked; the text says why and what to type instead (one line)."""


async def named_community(session: AsyncSession, name: str) -> Community:
    """A community by its number (``3``) or its platform identity (``slack:T0123``)."""
    community = await find_community(session, name)
    if community is not None:
        return community
    known = (await session.exec(select(Community).order_by(col(Community.id)).limit(10))).all()
    listed = ", ".join(f"{c.id} ({c.platform}:{c.external_id})" for c in known) or "none yet"
    raise NoLinkError(
        f"No community {name.strip()[:40]!r} in this database: give its number or platform:id. "
        f"Known communities: {listed}."
    )


async def pick_manager(session: AsyncSession, community: Community, external_id: str | None) -> Member:
    """The manager named, or the community's first known manager."""
    assert community.id is not None
    label = community.name or f"{community.platform}:{community.external_id}"
    if external_id is None:
        known = await managers(session, community.id)
        if not known:
            raise NoLinkError(
                f"No manager of {label} is known yet: name one with --manager <their platform id> "
                "(an admin, or someone listed under [managers] in the config, who has used Ladder)."
            )
        return known[0]
    member = (
        await session.exec(
            select(Member).where(Member.community_id == community.id, Member.external_id == external_id)
        )
    ).first()
    if member is None or member.status == MemberStatus.FORGOTTEN:
        raise NoLinkError(f"--manager {external_id[:40]!r}: no such member of {label}.")
    if not member.is_manager:
        raise NoLinkError(f"--manager {external_id[:40]!r} is not a manager of {label}.")
    return member


async def shell_link(
    sessions: async_sessionmaker[AsyncSession],
    address: DashboardAddress,
    clock: Clock,
    *,
    community: str,
    manager: str | None = None,
) -> tuple[str, Member, Community]:
    """Issue a one-time link for a manager of a community: the URL, to whom, and where."""
    async with sessions() as session, session.begin():
        found = await named_community(session, community)
        member = await pick_manager(session, found, manager)
        assert found.id is not None and member.id is not None
        token = await issue_link(session, community_id=found.id, member_id=member.id, now=clock.now())
    return signin_url(address, token), member, found
