"""Question routing: a few helpers one tier up, escalation on a timer, earlier answers first."""

import re

from core_harness import HELP_CHANNEL, Harness
from sqlmodel import col, select

from handlers.commands import ActionName
from handlers.kernel import EventKind, Message
from models import Contribution, Member, Question


def pinged(harness: Harness) -> list[str]:
    """Who was asked to help, in order."""
    return [s.target for s in harness.port.to("dm") if s.message and s.message.title == "Can you help?"]


async def question(harness: Harness, number: int) -> Question:
    """A stored question by id."""
    async with harness.ladder.sessions() as session:
        found = await session.get(Question, number)
    assert found is not None
    return found


async def test_question_goes_to_three_helpers_one_tier_up(harness: Harness) -> None:
    """A newcomer's question pings at most 3 Contributors, not the Helpers or the Steward."""
    for name in ("c1", "c2", "c3", "c4", "c5"):
        await harness.set_level(name, 2)
    for name in ("h1", "h2"):
        await harness.set_level(name, 3)
    await harness.set_level("steward", 5)
    reply = await harness.text("newbie", "ask How do I run the tests?", channel=HELP_CHANNEL)
    assert reply.startswith("Question #1 is with 3 Contributor helpers.")
    assert len(pinged(harness)) == 3 and set(pinged(harness)) <= {"c1", "c2", "c3", "c4", "c5"}
    post = harness.port.to("post", HELP_CHANNEL)[-1].message
    assert post is not None and "Question #1: “How do I run the tests?”" in post.text


async def test_least_loaded_helpers_first_and_a_daily_cap(harness: Harness) -> None:
    """Helpers with fewer open questions go first; nobody is pinged more than 4 times a day."""
    for name in ("c1", "c2", "c3", "c4"):
        await harness.set_level(name, 2)
    await harness.say("asker1", "ask Where is the roadmap?")
    first = set(pinged(harness))
    harness.port.clear()
    await harness.say("asker2", "ask When is the next call?")
    assert ({"c1", "c2", "c3", "c4"} - first) <= set(pinged(harness))
    for number in range(3, 8):
        await harness.say(f"asker{number}", f"ask Question number {number} about topic{number}?")
    counts = dict.fromkeys(("c1", "c2", "c3", "c4"), 0)
    for target in (s.target for s in harness.port.sent if s.message and s.message.title == "Can you help?"):
        counts[target] += 1
    assert max(counts.values()) <= 4


async def test_unanswered_questions_escalate_tier_by_tier_then_managers(harness: Harness) -> None:
    """No response in 30 min moves a question up a tier; after the last, managers get one summary."""
    await harness.set_level("contrib", 2)
    await harness.set_level("helper", 3)
    await harness.set_level("steward", 5)
    await harness.say("newbie", "ask Why does the linter fail?", channel=HELP_CHANNEL)
    assert pinged(harness) == ["contrib"]
    await harness.sweep(minutes=29)
    assert pinged(harness) == ["contrib"]
    await harness.sweep(minutes=2)
    assert pinged(harness) == ["contrib", "helper"]
    await harness.sweep(minutes=31)
    assert pinged(harness) == ["contrib", "helper", "steward"]
    await harness.sweep(minutes=31)
    summaries = [m for m in harness.dms("manager") if m.title == "Unanswered after every tier"]
    assert len(summaries) == 1 and "#1 “Why does the linter fail?”" in summaries[0].text
    stored = await question(harness, 1)
    assert stored.exhausted and stored.escalations == 3


async def test_empty_tiers_are_skipped_at_once(harness: Harness) -> None:
    """With no Contributor available, the Helpers are pinged straight away."""
    await harness.set_level("helper", 3)
    await harness.say("newbie", "ask How do I sign the CLA?")
    assert pinged(harness) == ["helper"]
    assert (await question(harness, 1)).escalations == 1


async def test_a_new_community_tells_its_managers_without_mass_pings(harness: Harness) -> None:
    """With nobody on the ladder yet, the managers are told in one direct message."""
    await harness.say("manager", "skills")
    reply = await harness.text("newbie", "ask Is anyone here? @here", channel=HELP_CHANNEL)
    assert "No helper is available right now, so the manager has been told by DM." in reply
    assert [m.title for m in harness.dms("manager")] == ["Unanswered after every tier"]
    for sent in harness.port.sent:
        assert sent.message is None or not re.search(r"(?<!\u200b)@here|<!here>", sent.message.text)


async def test_with_no_manager_known_the_asker_hears_that_nobody_was_told(harness: Harness) -> None:
    """No helper and no manager on record: the reply says nobody was told, and nobody is DM'd."""
    reply = await harness.text("newbie", "ask Is anyone here?")
    assert reply == (
        "Question #1 is recorded, but nobody has been told: no helper is available right now and "
        "Ladder knows no manager here yet. Anyone can still answer in its thread; if it is urgent, "
        "reach a maintainer directly."
    )
    assert {s.target for s in harness.port.to("dm")} == {"newbie"}, "only the asker's level-up DM"
    assert [s.target for s in harness.port.to("post")] == ["general"], "the question is still posted"


