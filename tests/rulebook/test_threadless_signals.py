"""History without threads: the asker's signal shows which message answered, however late.

A reader links a threadless reply to a question only when it is addressed or comes soon (two
hours); a realistic generated community (``tests/exportgen``) showed most acknowledgements in
old Slack and DiscordChatExporter archives coming later than that, or as a reaction on an
unaddressed reply. The asker's thanks or positive reaction within the thanks window shows the
answer as well as a thread would (DESIGN.md, "How Ladder knows an answer helped").
"""

import pytest
from conversation_script import Script, accepted, credited, feed_history
from core_harness import Harness
from sqlmodel import col, select

from models import Answer, Question


async def accepted_answers(harness: Harness) -> list[str]:
    """The text of every accepted answer: what Ladder offers later askers as "Answer: …"."""
    async with harness.ladder.sessions() as session:
        rows = await session.exec(select(Answer.text).where(col(Answer.accepted_at).is_not(None)))
        return list(rows.all())


async def statuses(harness: Harness) -> list[str]:
    """Every question's status, in the order they were asked."""
    async with harness.ladder.sessions() as session:
        rows = await session.exec(select(Question.status).order_by(col(Question.id)))
        return [str(status) for status in rows.all()]


async def test_a_late_thanks_in_the_channel_finds_its_answer(harness: Harness) -> None:
    """Bob answers three hours after Ann's question, unaddressed; her "thanks!" an hour later,
    outside the reader's two-hour linking, still accepts his answer."""
    talk = Script(channel="general")
    question = talk.ask("ann", "How do I run the tests offline?")
    talk.say("bob", "pytest -q with the loopback fakes", 180)
    talk.say("ann", "thanks, works now!", 240)
    await feed_history(harness, talk.events, questions={question})
    assert await accepted(harness) == [("bob", "thanks")]


async def test_a_thanks_a_day_after_the_question_credits_nothing(harness: Harness) -> None:
    """Outside the thanks window the asker's "thanks!" is chat, not a signal."""
    talk = Script(channel="general")
    question = talk.ask("ann", "How do I run the tests offline?")
    talk.say("bob", "pytest -q with the loopback fakes", 60 * 20)
    talk.say("ann", "thanks!", 60 * 25)
    await feed_history(harness, talk.events, questions={question})
    assert await accepted(harness) == []


async def test_the_askers_reaction_on_an_unaddressed_reply_accepts_it(harness: Harness) -> None:
    """Ann's 👍 on Bob's unaddressed message after her question makes it her accepted answer."""
    talk = Script(channel="general")
    question = talk.ask("ann", "How do I run the tests offline?")
    reply = talk.say("bob", "pytest -q with the loopback fakes", 90)
    talk.react("ann", reply, "+1", 90)
    await feed_history(harness, talk.events, questions={question})
    assert await accepted(harness) == [("bob", "reaction")]


async def test_the_askers_reaction_on_chat_is_not_an_answer(harness: Harness) -> None:
    """Ann's 👍 on a message addressed to someone else, on two words, on her own message, on a
    message older than her question or hours after it (a reaction says less than thanks: chatty
    members 👍 everything) accepts nothing."""
    talk = Script(channel="general")
    before = talk.say("bob", "the new release is out today", 0)
    question = talk.ask("ann", "How do I run the tests offline?", 1)
    lunch = talk.say("cat", "<@dan> lunch at noon today?", 4, mentions=("dan",))
    short = talk.say("dan", "same here", 5)
    own = talk.say("ann", "I tried reinstalling everything twice", 6)
    later = talk.say("bob", "the conference videos are online now", 60 * 3)
    for message, minutes in ((before, 0), (lunch, 4), (short, 5), (own, 6), (later, 60 * 3)):
        talk.react("ann", message, "+1", minutes)
    await feed_history(harness, talk.events, questions={question})
    assert await accepted(harness) == []


async def test_in_a_channel_with_threads_a_reaction_on_chat_is_not_an_answer(harness: Harness) -> None:
    """Where the channel keeps conversations in threads, a 👍 on a channel message is chat."""
    talk = Script(channel="general")
    question = talk.ask("ann", "How do I run the tests offline?")
    other = talk.ask("eve", "Where are the docs?", 1)
    talk.say("cat", "in the docs folder", 2, thread=other)
    message = talk.say("bob", "pytest -q with the loopback fakes", 3)
    talk.react("ann", message, "+1", 3)
    await feed_history(harness, talk.events, questions={question, other})
    assert await accepted(harness) == []


async def test_a_thanks_naming_a_helper_finds_their_unlinked_reply(harness: Harness) -> None:
    """Bob's reply is linked (it names Ann); Cat's came later, unaddressed. Ann's "thanks @cat"
    credits Cat's message, not Bob's reply and not nothing."""
    talk = Script(channel="general")
    question = talk.ask("ann", "How do I run the tests offline?")
    talk.say("bob", "<@ann> try the offline flag", 10, thread=question, mentions=("ann",))
    talk.say("cat", "pytest -q with the loopback fakes", 180)
    talk.say("ann", "thank you <@cat>, that did it", 190, mentions=("cat",))
    await feed_history(harness, talk.events, questions={question})
    assert await accepted(harness) == [("cat", "thanks")]


