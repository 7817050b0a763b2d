"""Levels: promotion follows real contribution, `why` says exactly what is missing, managers audit."""

from core_harness import COMMUNITY, INTRO_CHANNEL, Harness
from sqlmodel import col, select

from handlers.kernel import EventKind, Scope, ensure_community
from handlers.ladder import Credit, credit
from models import Contribution, LevelChange, Quest, Question, QuestProgress


async def test_introduction_completes_say_hello_and_reaches_participant(harness: Harness) -> None:
    """A newcomer who introduces themself is promoted and told what the next level needs."""
    await harness.post("alice", "Hi, I'm Alice and I write docs", channel=INTRO_CHANNEL)
    alice = await harness.member("alice")
    assert alice.level == 1
    promoted = harness.dms("alice")[-1]
    assert "You are now level 1 · *Participant*" in promoted.text
    assert "Next, *Contributor* needs: 16 more points (4 of 20)" in promoted.text
    assert "quest “Read the community guide” (read-the-guide)" in promoted.text
    assert harness.port.to("set_level_role", "alice")[-1].level == 1


async def test_chat_earns_no_points_only_active_days(harness: Harness) -> None:
    """Plain messages count towards active days (once a day) and never towards points."""
    for _ in range(5):
        await harness.post("bob", "just chatting")
    harness.later(days=1)
    await harness.post("bob", "more chat")
    text = await harness.text("bob", "level")
    assert "0 points" in text and "2 active days" in text
    assert (await harness.member("bob")).level == 0


async def test_why_lists_exactly_the_missing_requirements(harness: Harness) -> None:
    """`why` names every unmet requirement of the next level with numbers."""
    await harness.post("carol", "Hello!", channel=INTRO_CHANNEL)
    harness.later(days=3)
    text = await harness.text("carol", "why")
    assert text == (
        "Next, *Contributor* needs: 16 more points (4 of 20); 4 more days in the community "
        "(here 3 of 7); quest “Read the community guide” (read-the-guide); "
        "quest “Give your first answer” (first-answer)."
    )


async def test_quests_points_and_time_promote_to_contributor(harness: Harness) -> None:
    """Level 1's quests, 20 points and a week in the community make a Contributor."""
    await harness.set_level("reviewer", 3)
    await harness.post("dan", "Hello!", channel=INTRO_CHANNEL)
    harness.later(days=8)
    await harness.say("dan", "quest submit read-the-guide I would add a testing section")
    assert "Quest to review" in [m.title for m in harness.dms("manager")]
    await harness.say("reviewer", "quest approve @dan read-the-guide nice")
    assert (await harness.member("dan")).level == 1
    await harness.say("newbie", "ask How do I build the docs?", channel="help")
    thread = await latest_question_thread(harness)
    answer_id = await harness.post("dan", "Run make docs", channel="help", thread=thread)
    await harness.ladder.events(
        [harness.event(EventKind.REACTION, "newbie", message_id=answer_id, text="white_check_mark")]
    )
    dan = await harness.member("dan")
    assert dan.level == 2
    assert "You are now level 2 · *Contributor*" in harness.dm_texts("dan")
    assert "27 points" in await harness.text("dan", "level")  # 3 of them for answering at all


async def latest_question_thread(harness: Harness) -> str:
    """The thread id of the newest question (where answers go)."""
    async with harness.ladder.sessions() as session:
        question = (await session.exec(select(Question).order_by(col(Question.id).desc()))).first()
    assert question is not None and question.thread_id is not None
    return question.thread_id


async def test_manager_promote_and_demote_are_audited(harness: Harness) -> None:
    """Manual level changes keep who and why; the member is told."""
    await harness.post("erin", "hi")
    reply = await harness.text("manager", "promote @erin helper Answered for years on the forum")
    assert reply == "Promoted <@erin> to level 3 · Helper. Kept in the audit log with your reason."
    assert "A manager set your level to 3 · *Helper*" in harness.dm_texts("erin")
    assert "demote goes down" in await harness.text("manager", "demote @erin 4 oops")
    await harness.say("manager", "demote @erin 2 stepped back")
    async with harness.ladder.sessions() as session:
        changes = (await session.exec(select(LevelChange).order_by(col(LevelChange.id)))).all()
    manager = await harness.member("manager")
    assert [(c.from_level, c.to_level, c.changed_by_id, c.reason) for c in changes] == [
        (0, 3, manager.id, "Answered for years on the forum"),
        (3, 2, manager.id, "stepped back"),
    ]


