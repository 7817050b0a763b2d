"""Acceptance from natural signals, the same live and in history (DESIGN.md, "How Ladder knows an
answer helped"): the asker's mark, positive reaction or thanks makes a reply an accepted answer."""

from datetime import timedelta

import pytest
from conversation_script import Script, accepted, credited, feed, feed_history
from core_harness import Harness
from sqlmodel import select

from models import Question, QuestionStatus

MODES = pytest.mark.parametrize("live", [True, False], ids=["live", "history"])


async def stored_question(harness: Harness) -> Question:
    """The one question of a scenario."""
    async with harness.ladder.sessions() as session:
        return (await session.exec(select(Question))).one()


@MODES
async def test_the_askers_positive_reaction_accepts_and_solves(harness: Harness, live: bool) -> None:
    """👍 by the asker accepts the reply and solves the question; the helper earns 10 points."""
    talk = Script()
    question = talk.ask("ann", "How do I run the tests offline?")
    answer = talk.say("bob", "pytest -q with the fakes", 5, thread=question)
    talk.react("ann", answer, "+1::skin-tone-2", 20)
    await feed(harness, talk.events, live=live)
    assert await accepted(harness) == [("bob", "reaction")]
    assert await credited(harness, "answer_accepted") == [("bob", 10)]
    stored = await stored_question(harness)
    assert stored.status == QuestionStatus.SOLVED and stored.accepted_answer_id == 1


@MODES
async def test_only_the_asker_or_a_managers_explicit_mark_counts(harness: Harness, live: bool) -> None:
    """A stranger's 👍 or ✅ and a manager's 👍 or thanks accept nothing; a manager's ✅ does."""
    talk = Script()
    question = talk.ask("ann", "How do I run the tests offline?")
    answer = talk.say("bob", "pytest -q with the fakes", 5, thread=question)
    talk.react("cat", answer, "👍", 6)
    talk.react("cat", answer, "✅", 7)
    talk.react("manager", answer, "👍", 8)
    talk.say("manager", "thanks bob!", 9, thread=question)
    await feed(harness, talk.events, live=live)
    assert await accepted(harness) == []
    late = Script(start=talk.start)
    late.react("manager", answer, "white_check_mark", 30)
    await feed(harness, late.events, live=live)
    assert await accepted(harness) == [("bob", "explicit")]


@MODES
async def test_thanks_credits_the_latest_reply_by_someone_else(harness: Harness, live: bool) -> None:
    """“thanks!” in the thread credits the latest reply before it, not the asker's own words."""
    talk = Script()
    question = talk.ask("ann", "How do I run the tests offline?")
    talk.say("bob", "try pytest", 5, thread=question)
    talk.say("ann", "that fails with an import error", 8, thread=question)
    talk.say("cat", "install with the test extra first", 10, thread=question)
    talk.say("ann", "Thanks, works now!", 15, thread=question)
    await feed(harness, talk.events, live=live)
    assert await accepted(harness) == [("cat", "thanks")]


@MODES
async def test_thanks_credits_the_reply_it_answers_or_the_helper_it_names(
    harness: Harness, live: bool
) -> None:
    """An inline reply's thanks credits its target; "thanks @bob" credits Bob's latest answer."""
    talk = Script()
    first = talk.ask("ann", "How do I run the tests offline?")
    early = talk.say("bob", "pytest -q", 1, reply_to=first)
    talk.say("cat", "or tox", 2, reply_to=first)
    talk.say("ann", "thanks, that worked", 3, reply_to=early)
    second = talk.ask("dan", "Where are the docs built?", 10)
    talk.say("bob", "in docs/_build", 11, thread=second)
    talk.say("cat", "see the Makefile", 12, thread=second)
    talk.say("dan", "thank you <@bob>", 13, thread=second, mentions=("bob",))
    await feed(harness, talk.events, live=live)
    assert await accepted(harness) == [("bob", "thanks"), ("bob", "thanks")]


@MODES
async def test_thanks_all_credits_each_helper_up_to_three(harness: Harness, live: bool) -> None:
    """“thanks all” credits every helper's latest reply, one accepted answer each, three at most."""
    talk = Script()
    question = talk.ask("ann", "How do I run the tests offline?")
    for minute, helper in enumerate(("bob", "cat", "dan", "eve", "bob"), start=1):
        talk.say(helper, f"idea number {minute}", minute, thread=question)
    talk.say("ann", "thanks all!", 10, thread=question)
    await feed(harness, talk.events, live=live)
    helpers = await accepted(harness)
    assert len(helpers) == 3 and len({who for who, _ in helpers}) == 3
    assert {who for who, _ in helpers} <= {"bob", "cat", "dan", "eve"}


@MODES
async def test_one_accepted_answer_per_helper(harness: Harness, live: bool) -> None:
    """Two replies by the same helper, both acknowledged: one accepted answer, credited once."""
    talk = Script()
    question = talk.ask("ann", "How do I run the tests offline?")
    one = talk.say("bob", "pytest -q", 1, thread=question)
    two = talk.say("bob", "and set CI=1", 2, thread=question)
    talk.react("ann", one, "🙏", 3)
    talk.react("ann", two, "❤️", 4)
    talk.say("ann", "thank you!", 5, thread=question)
    await feed(harness, talk.events, live=live)
    assert await accepted(harness) == [("bob", "reaction")]
    assert await credited(harness, "answer_accepted") == [("bob", 10)]


