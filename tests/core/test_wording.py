"""What members read is true and well formed: counts agree with their nouns, limits say their
real range."""

from core_harness import HELP_CHANNEL, Harness, config_for_tests
from sqlmodel import col, select

from handlers.kernel import Calls, EventKind, plural
from models import Question


def test_plural_agrees_with_the_count() -> None:
    """One of a thing is singular; zero and many are plural, with irregular forms spelled out."""
    assert [plural(n, "call") for n in (0, 1, 2)] == ["0 calls", "1 call", "2 calls"]
    assert plural(1, "reply", "replies") == "1 reply"
    assert plural(3, "reply", "replies") == "3 replies"


async def test_a_record_of_one_reads_in_the_singular(harness: Harness) -> None:
    """`level` after one accepted answer and one call says "1 accepted answer · 1 call"."""
    await harness.set_level("helper", 2)
    await harness.post("newbie", "How do I run the linter?", channel=HELP_CHANNEL)
    async with harness.ladder.sessions() as session:
        asked = (await session.exec(select(Question).order_by(col(Question.id)))).first()
    assert asked is not None and asked.thread_id is not None
    answer = await harness.post("helper", "Run make lint", channel=HELP_CHANNEL, thread=asked.thread_id)
    await harness.ladder.events([harness.event(EventKind.REACTION, "newbie", message_id=answer, text="✅")])
    await harness.say("manager", 'call new "Triage" need=1')
    await harness.say("helper", "call join 1")
    await harness.say("manager", "call done 1 @helper")
    reply = await harness.text("helper", "level")
    assert " · 1 accepted answer · 1 call · 1 active day." in reply


async def test_need_out_of_range_says_the_configured_range(harness: Harness) -> None:
    """need=0 or a huge number is refused with the real range, read from the config."""
    for need in ("0", "51", "999999999999999999999"):
        reply = await harness.text("manager", f'call new "Sprint" need={need}')
        assert reply.endswith("\nneed= must be a whole number from 1 to 50."), reply
    harness.ladder.config = config_for_tests(calls=Calls(max_need=12))
    reply = await harness.text("manager", 'call new "Sprint" need=13')
    assert reply.endswith("\nneed= must be a whole number from 1 to 12.")
    assert "No open calls right now." in await harness.text("manager", "call list")


async def test_a_deadline_past_a_year_says_at_most_a_year(harness: Harness) -> None:
    """`deadline=99999d` is a duration, only too far: the reply says so."""
    reply = await harness.text("manager", 'call new "Sprint" need=2 deadline=99999d')
    assert reply == (
        'Usage: /ladder call new "<title>" need=<n> [level=<min>] [skills=a,b] [deadline=7d] '
        "[post=yes]\n'99999d' is too far: a duration is at most a year (365d)."
    )
