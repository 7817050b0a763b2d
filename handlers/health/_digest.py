"""The scheduled digest: work out the period that is due, claim it, then post it — at most once.

A period runs from the schedule's previous firing to its latest one, in the community's time zone.
Before anything is posted the period is claimed with one ``INSERT … ON CONFLICT DO NOTHING`` on
``digest (community_id, period_start)``: whoever inserts the row posts, everyone else (a restart, a
retry, a second instance) finds it taken and does nothing. A claim whose post the platform refused
is marked ``failed`` and is taken back by the next attempt (the catch-up on the next
start). A crash between claim and post
leaves the period unposted rather than risk posting it twice.
"""

import asyncio
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.health._figures import build_report
from handlers.health._period import Period
from handlers.health._words import report_message
from handlers.kernel import (
    ChatError,
    CronSchedule,
    LadderConfig,
    Message,
    Scope,
    Visibility,
    Wiring,
    community_ref,
    cron_problems,
    cron_schedule,
    record_once,
)
from models import Community, Digest, DigestStatus, Member
from models.queries import insert_new

log = logging.getLogger(__package__)  # named for the capability, not its private module


LATE_AFTER = timedelta(minutes=15)
"""A digest posted more than this after its due time says it is late."""

NO_CHANNEL_WARNING = "warned:digest-channel"
_TICK = timedelta(microseconds=1)


class DigestOutcome(StrEnum):
    """What one attempt to post a period's digest did."""

    POSTED = "posted"
    ALREADY_CLAIMED = "already claimed"
    NO_CHANNEL = "no channel"
    FAILED = "failed"
    NOT_DUE = "not due"


def schedule_of(community: Community, config: LadderConfig) -> tuple[str, str]:
    """The community's cron and time zone, falling back to the config's.

    A stored cron that today's rules refuse (one saved before the digest was held to once per
    24 hours) gives way to the config's, so no old row can post every minute.
    """
    cron = community.digest_cron
    return (
        cron if cron and not cron_problems(cron) else config.digest.cron,
        community.timezone or config.digest.timezone,
    )


def latest_period(schedule: CronSchedule, now: datetime, fallback: timedelta) -> Period | None:
    """The most recent period that has ended by ``now``: from the schedule's previous firing to
    its latest one (``fallback`` long when there was none before)."""
    end = schedule.last_at_or_before(now)
    if end is None:
        return None
    start = schedule.last_at_or_before(end - _TICK) or end - fallback
    return Period(start, end)


async def post_latest(app: Wiring, community_id: int) -> DigestOutcome:
    """Post the digest of the community's latest period unless posted or past the grace window.

    The scheduler's cron job and the catch-up on start both call this: on time it posts plainly;
    more than :data:`LATE_AFTER` after the due time it says it is late; past
    ``config.digest.late_grace_hours`` it leaves the period alone.
    """
    now = app.clock.now()
    async with app.sessions() as session:
        community = await session.get(Community, community_id)
        first_seen = await _first_seen(session, community)
    if community is None or first_seen is None:
        return DigestOutcome.NOT_DUE
    cron, timezone = schedule_of(community, app.config)
    fallback = timedelta(days=app.config.digest.period_days)
    period = latest_period(cron_schedule(cron, timezone), now, fallback)
    grace = timedelta(hours=app.config.digest.late_grace_hours)
    if period is None or now - period.end > max(grace, LATE_AFTER):
        return DigestOutcome.NOT_DUE
    if period.end <= first_seen:
        return DigestOutcome.NOT_DUE
    return await post_digest(app, community_id, period, late=now - period.end > LATE_AFTER)


async def _first_seen(session: AsyncSession, community: Community | None) -> datetime | None:
    """When the community began: its row, or its earliest member if history was imported.

    Periods that ended before then are never posted (no "late" digest for a week before set-up).
    """
    if community is None:
        return None
    earliest = (
        await session.exec(select(func.min(Member.joined_at)).where(Member.community_id == community.id))
    ).one()
    return min(community.created_at, earliest) if earliest is not None else community.created_at


