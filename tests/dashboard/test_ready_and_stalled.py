"""Ready & stalled: who waits for a manager, who stopped climbing and the one thing each lacks."""

from datetime import timedelta

from core_harness import INTRO_CHANNEL, Harness
from dashboard_kit import viewing
from scenario import credit_member, speak_elsewhere
from sqlalchemy import select as sql_select
from sqlmodel import col

from handlers.dashboard import digest_period, ready_for_confirmation, stalled_members
from handlers.health import build_report
from models import ContributionKind, Quest, QuestProgress, QuestStatus


async def approve_quests(harness: Harness, who: str, level: int) -> None:
    """Approve every quest of a level for a member, as a reviewer would."""
    member = await harness.member(who)
    async with harness.ladder.sessions() as session, session.begin():
        quests = (await session.execute(sql_select(Quest).where(col(Quest.level) == level))).scalars().all()
        for quest in quests:
            session.add(
                QuestProgress(quest_id=quest.id or 0, member_id=member.id or 0, status=QuestStatus.APPROVED)
            )


async def test_a_helper_who_meets_everything_but_confirmation_is_ready(harness: Harness) -> None:
    """A Helper with 150 points, two calls and level 3's quests is listed as ready for Co-creator;
    one a call short is not; Ladder never promotes either on its own."""
    for who in ("hana", "ivo"):
        await harness.set_level(who, 3)
        await approve_quests(harness, who, 3)
        await credit_member(harness, who, ContributionKind.ANSWER_ACCEPTED, 10, times=15)
    await credit_member(harness, "hana", ContributionKind.CALL_FULFILLED, 8, times=2)
    await credit_member(harness, "ivo", ContributionKind.CALL_FULFILLED, 8, times=1)
    async with viewing(harness) as scope:
        ready = await ready_for_confirmation(scope)
        stalled = await stalled_members(scope)
    assert [(r.member.name, r.member.level_name, r.member.next_level_name) for r in ready] == [
        ("hana", "Helper", "Co-creator")
    ]
    assert ready[0].member.missing == ("a manager's confirmation",)
    assert ready[0].member.calls == 2
    assert stalled.total == 0  # both climbed today


async def test_stalled_members_are_named_with_the_one_thing_they_miss(harness: Harness) -> None:
    """Members active this week who have not advanced in 8 weeks and have no quest waiting are
    listed, longest unchanged first, each with the first thing their next level still needs; the
    list's size is the digest's "stalled" figure."""
    await harness.post("olga", "Hi, I'm Olga", channel=INTRO_CHANNEL)  # Participant now
    harness.later(days=3)
    await harness.post("pete", "Hi, I'm Pete", channel=INTRO_CHANNEL)
    await harness.post("quinn", "Hi, I'm Quinn", channel=INTRO_CHANNEL)
    await harness.post("rosa", "Hi, I'm Rosa", channel=INTRO_CHANNEL)
    await speak_elsewhere(harness, "olga")
    harness.later(weeks=9)
    for who in ("olga", "pete", "quinn"):
        await harness.post(who, "still here")  # active this week; Rosa is not
    await harness.say("quinn", "quest submit read-the-guide read it all")  # waiting for review
    async with viewing(harness) as scope:
        stalled = await stalled_members(scope)
        start, end = digest_period(scope)
        report = await build_report(scope, start, end)
    assert [(s.member.name, s.member.level_name, s.next_step, s.more) for s in stalled.rows] == [
        ("olga", "Participant", "16 more points (4 of 20)", 2),
        ("pete", "Participant", "16 more points (4 of 20)", 2),
    ]
    assert stalled.rows[0].member.missing[1:] == (
        "quest “Read the community guide” (read-the-guide)",
        "quest “Give your first answer” (first-answer)",
    )
    assert stalled.total == report.stalled == 2


async def test_stalled_pages_and_periods(harness: Harness) -> None:
    """The list pages like every table, and a period in the past lists who was stalled then."""
    for n in range(5):
        await harness.post(f"m{n}", "Hi!", channel=INTRO_CHANNEL)
    harness.later(weeks=9)
    for n in range(5):
        await harness.post(f"m{n}", "still here")
    harness.later(weeks=2)
    async with viewing(harness) as scope:
        now = await stalled_members(scope)
        first = await stalled_members(
            scope, scope.now - timedelta(weeks=2, days=1), scope.now - timedelta(weeks=1), limit=2
        )
        second = await stalled_members(
            scope,
            scope.now - timedelta(weeks=2, days=1),
            scope.now - timedelta(weeks=1),
            cursor=first.next_cursor,
            limit=2,
        )
    assert now.total == 0  # nobody was active this week
    assert (first.total, [s.member.name for s in first.rows + second.rows]) == (5, ["m0", "m1", "m2", "m3"])
    assert (second.first, second.last) == (3, 4)
