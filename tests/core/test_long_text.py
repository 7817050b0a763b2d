"""Long member text is clipped once, the same way live and from history, and never fails a batch."""

from core_harness import COMMUNITY, HELP_CHANNEL, Harness
from sqlmodel import select

from handlers.kernel import Actor, Event, EventKind
from models import Answer, Question

LONG_QUESTION = "How do I keep the widget cache warm between deploys? " + "Here is my config: x=1; " * 250
LONG_REPLY = "Set the cache to persistent and warm it in a post-deploy hook. " * 100


def batch(harness: Harness, prefix: str) -> list[Event]:
    """A help-channel question over 4,000 characters, a long reply in its thread and a chat line."""
    at = harness.clock.now()
    asked = Event(
        EventKind.MESSAGE, COMMUNITY, Actor("ana", "Ana"), at, f"{prefix}q",
        channel_id=HELP_CHANNEL, message_id=f"{prefix}q", text=LONG_QUESTION,
    )  # fmt: skip
    replied = Event(
        EventKind.MESSAGE, COMMUNITY, Actor("ben", "Ben"), at, f"{prefix}r",
        channel_id=HELP_CHANNEL, message_id=f"{prefix}r", thread_id=f"{prefix}q", text=LONG_REPLY,
    )  # fmt: skip
    chat = Event(
        EventKind.MESSAGE, COMMUNITY, Actor("cy", "Cy"), at, f"{prefix}c", channel_id="general", text="hi"
    )
    return [asked, replied, chat]


async def stored(harness: Harness) -> tuple[list[str], list[str]]:
    """The stored questions' and answers' text."""
    async with harness.ladder.sessions() as session:
        questions = list((await session.exec(select(Question.text))).all())
        answers = list((await session.exec(select(Answer.text))).all())
    return questions, answers


async def test_a_long_help_channel_message_is_recorded_clipped_with_its_whole_batch(harness: Harness) -> None:
    """Live: the long question is a question (its text clipped to the columns' 4,000 characters),
    the long reply an answer, and the rest of the batch is recorded with them."""
    assert len(LONG_QUESTION) > 4000 and len(LONG_REPLY) > 4000
    await harness.ladder.events(batch(harness, "live-"))

    questions, answers = await stored(harness)
    assert questions == [LONG_QUESTION[:4000]]
    assert answers == [LONG_REPLY[:4000]]
    told = harness.dm_texts("ana")
    assert "Set the cache to pers" in told and "If it helped" in told  # the asker hears of the reply
    assert (await harness.member("cy")).last_active_at is not None


async def test_history_clips_the_same_text_the_same_way(harness: Harness) -> None:
    """From history, the same messages are stored exactly as the live path stores them."""
    await harness.ladder.events(batch(harness, "old-"), live=False)
    assert await stored(harness) == ([LONG_QUESTION[:4000]], [LONG_REPLY[:4000]])