async def post_digest(app: Wiring, community_id: int, period: Period, *, late: bool = False) -> DigestOutcome:
    """Claim ``period`` for the community, then build and post its digest (at most once)."""
    community, claimed = await _claim(app, community_id, period, late=late)
    if community is None:
        return DigestOutcome.NOT_DUE
    if community.digest_channel is None:
        await _warn_no_channel(app, community)
        return DigestOutcome.NO_CHANNEL
    if claimed is None:
        log.info(
            "digest for %s already claimed",
            period.start.isoformat(),
            extra={"community": community_id, "kind": "digest_skipped"},
        )
        return DigestOutcome.ALREADY_CLAIMED
    message = await _build(app, community, period, late=late)
    try:
        assert message.image is not None
        ref = await app.port.upload_image(
            community_ref(community), community.digest_channel, message.image, message
        )
    except ChatError as error:
        await _mark_failed(app, community, claimed, error)
        return DigestOutcome.FAILED
    async with app.sessions() as session, session.begin():
        await session.exec(
            update(Digest)
            .where(col(Digest.id) == claimed)
            .values(
                status=DigestStatus.POSTED,
                posted_at=app.clock.now(),
                channel_id=ref.channel_id,
                message_id=ref.message_id,
            )
        )
    app.observer.digest_posted(late=late)
    log.info(
        "digest posted%s",
        " late" if late else "",
        extra={"community": community_id, "kind": "digest_posted"},
    )
    return DigestOutcome.POSTED


async def _claim(
    app: Wiring, community_id: int, period: Period, *, late: bool
) -> tuple[Community | None, int | None]:
    """Take the period (a new row, or a ``failed`` one taken back); return the claim's id."""
    now = app.clock.now()
    async with app.sessions() as session, session.begin():
        community = await session.get(Community, community_id)
        if community is None or community.digest_channel is None:
            return community, None
        row = {
            "community_id": community_id,
            "period_start": period.start,
            "period_end": period.end,
            "status": DigestStatus.CLAIMED,
            "claimed_at": now,
            "late": late,
        }
        new = await insert_new(
            session, Digest, [row], ("community_id", "period_start"), returning=(Digest.id,)
        )
        if new:
            return community, int(new[0][0])
        retaken = await session.exec(
            update(Digest)
            .where(
                col(Digest.community_id) == community_id,
                col(Digest.period_start) == period.start,
                col(Digest.status) == DigestStatus.FAILED,
            )
            .values(status=DigestStatus.CLAIMED, claimed_at=now, late=late)
            .returning(col(Digest.id))
        )
        again = retaken.scalar_one_or_none()
        return community, again


async def _build(app: Wiring, community: Community, period: Period, *, late: bool) -> Message:
    """The digest message for the channel; rendering the chart runs off the event loop."""
    async with app.sessions() as session, session.begin():
        scope = Scope(session, app.config, app.clock.now(), community)
        report = await build_report(scope, period.start, period.end)
    message = await asyncio.to_thread(report_message, report, app.config, visibility=Visibility.CHANNEL)
    if not late:
        return message
    due = f"{period.end:%a %d %b %Y %H:%M} UTC"
    return replace(
        message,
        text=f"This digest is late: it was due {due}, when Ladder was not running.\n{message.text}",
    )


async def _mark_failed(app: Wiring, community: Community, claim: int, error: ChatError) -> None:
    """Release the claim for a later start and tell the managers why nothing was posted."""
    log.error(
        "digest could not be posted in %s: %s",
        community.digest_channel,
        error,
        extra={"community": community.id, "kind": "digest_failed"},
    )
    async with app.sessions() as session, session.begin():
        await session.exec(update(Digest).where(col(Digest.id) == claim).values(status=DigestStatus.FAILED))
    hint = " Invite the bot to that channel or choose another with `/ladder digest channel #channel`."
    text = f"The scheduled digest could not be posted in <#{community.digest_channel}>: {error}.{hint}"
    await app.delivery.tell_managers(community, Message(text=text, title="Digest not posted"))


async def _warn_no_channel(app: Wiring, community: Community) -> None:
    """Tell the managers, once per community, that the digest has nowhere to go."""
    assert community.id is not None
    async with app.sessions() as session, session.begin():
        first = await record_once(session, community.id, NO_CHANNEL_WARNING)
    log.info("digest skipped: no channel", extra={"community": community.id, "kind": "digest_no_channel"})
    if first:
        text = (
            "The scheduled digest was not posted: no digest channel is set. "
            "Choose one with `/ladder digest channel #channel`."
        )
        await app.delivery.tell_managers(community, Message(text=text, title="Digest has no channel"))