async def test_a_plain_thanks_credits_the_latest_reply_linked_or_not(harness: Harness) -> None:
    """Bob's early reply names Ann (so the reader links it); Cat answers later without naming
    anyone. Ann's plain "works now, thanks" credits the latest reply before it: Cat's."""
    talk = Script(channel="general")
    question = talk.ask("ann", "How do I run the tests offline?")
    talk.say("bob", "<@ann> try the offline flag", 10, thread=question, mentions=("ann",))
    talk.say("cat", "pytest -q with the loopback fakes", 50)
    talk.say("ann", "works now, thanks", 55, thread=question)
    await feed_history(harness, talk.events, questions={question})
    assert await accepted(harness) == [("cat", "thanks")]


async def test_a_discord_channel_with_a_thread_still_keeps_conversations_inline(harness: Harness) -> None:
    """Discord help channels hold inline conversations (Discord's reply) beside a few threads:
    one thread there does not make Ann's plain thanks skip Bob's unlinked answer in the channel."""
    talk = Script(channel="general")
    other = talk.ask("eve", "Where are the docs?")
    talk.say("cat", "in the docs folder", 1, thread=other)
    talk.say("dan", "see the readme too, it links them", 2, reply_to=other)
    question = talk.ask("ann", "How do I run the tests offline?", 3)
    talk.say("bob", "pytest -q with the loopback fakes", 100)
    talk.say("ann", "thanks, works now!", 110, thread=question)
    await feed_history(harness, talk.events, questions={question, other})
    assert await accepted(harness) == [("bob", "thanks")]


async def test_a_thanks_after_a_short_unrelated_reply_credits_nothing(harness: Harness) -> None:
    """Modelled on a real 2015 Slack conversation: Bob answers Ann's question ("yes, and yes"),
    they move on to a README and a pull request, and 13 minutes later Bob says "merged" and Ann
    "thanks". Her thanks follows "merged": it credits no answer, least of all Bob's chat before
    it ("it's probably better than what i wrote in haste"), which later askers would be offered."""
    talk = Script(channel="general")
    question = talk.ask("ann", "is the visited column for visits to the page? and the app too?")
    talk.say("bob", "<@ann>: Yes, and yes", 0.3, thread=question, mentions=("ann",))
    talk.say("bob", "just updated the README accordingly", 4.5)
    talk.say("ann", "Halfway through a pull request", 4.8, thread=question)
    talk.say("bob", "still, do it", 4.9)
    talk.say("bob", "it's probably better than what i wrote in haste", 5)
    talk.say("bob", "merged", 18.3)
    talk.say("ann", "thanks", 18.5, thread=question)
    await feed_history(harness, talk.events, questions={question})
    assert await accepted_answers(harness) == []
    assert await statuses(harness) == ["answered"]
    assert [who for who, _ in await credited(harness, "answer_given")] == ["bob"]


async def test_a_short_closing_line_stands_for_the_answer_just_before_it(harness: Harness) -> None:
    """Bob answers, then adds "hope that helps" and a smile: Ann's "thanks" after them credits
    his answer, the words a later asker needs, not his closing line."""
    talk = Script(channel="general")
    question = talk.ask("ann", "How do I run the tests offline?")
    talk.say("bob", "pytest -q with the loopback fakes", 30)
    talk.say("bob", "hope that helps", 31)
    talk.say("bob", ":)", 32.5)
    talk.say("ann", "thanks!", 34, thread=question)
    await feed_history(harness, talk.events, questions={question})
    assert await accepted_answers(harness) == ["pytest -q with the loopback fakes"]
    assert await statuses(harness) == ["solved"]


async def test_a_short_reply_after_someone_else_spoke_stands_for_nothing(harness: Harness) -> None:
    """Bob answers; Cat writes; Bob says "ok": with someone else in between, Ann's "thanks"
    after Bob's "ok" cannot tell which message it answers, so it credits none of them."""
    talk = Script(channel="general")
    question = talk.ask("ann", "How do I run the tests offline?")
    talk.say("bob", "pytest -q with the loopback fakes", 30)
    talk.say("cat", "lunch anyone?", 30.5)
    talk.say("bob", "ok", 31)
    talk.say("ann", "thanks!", 34, thread=question)
    await feed_history(harness, talk.events, questions={question})
    assert await accepted_answers(harness) == []


@pytest.mark.parametrize(
    ("dans_word", "mentions", "expected"),
    [("<@ann> bumped it", ("ann",), []), ("same here", (), ["the sphinx pin is too old, I think"])],
)
async def test_a_short_word_to_the_asker_takes_part_and_a_bystanders_does_not(
    harness: Harness, dans_word: str, mentions: tuple[str, ...], expected: list[str]
) -> None:
    """Bob guesses at a fix; Dan, addressing Ann, says "bumped it": Ann's "thanks!" is for what
    Dan did, which is no answer a later asker could use, so nothing is accepted. Had Dan only
    said "same here" to nobody, he would be a bystander and Bob's answer would be the one."""
    talk = Script(channel="general")
    question = talk.ask("ann", "Why does the nightly build fail on the docs step?")
    talk.say("bob", "the sphinx pin is too old, I think", 3)
    talk.say("dan", dans_word, 6, mentions=mentions)
    talk.say("ann", "thanks!", 7, thread=question)
    await feed_history(harness, talk.events, questions={question})
    assert await accepted_answers(harness) == expected