@MODES
async def test_thanks_outside_the_window_or_before_any_reply_credits_nothing(
    harness: Harness, live: bool
) -> None:
    """Thanks before anyone replied, or more than 24 h after the reply, credit nobody."""
    talk = Script()
    question = talk.ask("ann", "How do I run the tests offline?")
    talk.say("ann", "thanks!", 1, thread=question)
    talk.say("bob", "pytest -q", 5, thread=question)
    talk.say("ann", "thanks, that worked", 5 + 25 * 60, thread=question)
    await feed(harness, talk.events, live=live)
    assert await accepted(harness) == []


@MODES
async def test_nobody_is_credited_on_their_own_question(harness: Harness, live: bool) -> None:
    """The asker's own reply is no answer: their 👍 on it and their thanks credit nothing."""
    talk = Script()
    question = talk.ask("ann", "How do I run the tests offline?")
    own = talk.say("ann", "never mind, found it: pytest -q", 5, thread=question)
    talk.react("ann", own, "✅", 6)
    talk.say("ann", "solved it", 7, thread=question)
    await feed(harness, talk.events, live=live)
    assert await accepted(harness) == []
    assert await credited(harness, "answer_given") == []


async def test_the_button_accepts_a_second_helper_and_refuses_a_fourth(harness: Harness) -> None:
    """“This answered it” accepts up to three helpers' answers; then it says why it cannot."""
    talk = Script()
    question = talk.ask("newbie", "How do I run the tests offline?")
    for minute, helper in enumerate(("bob", "cat", "dan", "eve"), start=1):
        talk.say(helper, f"idea number {minute}", minute, thread=question)
    await feed(harness, talk.events, live=True)
    buttons = [m.buttons[0] for m in harness.dms("newbie") if m.title == "Someone answered"]
    replies = [await harness.press("newbie", b.action, b.value) for b in buttons]
    assert replies[:3] == ["Marked as an answer to #1. Thank you!"] * 3
    assert replies[3] == "Question #1 already has 3 accepted answers."
    assert await harness.press("newbie", buttons[0].action, buttons[0].value) == (
        "That answer to question #1 is already accepted."
    )
    assert "Only the asker or a manager" in await harness.press(
        "stranger", buttons[3].action, buttons[3].value
    )
    assert [who for who, _ in await accepted(harness)] == ["bob", "cat", "dan"]


async def test_without_threads_the_askers_thanks_finds_the_reply_it_means(harness: Harness) -> None:
    """History without threads: Bob answers without addressing Ann; Ann's "thanks!" (her
    follow-up, as the reader links it) makes his message the accepted answer. Cat's chat
    addressed to someone else, and a two-word "same here", are never taken for answers."""
    talk = Script(channel="general")
    question = talk.ask("ann", "How do I run the tests offline?")
    talk.say("bob", "pytest -q with the loopback fakes", 3)
    talk.say("cat", "<@dan> lunch at noon?", 4, mentions=("dan",))
    talk.say("dan", "same here", 5)
    talk.say("ann", "thanks!", 8, thread=question)
    await feed_history(harness, talk.events, questions={question})
    assert await accepted(harness) == [("bob", "thanks")]
    async with harness.ladder.sessions() as session:
        stored = (await session.exec(select(Question))).one()
    assert stored.first_response_at == talk.start + timedelta(minutes=3)


async def test_a_channel_with_threads_is_not_searched(harness: Harness) -> None:
    """Where the channel keeps conversations in threads, a thanks with no reply in its thread
    credits nobody: the channel's other messages are other conversations."""
    talk = Script(channel="general")
    question = talk.ask("ann", "How do I run the tests offline?")
    other = talk.ask("eve", "Where are the docs?", 1)
    talk.say("bob", "pytest -q with the loopback fakes", 3)
    talk.say("cat", "in the docs folder", 4, thread=other)
    talk.say("ann", "thanks!", 8, thread=question)
    await feed_history(harness, talk.events, questions={question, other})
    assert await accepted(harness) == []


@MODES
async def test_the_askers_thanks_in_a_help_channel_without_threads(harness: Harness, live: bool) -> None:
    """A help channel without threads: Bob replies inline; Ann's plain "thanks!" there is a
    follow-up of her question (not a new one) and accepts his answer."""
    talk = Script()
    question = talk.ask("ann", "How do I run the tests offline?")
    talk.say("bob", "pytest -q with the loopback fakes", 3, reply_to=question)
    talk.say("ann", "thanks, that worked!", 8)
    await feed(harness, talk.events, live=live)
    assert await accepted(harness) == [("bob", "thanks")]
    async with harness.ladder.sessions() as session:
        assert len((await session.exec(select(Question))).all()) == 1
