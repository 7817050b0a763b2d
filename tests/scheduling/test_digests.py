"""The scheduled digest: one per period across restarts and instances, late on start, no channel."""

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from scheduling_harness import DIGEST_CHANNEL, MANAGER, MONDAY_9, Deployment
from sqlmodel import select

from bot.database import session_factory
from handlers.health import DigestOutcome, Period, post_digest
from handlers.kernel import ChatError, CommunityRef, FakeChatPort, Image, Message, MessageRef, Visibility
from models import Digest

WEEK = timedelta(weeks=1)


async def test_one_digest_per_period_across_a_restart(deployment: Deployment) -> None:
    """A restart, and the cron job firing again, never post a period's digest a second time."""
    community = await deployment.community_id()
    first = deployment.instance()
    handle = await first.start()
    assert handle.catch_up is not None
    assert await handle.catch_up == {community: DigestOutcome.NOT_DUE}

    deployment.clock.set(MONDAY_9 + timedelta(seconds=1))
    assert await handle.jobs.digest(community) is DigestOutcome.POSTED
    await first.stop()

    second = deployment.instance()
    restarted = await second.start()
    assert restarted.catch_up is not None
    assert await restarted.catch_up == {community: DigestOutcome.ALREADY_CLAIMED}
    assert await restarted.jobs.digest(community) is DigestOutcome.ALREADY_CLAIMED

    [posted] = first.digests()
    assert posted.title == "Ladder health: Gardeners"
    assert posted.visibility is Visibility.CHANNEL
    assert "Period: Mon 29 Dec 2025 09:00 to Mon 05 Jan 2026 09:00 (UTC)" in posted.text
    assert not posted.text.startswith("This digest is late")
    assert second.digests() == []

    deployment.clock.advance(WEEK)
    assert await restarted.jobs.digest(community) is DigestOutcome.POSTED
    [next_week] = second.digests()
    assert "to Mon 12 Jan 2026 09:00 (UTC)" in next_week.text


async def test_two_instances_claiming_the_same_period_post_it_once(deployment: Deployment) -> None:
    """Two processes racing for one period: exactly one posts, the other finds it claimed."""
    community = await deployment.community_id()
    left, right = deployment.instance(), deployment.instance()
    period = Period(MONDAY_9 - WEEK, MONDAY_9)
    deployment.clock.set(MONDAY_9)

    outcomes = await asyncio.gather(
        post_digest(left.ladder, community, period), post_digest(right.ladder, community, period)
    )

    assert sorted(outcomes) == sorted([DigestOutcome.POSTED, DigestOutcome.ALREADY_CLAIMED])
    assert len(left.digests()) + len(right.digests()) == 1
    async with session_factory(deployment.engine)() as session:
        [row] = (await session.exec(select(Digest))).all()
    assert row.status == "posted"
    assert row.channel_id == DIGEST_CHANNEL


async def test_missed_digest_is_posted_once_on_start_and_says_it_is_late(
    deployment: Deployment,
) -> None:
    """Down at 09:00 and back at noon: the digest goes out at start, once, marked late."""
    community = await deployment.community_id()
    deployment.clock.set(MONDAY_9 + timedelta(hours=3))
    first = deployment.instance()
    handle = await first.start()
    assert handle.catch_up is not None
    assert await handle.catch_up == {community: DigestOutcome.POSTED}
    await first.stop()
    again = await deployment.instance().start()
    assert again.catch_up is not None
    assert await again.catch_up == {community: DigestOutcome.ALREADY_CLAIMED}

    [late] = first.digests()
    assert late.text.startswith(
        "This digest is late: it was due Mon 05 Jan 2026 09:00 UTC, when Ladder was not running."
    )


async def test_digest_missed_beyond_the_grace_window_is_not_posted(deployment: Deployment) -> None:
    """A digest more than late_grace_hours old is stale: nothing is posted on start."""
    community = await deployment.community_id()
    deployment.clock.set(MONDAY_9 + timedelta(hours=25))
    instance = deployment.instance()
    handle = await instance.start()
    assert handle.catch_up is not None
    assert await handle.catch_up == {community: DigestOutcome.NOT_DUE}
    assert instance.digests() == []


async def test_no_channel_tells_managers_once_and_posts_nothing(deployment: Deployment) -> None:
    """Without a digest channel the managers hear about it once, not every period."""
    other = deployment.instance()
    ctx_text = await deployment.manager_says("help")
    assert ctx_text
    community = await deployment.community_id()
    async with session_factory(deployment.engine)() as session, session.begin():
        from models import Community

        row = await session.get(Community, community)
        assert row is not None
        row.digest_channel = None
    deployment.clock.set(MONDAY_9)
    handle = await other.start()
    assert await handle.jobs.digest(community) is DigestOutcome.NO_CHANNEL
    deployment.clock.advance(WEEK)
    assert await handle.jobs.digest(community) is DigestOutcome.NO_CHANNEL

    [warning] = [s.message for s in other.port.to("dm", MANAGER) if s.message]
    assert warning.text.startswith("The scheduled digest was not posted: no digest channel is set.")
    assert "/ladder digest channel #channel" in warning.text
    assert other.port.to("upload_image") == []


@dataclass
class RefusingUploads(FakeChatPort):
    """A platform where the bot is not in the digest channel: uploads fail, DMs work."""

    refuse_uploads: bool = True

    async def upload_image(
        self, community: CommunityRef, channel_id: str, image: Image, message: Message
    ) -> MessageRef:
        """Refuse while ``refuse_uploads`` is set."""
        if self.refuse_uploads:
            raise ChatError("not_in_channel")
        return await super().upload_image(community, channel_id, image, message)


async def test_refused_post_tells_managers_and_is_retried_once_on_next_start(
    deployment: Deployment,
) -> None:
    """A channel the bot cannot post in: managers learn why; the next start posts it once."""
    community = await deployment.community_id()
    port = RefusingUploads()
    broken = deployment.instance(port)
    deployment.clock.set(MONDAY_9)
    handle = await broken.start()
    assert handle.catch_up is not None
    assert await handle.catch_up == {community: DigestOutcome.FAILED}
    [told] = [s.message for s in port.to("dm", MANAGER) if s.message]
    assert told.text.startswith(
        f"The scheduled digest could not be posted in <#{DIGEST_CHANNEL}>: not_in_channel."
    )
    await broken.stop()

    port.refuse_uploads = False
    deployment.clock.advance(timedelta(minutes=5))
    fixed = await deployment.instance(port).start()
    assert fixed.catch_up is not None
    assert await fixed.catch_up == {community: DigestOutcome.POSTED}
    assert await fixed.jobs.catch_up() == {community: DigestOutcome.ALREADY_CLAIMED}
    assert len(port.to("upload_image", DIGEST_CHANNEL)) == 1
