"""Limits that keep the ladder honest: open questions, questions a day, invisible text."""

from datetime import timedelta

import pytest
from core_harness import HELP_CHANNEL, INTRO_CHANNEL, START, Harness, config_for_tests
from sqlmodel import col, func, select

from handlers.kernel import ConfigError, EventKind, Routing, parse_config
from models import Question

OPEN_KEY, DAY_KEY = "max_open_questions_per_member", "max_questions_per_member_per_day"
OPEN_LIMIT = (
    "Not asked: you already have 5 open questions waiting for a first reply (#1, #2, #3, #4, #5) "
    "and the limit is 5. A place frees up as soon as someone replies to one of them. "
    "Nothing was posted."
)


async def stored_questions(harness: Harness) -> list[Question]:
    """Every stored question, oldest first."""
    async with harness.ladder.sessions() as session:
        return list((await session.exec(select(Question).order_by(col(Question.id)))).all())


async def test_twenty_three_asks_in_a_row_post_five_and_refuse_the_rest(harness: Harness) -> None:
    """A member asking again and again gets 5 questions out; each later ask is refused with
    the limit and what frees it, and nothing more reaches the channel, helpers or managers."""
    await harness.set_level("helper", 3)
    await harness.say("manager", "skills")
    harness.port.clear()
    replies = []
    for n in range(23):
        harness.later(seconds=1)
        replies.append(await harness.text("eager", f"ask Question {n} about topic{n}?"))
    assert all(r.startswith("Question #") for r in replies[:5])
    assert replies[5:] == [OPEN_LIMIT] * 18
    assert len(harness.port.to("post")) == 5
    assert len([m for m in harness.dms("helper") if m.title == "Can you help?"]) == 4
    assert len(harness.dms("manager")) == 1, "the fifth question found the helper's daily cap"
    assert len(await stored_questions(harness)) == 5


async def test_a_reply_frees_an_open_place(harness: Harness) -> None:
    """Once someone replies to one of the five, the member may ask again."""
    for n in range(5):
        harness.later(seconds=1)
        await harness.say("eager", f"ask Question {n} about topic{n}?")
    assert await harness.text("eager", "ask One more?") == OPEN_LIMIT
    first = (await stored_questions(harness))[0]
    assert first.thread_id is not None
    await harness.post("contrib", "Here is how", thread=first.thread_id)
    harness.later(seconds=1)
    assert (await harness.text("eager", "ask One more?")).startswith("Question #6 ")


async def test_ten_a_day_and_the_refusal_says_when_it_frees_up(harness: Harness) -> None:
    """The eleventh question within 24 hours is refused with the minute the first drops out."""
    routing = Routing(help_channels=(HELP_CHANNEL,), intro_channels=(INTRO_CHANNEL,))
    many_open = routing.model_copy(update={"max_open_questions_per_member": 50})
    harness.ladder.config = config_for_tests(routing=many_open)
    first = START + timedelta(seconds=20)
    harness.clock.set(first)
    for n in range(10):
        await harness.say("eager", f"ask Question {n} about topic{n}?")
        harness.later(minutes=30)
    assert await harness.text("eager", "ask Eleventh?") == (
        "Not asked: you have asked 10 questions in the last 24 hours and the limit is 10 a day. "
        "You can ask again from 06 Jan 09:01 UTC. Nothing was posted."
    )
    harness.clock.set(first + timedelta(hours=24) - timedelta(microseconds=1))
    assert (await harness.text("eager", "ask Eleventh?")).startswith("Not asked:")
    harness.clock.set(first + timedelta(hours=24))
    assert (await harness.text("eager", "ask Eleventh?")).startswith("Question #11 ")


async def test_a_help_channel_post_past_the_limit_is_kept_but_pings_nobody(harness: Harness) -> None:
    """The post is in the channel for all to see, so it is recorded; no helper is pinged and the
    member is told why by DM."""
    await harness.set_level("contrib", 2)
    for n in range(5):
        await harness.post("eager", f"Question {n} about topic{n}?", channel=HELP_CHANNEL)
    harness.port.clear()
    await harness.post("eager", "And another thing?", channel=HELP_CHANNEL)
    assert harness.port.to("dm", "contrib") == []
    (told,) = harness.dms("eager")
    assert told.text.startswith(
        "Question #6 is recorded, but no helper was pinged: you already have 5 open questions"
    )
    sixth = (await stored_questions(harness))[5]
    assert (sixth.text, sixth.next_escalation_at) == ("And another thing?", None)
    await harness.sweep(hours=3)
    assert harness.port.to("dm", "contrib") == [], "the sweep never routes it either"


@pytest.mark.parametrize("invisible", ["\u200b\u200b", "\x00", "\u2060\ufeff\u200d", "\u3164"])
async def test_nothing_visible_is_not_a_question(harness: Harness, invisible: str) -> None:
    """`ask` with zero-width characters or a NUL, or such a help-channel post, opens nothing."""
    await harness.say("manager", "skills")
    harness.port.clear()
    reply = await harness.text("eager", f"ask {invisible}")
    assert reply.startswith("Usage: /ladder ask <text>\n")
    await harness.post("eager", invisible, channel=HELP_CHANNEL)
    assert await stored_questions(harness) == []
    assert harness.port.sent == []


def test_question_limits_are_validated_config() -> None:
    """The limits are settings; nonsense values are refused with their key path."""
    routing = parse_config({"routing": {OPEN_KEY: 2, DAY_KEY: 3}}).routing
    assert (routing.max_open_questions_per_member, routing.max_questions_per_member_per_day) == (2, 3)
    with pytest.raises(ConfigError) as caught:
        parse_config({"routing": {OPEN_KEY: 0, DAY_KEY: "lots"}})
    assert [p.split(":")[0] for p in caught.value.problems] == [f"routing.{OPEN_KEY}", f"routing.{DAY_KEY}"]


async def test_history_import_is_never_limited(harness: Harness) -> None:
    """Questions from an export are history: every one is recorded, however many."""
    events = [
        harness.event(
            EventKind.MESSAGE,
            "eager",
            channel_id=HELP_CHANNEL,
            message_id=f"old{n}",
            text=f"Old question {n} about topic{n}?",
        )
        for n in range(12)
    ]
    await harness.ladder.events(events, live=False)
    async with harness.ladder.sessions() as session:
        assert (await session.exec(select(func.count()).select_from(Question))).one() == 12
