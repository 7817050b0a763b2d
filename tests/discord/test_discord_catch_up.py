"""Catching up after a restart or a reconnect: help-channel messages the gateway never delivered
are read from the channel's history and recorded like live ones, once, within bounds."""

from discord_harness import Running
from fake_discord import FakeDiscord, uid
from sqlmodel import col, select

from models import Answer, Question


async def questions(live: Running) -> list[str]:
    """The recorded questions' text, oldest first."""
    async with live.sessions() as session:
        rows = await session.exec(select(Question.text).order_by(col(Question.id)))
        return list(rows.all())


def history_reads(fake: FakeDiscord) -> int:
    """How many pages of channel history the client asked for."""
    return len([r for r in fake.requests if r.method == "GET" and r.path.endswith("/messages")])


async def test_questions_asked_while_ladder_was_down_are_recorded_at_the_next_start(
    live: Running, fake: FakeDiscord
) -> None:
    """Ladder was down while Bob asked in #help: the next start reads the channel after the last
    message it recorded, routes Bob's question and tells him, and counts Alice's only once."""
    await fake.say("alice", "How do I rebase onto main?")
    await fake.wait_dm(uid("alice"), "Question #1")
    await live.stop()

    await fake.say("bob", "Why does the docs build fail on Windows?", delivered=False)
    client = await live.start()
    await client.caught_up(1)

    assert await questions(live) == [
        "How do I rebase onto main?",
        "Why does the docs build fail on Windows?",
    ]
    await fake.wait_dm(uid("bob"), "Question #2")


async def test_a_reconnect_catches_up_on_what_the_gateway_dropped(live: Running, fake: FakeDiscord) -> None:
    """A session that drops loses events; after the reconnect the help channel is read again."""
    client = live.client
    assert client is not None
    await client.caught_up(1)
    await fake.say("alice", "How do I rebase onto main?")
    await fake.wait_dm(uid("alice"), "Question #1")
    await fake.say("bob", "Why does the docs build fail on Windows?", delivered=False)

    await fake.reconnect()
    await client.caught_up(2)
    assert await questions(live) == [
        "How do I rebase onto main?",
        "Why does the docs build fail on Windows?",
    ]


async def test_thread_replies_missed_while_down_become_answers(live: Running, fake: FakeDiscord) -> None:
    """Replies posted in a question's thread while Ladder was down are answers after the restart."""
    asked = await fake.say("alice", "How do I rebase onto main?")
    await fake.wait_dm(uid("alice"), "Question #1")
    thread = await fake.open_thread(asked)
    await live.stop()

    reply = await fake.say("cleo", "git rebase origin/main", int(thread), delivered=False)
    client = await live.start()
    await client.caught_up(1)
    async with live.sessions() as session:
        assert (await session.exec(select(Answer.source_id))).all() == [reply]
    await fake.wait_dm(uid("alice"), "replied to your question #1")


async def test_catch_up_is_bounded_and_waits_out_rate_limits(live: Running, fake: FakeDiscord) -> None:
    """At most ``catch_up_limit`` messages per channel per catch-up, oldest first; a 429 is waited
    out, not fatal; the next catch-up continues where the last one stopped."""
    live.catch_up_limit = 3
    await fake.say("alice", "How do I rebase onto main?")
    await fake.wait_dm(uid("alice"), "Question #1")
    await live.stop()
    missed = [f"Missed question number {n} about the widget cache?" for n in range(5)]
    for text in missed:
        await fake.say("bob", text, delivered=False)
    fake.throttle_history = 1

    client = await live.start()
    await client.caught_up(1)
    assert await questions(live) == ["How do I rebase onto main?", *missed[:3]]

    await live.restart()
    assert live.client is not None
    await live.client.caught_up(1)
    assert await questions(live) == ["How do I rebase onto main?", *missed]


async def test_a_server_ladder_never_recorded_is_not_read(live: Running, fake: FakeDiscord) -> None:
    """No help message was ever recorded here: there is no gap to catch up, nothing is read."""
    client = live.client
    assert client is not None
    await client.caught_up(1)
    await fake.reconnect()
    await client.caught_up(2)
    assert history_reads(fake) == 0
