"""Questions, calls, quest reviews, digests, audit log, settings and a member's page, as a
manager reads them; ids of another community show nothing."""

from datetime import timedelta

from core_harness import HELP_CHANNEL, Harness, config_for_tests
from dashboard_kit import viewing
from scenario import OTHER, community_id, speak_elsewhere

from handlers.dashboard import (
    QuestionSort,
    QuestionView,
    ReviewView,
    audit_log,
    calls_page,
    digest_report,
    digests_page,
    member_detail,
    quest_reviews,
    questions_page,
    settings_in_force,
)
from handlers.kernel import Points
from models import Digest, Question, QuestStatus, SignupStatus


async def thread_of(harness: Harness, number: int) -> str:
    """The thread where answers to question ``number`` go."""
    async with harness.ladder.sessions() as session:
        question = await session.get(Question, number)
    assert question is not None and question.thread_id is not None
    return question.thread_id


async def test_questions_by_view_age_and_tier(harness: Harness) -> None:
    """Unanswered questions oldest first or furthest escalated first, with who they wait on;
    escalated ones apart; answered-but-not-accepted ones under "unsolved"."""
    await harness.set_level("contrib", 2)
    await harness.set_level("helper", 3)
    await harness.say("ana", "ask Why does the linter fail?", channel=HELP_CHANNEL)
    await harness.sweep(minutes=31)  # → the Helpers' tier
    await harness.say("ben", "ask Where is the roadmap?", channel=HELP_CHANNEL)
    await harness.say("cal", "ask How do I rebase?", channel=HELP_CHANNEL)
    await harness.post(
        "contrib", "git rebase origin/main", channel=HELP_CHANNEL, thread=await thread_of(harness, 3)
    )
    harness.later(minutes=5)
    async with viewing(harness) as scope:
        by_age = await questions_page(scope)
        by_tier = await questions_page(scope, sort=QuestionSort.TIER)
        escalated = await questions_page(scope, QuestionView.ESCALATED)
        unsolved = await questions_page(scope, QuestionView.UNSOLVED)
    assert [(q.asker_name, q.text, q.tier, q.tiers, q.tier_levels, q.waiting_on) for q in by_age.rows] == [
        ("ana", "Why does the linter fail?", 2, 3, ("Helper",), ("helper",)),  # contrib was let go
        ("ben", "Where is the roadmap?", 1, 3, ("Contributor",), ("contrib",)),
    ]
    assert by_age.rows[0].age == timedelta(minutes=36) and by_age.rows[0].escalations == 1
    assert [q.asker_name for q in by_tier.rows] == ["ana", "ben"]
    assert [q.asker_name for q in escalated.rows] == ["ana"]
    assert [(q.asker_name, q.status) for q in unsolved.rows] == [("cal", "answered")]
    assert unsolved.rows[0].first_response_at is not None


async def test_calls_with_sign_ups_and_the_waitlist_in_order(harness: Harness) -> None:
    """A call shows who is in, the waitlist in the order it moves up, and closed calls come last."""
    await harness.set_level("cat", 4)
    await harness.say("cat", 'call new "Plant trees" need=1')
    await harness.say("cat", 'call new "Sort seeds" need=2')
    await harness.say("dan", "call join 1")
    await harness.say("eve", "call join 1")
    harness.later(minutes=1)
    await harness.say("fay", "call join 1")
    await harness.say("cat", "call close 2")
    async with viewing(harness) as scope:
        page = await calls_page(scope)
    plant, seeds = page.rows
    assert (plant.title, plant.status, plant.need, plant.creator_name) == ("Plant trees", "filled", 1, "cat")
    assert [s.name for s in plant.confirmed] == ["dan"]
    assert [(s.name, s.status) for s in plant.waitlist] == [
        ("eve", SignupStatus.WAITLISTED),
        ("fay", SignupStatus.WAITLISTED),
    ]
    assert (seeds.title, seeds.status, seeds.confirmed, seeds.waitlist) == ("Sort seeds", "closed", (), ())


async def test_quest_reviews_waiting_and_done(harness: Harness) -> None:
    """Submissions wait oldest first; once reviewed they show who reviewed them and the note;
    quests Ladder completed by itself are in neither list."""
    await harness.post("ann", "Hi, I'm Ann", channel="intros")
    await harness.post("bob", "Hi, I'm Bob", channel="intros")
    await harness.say("ann", "quest submit read-the-guide read it all")
    harness.later(minutes=3)
    await harness.say("bob", "quest submit read-the-guide skimmed it")
    await harness.say("manager", "quest reject @bob read-the-guide please read the setup part")
    async with viewing(harness) as scope:
        pending = await quest_reviews(scope)
        reviewed = await quest_reviews(scope, ReviewView.REVIEWED)
    assert [(r.member_name, r.quest_title, r.status, r.evidence) for r in pending.rows] == [
        ("ann", "Read the community guide", QuestStatus.SUBMITTED, "read it all")
    ]
    assert [(r.member_name, r.status, r.reviewer_name, r.note) for r in reviewed.rows] == [
        ("bob", QuestStatus.REJECTED, "manager", "please read the setup part")
    ]


