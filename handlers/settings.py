"""Per-community settings changed by commands: skills, the digest's channel and schedule."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.commands import usage_refusal
from handlers.kernel import Acting, Message, Outcome, cron_problems, timezone_problems
from models import Community


async def skills(acting: Acting, wanted: frozenset[str] | None) -> Outcome:
    """``/ladder skills [a,b]``: show or set the skills calls are matched on."""
    member = acting.member
    if wanted is not None:
        member.skills = ",".join(sorted(wanted))
        acting.scope.session.add(member)
    shown = ", ".join(sorted(member.skill_set)) or "none yet"
    verb = "are now" if wanted is not None else "are"
    return Outcome().reply(
        Message(text=f"Your skills {verb}: {shown}. Calls that need them reach you first.")
    )


async def digest_channel(acting: Acting, channel_id: str) -> Outcome:
    """``/ladder digest channel #ch``: where the scheduled digest is posted."""
    community = acting.scope.community
    community.digest_channel = channel_id
    acting.scope.session.add(community)
    return Outcome().reply(Message(text=f"The digest will be posted in <#{channel_id}>."))


async def digest_schedule(acting: Acting, cron: str, timezone: str | None) -> Outcome:
    """``/ladder digest schedule "<cron>" [tz=…]``: validated before anything changes."""
    problems = cron_problems(cron, "cron") + (timezone_problems(timezone, "tz") if timezone else [])
    if problems:
        raise usage_refusal("digest schedule", problems[0] + ". Nothing was changed.")
    community = acting.scope.community
    community.digest_cron = cron
    if timezone:
        community.timezone = timezone
    acting.scope.session.add(community)
    return Outcome().reply(
        Message(text=f"The digest will be posted on “{cron}” in {community.timezone} time.")
    )


async def all_communities(session: AsyncSession) -> list[Community]:
    """Every community, for the scheduler's sweeps."""
    return list((await session.exec(select(Community).order_by(col(Community.id)))).all())