async def test_managers_can_seed_the_ladder_with_members_not_seen_yet(harness: Harness) -> None:
    """A manager promotes a long-time expert by mention before they have said anything."""
    reply = await harness.text("manager", "promote <@U0EXPERT> 3 ran the old forum")
    assert reply == "Promoted <@U0EXPERT> to level 3 · Helper. Kept in the audit log with your reason."
    assert (await harness.member("U0EXPERT")).level == 3


async def test_non_managers_cannot_promote_and_nothing_changes(harness: Harness) -> None:
    """A member trying a manager command is refused and the ladder is untouched."""
    await harness.post("frank", "hi")
    reply = await harness.text("frank", "promote @frank 5 because I said so")
    assert reply.startswith("Only managers can do that. Nothing was changed.")
    assert (await harness.member("frank")).level == 0


async def test_unknown_member_and_level_get_specific_answers(harness: Harness) -> None:
    """Naming nobody, or a level that doesn't exist, is explained with the usage line."""
    reply = await harness.text("manager", "demote @ghost 2 reason")
    assert reply.startswith("Usage: /ladder demote") and "No member 'ghost' is known here yet." in reply
    await harness.post("gina", "hi")
    reply = await harness.text("manager", "promote @gina wizard reason")
    assert "'wizard' is not a level: use one of 0 Newcomer, 1 Participant" in reply


async def test_co_creator_waits_for_a_manager_who_is_told_once(harness: Harness) -> None:
    """Meeting every Co-creator requirement tells managers once; the level needs their word."""
    await harness.set_level("hana", 3)
    hana = await harness.member("hana")
    assert hana.id is not None
    async with harness.ladder.sessions() as session, session.begin():
        scope = Scope(
            session,
            harness.ladder.config,
            harness.clock.now(),
            await ensure_community(session, COMMUNITY, harness.ladder.config),
        )
        for quest in (await session.exec(select(Quest).where(Quest.level == 3))).all():
            session.add(QuestProgress(quest_id=quest.id or 0, member_id=hana.id, status="approved"))
        await session.flush()
        now = harness.clock.now()
        first = await credit(
            scope, [Credit(hana.id, "call_fulfilled", 80, f"call{i}", now) for i in range(2)]
        )
        again = await credit(scope, [Credit(hana.id, "review", 2, "review1", now)])
    for outcome in (first, again):
        await harness.ladder.delivery.send(outcome.notices, community=scope.community)
    ready = [m for m in harness.dms("manager") if m.title == "Ready for promotion"]
    assert len(ready) == 1
    assert "`/ladder promote <@hana> 4 <reason>`" in ready[0].text
    assert (await harness.member("hana")).level == 3
    assert "a manager's confirmation" in await harness.text("hana", "why")
    await harness.say("manager", "promote @hana 4 led two calls")
    assert (await harness.member("hana")).level == 4


async def test_same_source_is_credited_once(harness: Harness) -> None:
    """Redelivered events never credit twice."""
    event = harness.event(
        EventKind.MESSAGE, "ivy", channel_id=INTRO_CHANNEL, message_id="m1", text="Hi", key="same"
    )
    await harness.ladder.events([event, event])
    await harness.ladder.events([event])
    async with harness.ladder.sessions() as session:
        rows = (await session.exec(select(Contribution).where(Contribution.kind == "introduction"))).all()
    assert len(rows) == 1


async def test_roster_shows_resting_helpers(harness: Harness) -> None:
    """Helpers inactive 30 days rest (level kept) and come back when active."""
    await harness.set_level("jo", 3)
    await harness.set_level("kim", 2)
    await harness.sweep(days=31)
    roster = await harness.text("manager", "roster")
    assert "jo — 3 Helper, resting" in roster and "kim — 2 Contributor, resting" in roster
    assert (await harness.member("jo")).level == 3
    await harness.post("jo", "back!")
    assert "jo — 3 Helper, on roster" in await harness.text("manager", "roster")
