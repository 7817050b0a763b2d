"""The digest's channel and schedule, changed by managers' commands."""

from handlers.commands import usage_refusal
from handlers.kernel import Acting, Message, Outcome, cron_problems, timezone_problems


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