async def test_audit_log_says_who_changed_a_level_and_why(harness: Harness) -> None:
    """Newest first: a manager's change with their name and reason, automatic ones by Ladder;
    "manual only" keeps the managers' changes; pages follow each other."""
    await harness.post("ann", "Hi, I'm Ann", channel="intros")
    await harness.say("manager", "promote @ann 3 ran the old forum")
    await harness.say("manager", "demote @ann 2 stepped back")
    async with viewing(harness) as scope:
        log = await audit_log(scope)
        manual = await audit_log(scope, manual_only=True, limit=1)
        rest = await audit_log(scope, manual_only=True, limit=1, cursor=manual.next_cursor)
    assert [(c.member_name, c.from_level_name, c.to_level_name, c.by_name, c.reason) for c in log.rows] == [
        ("ann", "Helper", "Contributor", "manager", "stepped back"),
        ("ann", "Participant", "Helper", "manager", "ran the old forum"),
        ("ann", "Newcomer", "Participant", None, "met every requirement of Participant"),
    ]
    assert [c.reason for c in manual.rows + rest.rows] == ["stepped back", "ran the old forum"]
    assert (manual.total, rest.first, rest.next_cursor) == (2, 2, None)


async def test_member_page_ledger_history_quests_and_questions(harness: Harness) -> None:
    """A member's page: their contributions newest first, level history oldest first, every quest
    with where they stand, their open questions and the ones they were asked to answer."""
    await harness.set_level("helper", 3)
    await harness.post("ann", "Hi, I'm Ann", channel="intros")
    harness.later(minutes=1)
    await harness.say("ann", "quest submit read-the-guide read it all")
    await harness.say("ann", "ask How do I deploy?", channel=HELP_CHANNEL)
    ann, helper = await harness.member("ann"), await harness.member("helper")
    async with viewing(harness) as scope:
        page = await member_detail(scope, ann.id or 0)
        helpers = await member_detail(scope, helper.id or 0, ledger_limit=1)
    assert page is not None and helpers is not None
    assert [(c.kind, c.points) for c in page.ledger.rows] == [
        ("question_asked", 0),
        ("quest_completed", 2),
        ("introduction", 2),
    ]
    assert [(c.from_level, c.to_level) for c in page.level_history] == [(0, 1)]
    quests = {q.key: q.status for q in page.quests}
    assert quests["say-hello"] == QuestStatus.APPROVED and quests["read-the-guide"] == QuestStatus.SUBMITTED
    assert quests["first-answer"] is None
    assert [q.text for q in page.asked] == ["How do I deploy?"]
    assert [q.asker_name for q in helpers.assigned] == ["ann"]
    assert helpers.member.level_name == "Helper" and helpers.ledger.total == 0


async def test_digest_archive_and_its_figures_again(harness: Harness) -> None:
    """Digests newest first; an archived period's figures are computed again on request."""
    await harness.say("ana", "ask Why does the linter fail?", channel=HELP_CHANNEL)
    now = harness.clock.now()
    async with harness.ladder.sessions() as session, session.begin():
        for weeks in (2, 1):
            session.add(
                Digest(
                    community_id=await community_id(harness),
                    period_start=now - timedelta(weeks=weeks),
                    period_end=now - timedelta(weeks=weeks - 1) + timedelta(minutes=1),
                    status="posted",
                    posted_at=now,
                    channel_id="C1",
                )
            )
    async with viewing(harness) as scope:
        archive = await digests_page(scope)
        report = await digest_report(scope, archive.rows[0].digest_id)
        older = await digest_report(scope, archive.rows[1].digest_id)
    assert [d.period_start for d in archive.rows] == [now - timedelta(weeks=1), now - timedelta(weeks=2)]
    assert report is not None and older is not None
    assert (report.questions_asked, older.questions_asked) == (1, 0)


async def test_settings_show_the_config_in_force_and_the_communitys_own(harness: Harness) -> None:
    """The Settings page lists each level's requirements, the points, and what managers changed."""
    harness.ladder.config = config_for_tests(points=Points(answer_accepted=12))
    await harness.say("manager", "digest channel #health")
    async with viewing(harness) as scope:
        settings = {(s.section, s.key): s.value for s in settings_in_force(scope)}
    assert settings[("levels", "3 · Helper")] == (
        "min_points = 60; min_accepted_answers = 5; min_active_days = 10; answers_levels = 0, 1"
    )
    assert settings[("points", "answer_accepted")] == "12"
    assert settings[("community", "digest channel")] == "health"
    assert settings[("routing", "help_channels")] == "help"


async def test_ids_of_another_community_show_nothing(harness: Harness) -> None:
    """A member, digest or question of another community is never shown here."""
    stranger = await speak_elsewhere(harness, "zed")
    await harness.post("zed", "hi")  # a namesake here, a member of this community
    await harness.say("manager", "promote @zed 2 helps here")
    foreign = Digest(
        community_id=await community_id(harness, OTHER),
        period_start=harness.clock.now(),
        period_end=harness.clock.now(),
    )
    async with harness.ladder.sessions() as session, session.begin():
        session.add(foreign)
    async with viewing(harness) as scope:
        assert await member_detail(scope, stranger) is None
        assert await digest_report(scope, foreign.id or 0) is None
        assert (await digests_page(scope)).total == 0
        assert (await audit_log(scope, member_id=stranger)).total == 0
        assert [c.member_name for c in (await audit_log(scope)).rows] == ["zed"]
