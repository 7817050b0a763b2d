"""The live intake under load: batches commit once, with their catch-up cursors, without waiting
for the previous batch's DMs, and a shutdown sends the notices of everything already committed."""

import asyncio

from discord_harness import Recorder, Running
from fake_discord import CHANNELS, GUILD, FakeDiscord, uid
from sqlmodel import col, select
from test_discord_events import register_manager, settle

from models import ChannelCursor, Question

ASKERS = ("alice", "bob", "carol", "cleo", "mara")


async def recorded_questions(live: Running, count: int) -> list[str]:
    """Wait (at most 5 s, polling the database) until ``count`` questions are stored; their text."""
    async with asyncio.timeout(5):
        while True:
            async with live.sessions() as session:
                rows = (await session.exec(select(Question.text).order_by(col(Question.id)))).all()
            if len(rows) >= count:
                return list(rows)
            await asyncio.sleep(0.005)


async def test_a_help_message_is_stored_together_with_its_channel_cursor(
    live: Running, fake: FakeDiscord
) -> None:
    """The moment Alice's question is in the database, the help channel's catch-up cursor is at it:
    both commit in one transaction, so a crash right after cannot leave the cursor behind."""
    asked = await fake.say("alice", "How do I rebase onto main?")
    async with live.sessions() as session:
        async with asyncio.timeout(5):
            while not (await session.exec(select(Question.id))).all():
                await session.rollback()
                await asyncio.sleep(0.001)
        cursors = (await session.exec(select(ChannelCursor.channel_id, ChannelCursor.message_id))).all()
    assert cursors == [(CHANNELS["help"], int(asked))]


async def test_a_slow_dm_does_not_hold_up_the_next_question(live: Running, fake: FakeDiscord) -> None:
    """Discord is slow to take Alice's DMs; Bob's question is still recorded meanwhile, and once
    Discord takes messages again both askers hear back."""
    fake.sends_open.clear()
    await fake.say("alice", "How do I rebase onto main?")
    await recorded_questions(live, 1)
    await fake.wait_for("POST", r"/users/@me/channels")  # Alice's DM is on its way, and held
    await fake.say("bob", "Why does the docs build fail on Windows?")
    assert len(await recorded_questions(live, 2)) == 2

    fake.sends_open.set()
    await fake.wait_dm(uid("alice"), "Question #1")
    await fake.wait_dm(uid("bob"), "Question #2")


async def test_dms_to_different_members_are_sent_side_by_side(live: Running, fake: FakeDiscord) -> None:
    """Alice's question owes a DM to her and one to Mara (the manager): while Discord is slow,
    both are on their way at once instead of Mara's waiting for Alice's."""
    await register_manager(fake)
    fake.sends_open.clear()
    await fake.say("alice", "How do I rebase onto main?")
    await fake.wait_sends_held(2)
    fake.sends_open.set()
    await fake.wait_dm(uid("alice"), "Question #1")
    await fake.wait_dms(uid("mara"))


async def test_closing_right_after_a_burst_still_sends_every_askers_dm(
    live: Running, fake: FakeDiscord
) -> None:
    """Five people ask four questions each at once and the bot is shut down as soon as the
    questions are stored: every asker still gets the DM about each question (none fails on a
    closed connection)."""
    for n in range(4 * len(ASKERS)):
        await fake.say(ASKERS[n % len(ASKERS)], f"How do I configure the widget number {n}?")
    await recorded_questions(live, 4 * len(ASKERS))
    await live.stop()
    for who in ASKERS:
        assert len([d for d in fake.dms(uid(who)) if "Question #" in d.content and d.created]) == 4, who


async def test_a_burst_reaches_the_core_once_per_event(
    wired: Running, fake: FakeDiscord, recorder: Recorder
) -> None:
    """Fifty messages sent as fast as the gateway can: the core is handed each exactly once (no
    batch is written twice)."""
    sent = [await fake.say(ASKERS[n % len(ASKERS)], f"note {n}", "general") for n in range(50)]
    await settle(wired)
    assert sorted(e.message_id or "" for e in recorder.events_seen) == sorted(sent)
    assert {e.community.external_id for e in recorder.events_seen} == {GUILD}