async def test_declining_an_earlier_answer_with_nobody_to_ask_says_so(harness: Harness) -> None:
    """“No, ask helpers” with no helper and no manager known tells the truth as well."""
    await harness.set_level("contrib", 2)
    await harness.post("first", "How do I run the tests?", channel=HELP_CHANNEL)
    thread = (await question(harness, 1)).thread_id
    answer = await harness.post("contrib", "make test", channel=HELP_CHANNEL, thread=thread)
    await harness.ladder.events([harness.event(EventKind.REACTION, "first", message_id=answer, text="✅")])
    await harness.say("manager", "demote @contrib 0 testing an empty ladder")
    async with harness.ladder.sessions() as session:
        manager = (await session.exec(select(Member).where(Member.external_id == "manager"))).one()
        manager.is_manager = False
        session.add(manager)
        await session.commit()
    harness.port.clear()
    offer = await harness.say("second", "ask How do I run the tests?")
    assert offer[0].title == "This may already be answered"
    reply = await harness.press("second", ActionName.ASK_HELPERS, "2")
    assert "nobody has been told: no helper is available right now" in reply
    assert [m.title for m in harness.dms("manager")] == []


async def test_answers_are_timed_and_helpers_credited_on_solve(harness: Harness) -> None:
    """A reply is a first response and earns `answer_given`; the asker's mark credits the answer."""
    await harness.set_level("contrib", 2)
    await harness.set_level("other", 2)
    await harness.post("newbie", "How do I rebase my branch?", channel=HELP_CHANNEL)
    thread = (await question(harness, 1)).thread_id
    assert thread is not None
    harness.later(minutes=12)
    await harness.post("newbie", "still stuck", channel=HELP_CHANNEL, thread=thread)
    assert (await question(harness, 1)).first_response_at is None
    first = await harness.post("other", "Try git pull --rebase", channel=HELP_CHANNEL, thread=thread)
    second = await harness.post("contrib", "git rebase origin/main", channel=HELP_CHANNEL, thread=thread)
    stored = await question(harness, 1)
    assert stored.status == "answered" and stored.answered_level == 2
    assert stored.first_response_at is not None
    assert stored.first_response_at - stored.asked_at == harness.clock.now() - stored.asked_at
    offer = [m for m in harness.dms("newbie") if m.title == "Someone answered"]
    assert len(offer) == 2 and offer[1].buttons[0].action == ActionName.ACCEPT_ANSWER
    reply = await harness.press("newbie", offer[1].buttons[0].action, offer[1].buttons[0].value)
    assert reply == "Marked as an answer to #1. Thank you!"
    async with harness.ladder.sessions() as session:
        credited = sorted(
            (c.kind, c.points)
            for c in (await session.exec(select(Contribution))).all()
            if c.kind in ("answer_accepted", "answer_given")
        )
    assert credited == [("answer_accepted", 10), ("answer_given", 3), ("answer_given", 3)]
    assert (await question(harness, 1)).status == "solved"
    assert first != second


async def test_only_the_asker_or_a_manager_solves(harness: Harness) -> None:
    """Others cannot mark a question solved; nothing to mark before anyone answered."""
    await harness.say("newbie", "ask Where do design discussions happen?")
    assert "Nobody has replied to question #1 yet" in await harness.text("newbie", "solved 1")
    assert "Only the asker or a manager" in await harness.text("stranger", "solved 1")
    assert "There is no question #9 here." in await harness.text("newbie", "solved 9")


async def test_a_reworded_question_is_offered_the_earlier_answer(harness: Harness) -> None:
    """Before pinging anyone, a solved question asked differently is offered to the asker."""
    await harness.set_level("contrib", 2)
    await harness.post("first", "How do I run the tests?", channel=HELP_CHANNEL)
    thread = (await question(harness, 1)).thread_id
    answer = await harness.post(
        "contrib", "Run `make test` from the root.", channel=HELP_CHANNEL, thread=thread
    )
    await harness.ladder.events([harness.event(EventKind.REACTION, "first", message_id=answer, text="✅")])
    harness.port.clear()
    replies = await harness.say("second", "ask What's the command for running the test suite?")
    offer: Message = replies[0]
    assert offer.title == "This may already be answered"
    assert "Run `make test` from the root." in offer.text
    assert pinged(harness) == []
    assert "Glad it helped" in await harness.press("second", offer.buttons[0].action, offer.buttons[0].value)
    assert (await question(harness, 2)).status == "deflected"
    replies = await harness.say("third", "ask Which command runs the tests?")
    assert "Asked 1 helper about question #3." in await harness.press(
        "third", replies[0].buttons[1].action, replies[0].buttons[1].value
    )
    assert pinged(harness) == ["contrib"]


async def test_an_unrelated_question_is_not_deflected(harness: Harness) -> None:
    """A different question still goes to helpers."""
    await harness.set_level("contrib", 2)
    await harness.post("first", "How do I run the tests?", channel=HELP_CHANNEL)
    thread = (await question(harness, 1)).thread_id
    answer = await harness.post("contrib", "make test", channel=HELP_CHANNEL, thread=thread)
    await harness.ladder.events([harness.event(EventKind.REACTION, "first", message_id=answer, text="✅")])
    replies = await harness.say("second", "ask Where is the project logo for slides?")
    assert replies[0].title != "This may already be answered"


async def test_mass_mentions_in_questions_never_reach_anyone_live(harness: Harness) -> None:
    """@everyone, @here, <!channel>, <!subteam^…>, <@U…> and <@&role> are defused everywhere."""
    await harness.set_level("contrib", 2)
    text = "ask Help @everyone @here <!channel> <!here> <!everyone> <!subteam^S1> <@U999> <@&42>"
    await harness.say("newbie", text, channel=HELP_CHANNEL)
    live = re.compile(r"(?<!\u200b)@(everyone|here)|<(!|@|#)")
    outbound = [s.message.text for s in harness.port.sent if s.message is not None]
    assert outbound
    assert [t for t in outbound if live.search(t.replace(f"<#{HELP_CHANNEL}>", ""))] == []
    async with harness.ladder.sessions() as session:
        stored = (await session.exec(select(Question).order_by(col(Question.id)))).first()
    assert stored is not None and "<!channel>" in stored.text, "the record keeps what was written"
