"""The digest's figures and flags on a small community whose numbers are known by hand."""

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from health_fixtures import (
    DAY,
    MINUTE,
    NOW,
    PERIOD_START,
    Builder,
    build_community,
    new_scope,
    open_session,
)
from sqlalchemy import event
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.dashboard import health_with_names
from handlers.health import (
    Answerer,
    HealthReport,
    absence_factor,
    build_report,
    health_now,
    median,
    report_message,
)
from handlers.kernel import Acting, LadderConfig, Message, Outcome, Visibility


@pytest.fixture
async def session(tmp_path: Path) -> AsyncIterator[AsyncSession]:
    """A session on a fresh, migrated SQLite database."""
    async with open_session(tmp_path) as session:
        yield session


@pytest.fixture
async def report(session: AsyncSession) -> HealthReport:
    """The digest of the known community for the 7 days before NOW."""
    scope = await new_scope(session, SMALL_SAMPLES)
    await build_community(scope)
    return await build_report(scope, PERIOD_START, NOW)


# The hand-built community is small: its flags are read with samples small enough to raise them.
SMALL_SAMPLES = LadderConfig.model_validate(
    {"digest": {"flag_min_questions": 5, "flag_min_answers": 4, "flag_min_calls": 3}}
)
EXPECTED_FLAGS = (
    "First answers are slow: median 35 min, target 30 min; 38% of 8 questions answered within the "
    "target (aim: 50%).",
    "2 questions are still unanswered.",
    "Questions often need escalating: 57% of 7 answered questions were answered by the first helpers "
    "pinged (aim: 60%).",
    "Answers rest on 1 person: one person gave half or more of the period's 12 answers.",
    "The top tier is answering newcomers: 50% of its 4 answers went to newcomers (limit: 30%).",
    "Calls go unfilled: 2 of 4 filled (50%, aim: 60%).",
    "1 active member has not advanced in 8 weeks and has no quest in progress.",
)


def drawn(outcome: Outcome) -> list[Message]:
    """The replies of ``/ladder health`` as the service sends them: the digest is drawn after the
    transaction commits."""
    return [*outcome.replies, *(draw() for draw in outcome.later)]


async def test_ladder_shape_now_and_four_weeks_ago(report: HealthReport) -> None:
    """Members per level now and at the last level change before 4 weeks ago; no bots. An erased
    member (gone) still counts, anonymously: erasing someone changes no statistic."""
    assert report.shape_now == {0: 2, 1: 4, 2: 3, 3: 2, 4: 1, 5: 1}
    assert report.shape_before == {0: 3, 1: 2, 2: 3, 3: 2, 4: 0, 5: 1}
    assert report.shape_before_at == NOW - 28 * DAY
    assert report.community_name == "Gardeners"
    assert (report.period_start, report.period_end) == (PERIOD_START, NOW)


async def test_flow_counts_promotions_by_level_reached_and_the_newcomer_cohort(
    report: HealthReport,
) -> None:
    """Promotions (not demotions, the erased member's included) per level reached; 1 of the 3
    cohort newcomers made it in time."""
    assert report.promotions == {1: 0, 2: 2, 3: 0, 4: 1, 5: 0}
    assert report.newcomer_cohort == 3
    assert report.newcomers_reached_level_1 == 1
    assert report.newcomer_share == pytest.approx(1 / 3)


async def test_stalled_means_active_unchanged_and_no_quest_in_review(report: HealthReport) -> None:
    """Only sam: active this period, level unchanged for 90 days, no quest awaiting review."""
    assert report.stalled == 1


async def test_question_figures(report: HealthReport) -> None:
    """Asked, deflected, solved, median first response, within target, first tier, top, unanswered."""
    assert report.questions_asked == 9
    assert report.questions_deflected == 1
    assert report.questions_solved == 2
    assert report.questions_answered == 7
    assert report.median_first_response == 35 * MINUTE
    assert report.answered_in_target_share == pytest.approx(3 / 8)
    assert report.first_tier_share == pytest.approx(4 / 7)
    assert report.escalated_to_top == 2
    assert report.unanswered == 2


async def test_load_figures(report: HealthReport) -> None:
    """One helper gives most answers; half the top tier's answers went to newcomers."""
    assert report.answers == 12
    assert report.answerers == 4
    assert report.absence_factor == 1
    assert report.top_tier_answers == 4
    assert report.top_tier_newcomer_share == pytest.approx(0.5)


async def test_call_figures(report: HealthReport) -> None:
    """Opened, filled (median 1.5 days), waitlisted sign-ups of the period, unfilled."""
    assert report.calls_opened == 4
    assert report.calls_filled == 2
    assert report.median_time_to_fill == timedelta(days=1, hours=12)
    assert report.calls_waitlisted == 2
    assert report.calls_unfilled == 2
    assert report.call_fill_rate == pytest.approx(0.5)


async def test_flags_say_in_words_what_crossed_a_threshold(report: HealthReport) -> None:
    """Each figure past its threshold becomes one sentence a manager can act on."""
    assert report.flags == EXPECTED_FLAGS


async def test_flags_follow_the_configured_thresholds(session: AsyncSession) -> None:
    """Looser thresholds (and figures exactly on them) raise only the threshold-free flags."""
    config = LadderConfig.model_validate(
        {
            "digest": {
                "min_answered_in_target_share": 0.3,
                "min_first_tier_share": 0.5,
                "max_top_tier_newcomer_share": 0.5,
                "min_call_fill_rate": 0.5,
                "stalled_weeks": 13,
                "flag_min_questions": 5,
                "flag_min_answers": 4,
            }
        }
    )
    scope = await new_scope(session, config)
    await build_community(scope)
    report = await build_report(scope, PERIOD_START, NOW)
    assert report.stalled == 0
    assert report.flags == (EXPECTED_FLAGS[1], EXPECTED_FLAGS[3])


async def test_an_empty_community_reports_zeros_and_nothing_to_flag(session: AsyncSession) -> None:
    """No members, questions or calls: zeros, None for every share and duration, no flags."""
    scope = await new_scope(session)
    report = await build_report(scope, PERIOD_START, NOW)
    assert report.shape_now == report.shape_before == dict.fromkeys(range(6), 0)
    assert report.promotions == dict.fromkeys(range(1, 6), 0)
    assert (report.newcomer_cohort, report.newcomer_share) == (0, None)
    assert report.stalled == report.questions_asked == report.unanswered == 0
    assert report.median_first_response is None
    assert report.answered_in_target_share is report.first_tier_share is None
    assert (report.answers, report.absence_factor, report.top_tier_newcomer_share) == (0, 0, None)
    assert (report.calls_opened, report.median_time_to_fill, report.call_fill_rate) == (
        0,
        None,
        None,
    )
    assert report.flags == ()


async def test_a_question_still_inside_its_target_is_not_yet_late(session: AsyncSession) -> None:
    """Unanswered for 10 minutes is not a miss yet; unanswered for 2 hours is."""
    scope = await new_scope(session)
    builder = Builder(scope)
    await builder.member("nora", 0, NOW - 30 * DAY)
    await builder.question("nora", NOW - 3 * DAY, responded_after=5 * MINUTE)
    await builder.question("nora", NOW - 120 * MINUTE)
    await builder.question("nora", NOW - 10 * MINUTE)
    report = await build_report(scope, PERIOD_START, NOW)
    assert (report.questions_asked, report.questions_answered, report.unanswered) == (3, 1, 2)
    assert report.answered_in_target_share == pytest.approx(0.5)
    assert report.flags == ("2 questions are still unanswered.",)


async def test_health_now_replies_privately_with_the_last_period_and_its_chart(
    session: AsyncSession,
) -> None:
    """``/ladder health`` covers the configured period ending now, for the asker only."""
    scope = await new_scope(session)
    await build_community(scope)
    member = Builder(scope)
    asker = await member.member("asker", 0, NOW - DAY)
    outcome = await health_now(Acting(scope, asker, is_manager=False))
    assert outcome.notices == []
    assert outcome.replies == []  # the chart is drawn after the transaction, off the event loop
    [reply] = [draw() for draw in outcome.later]
    assert reply.visibility is Visibility.PRIVATE
    assert reply.title == "Ladder health: Gardeners"
    assert "Period: Mon 03 Mar 2025 09:00 to Mon 10 Mar 2025 09:00 (UTC)" in reply.text
    # Unlike the digest of [NOW-7d, NOW), "now" includes zed's question asked at this instant.
    assert "3 questions are still unanswered." in reply.text
    assert "Asked this period: 10 (taken care of by an earlier answer: 1)" in dict(reply.fields)["Questions"]
    assert reply.image is not None and reply.image.data.startswith(b"\x89PNG")


async def test_flags_need_a_minimum_sample_and_say_so(session: AsyncSession) -> None:
    """With the default samples (10 questions, 10 answers, 3 ended calls) the hand-built week's 8
    questions, 4 top-tier answers and so on raise no share flag; counts still flag, and the
    digest says how large a sample a flag needs."""
    scope = await new_scope(session)
    await build_community(scope)
    report = await build_report(scope, PERIOD_START, NOW)
    assert report.flags == (EXPECTED_FLAGS[1], EXPECTED_FLAGS[3], EXPECTED_FLAGS[5], EXPECTED_FLAGS[6])
    message = report_message(report, scope.config)
    assert message.text.endswith(
        "Flags on shares need at least 10 questions, 10 answers or 3 ended calls in the period."
    )


async def test_one_escalated_question_raises_no_flag(session: AsyncSession) -> None:
    """A single question, answered late after an escalation, is 0% first tier and 0% on time:
    a sample of one, so nothing is flagged."""
    scope = await new_scope(session)
    builder = Builder(scope)
    await builder.member("nora", 0, NOW - 30 * DAY)
    await builder.question("nora", NOW - 3 * DAY, responded_after=50 * MINUTE, escalations=1)
    report = await build_report(scope, PERIOD_START, NOW)
    assert (report.first_tier_share, report.answered_in_target_share) == (0.0, 0.0)
    assert report.flags == ()


async def test_a_manager_s_health_names_the_stalled_and_the_ready_but_a_member_s_does_not(
    session: AsyncSession,
) -> None:
    """Privately, a manager reads who is stalled with the one thing each is missing (the same
    members the figure counts, from the dashboard's read model) and who waits for confirmation;
    the same command run by a member names nobody."""
    scope = await new_scope(session)
    await build_community(scope)
    builder = Builder(scope)
    boss = await builder.member("boss", 5, NOW - 300 * DAY)
    member = await builder.member("asker", 0, NOW - DAY)
    [manager_reply] = drawn(await health_with_names(Acting(scope, boss, is_manager=True)))
    fields = dict(manager_reply.fields)
    assert fields["Stalled"].endswith("no quest in progress: 1")
    assert fields["Stalled, by name (each with the one thing missing next)"].splitlines() == [
        "sam: Contributor, next: 60 more points (0 of 60) (and 3 more things)"
    ]
    assert fields["Ready for your confirmation"] == "Nobody"
    [member_reply] = drawn(await health_with_names(Acting(scope, member, is_manager=False)))
    assert list(dict(member_reply.fields)) == [
        "Ladder shape",
        "Flow",
        "Stalled",
        "Questions",
        "Load",
        "Calls",
    ]
    assert "sam" not in str(member_reply.fields)


async def test_a_co_creator_waiting_only_for_an_appointment_is_not_stalled(session: AsyncSession) -> None:
    """Steward is reached only by a manager's appointment, so a Co-creator active this week and
    unchanged for months has nothing left to do: neither counted nor named as stalled; a Helper
    in the same situation is both."""
    scope = await new_scope(session)
    builder = Builder(scope)
    boss = await builder.member("boss", 5, NOW - 300 * DAY)
    await builder.member("cora", 4, NOW - 300 * DAY, ((0, 4, NOW - 200 * DAY),))
    await builder.member("hal", 3, NOW - 300 * DAY, ((0, 3, NOW - 200 * DAY),))
    builder.active("cora", (NOW - 2 * DAY).date())
    builder.active("hal", (NOW - 2 * DAY).date())
    await session.flush()
    report = await build_report(scope, PERIOD_START, NOW)
    assert report.stalled == 1
    [reply] = drawn(await health_with_names(Acting(scope, boss, is_manager=True)))
    names = dict(reply.fields)["Stalled, by name (each with the one thing missing next)"]
    assert names.startswith("hal: Helper, next: ") and "cora" not in names


@contextmanager
def counting_statements(session: AsyncSession) -> Iterator[list[str]]:
    """Record every SQL statement the session's engine runs."""
    statements: list[str] = []
    engine = session.bind.sync_engine  # type: ignore[union-attr]

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_the_report_is_a_fixed_number_of_aggregate_queries(session: AsyncSession) -> None:
    """The same statements run for an empty community and a busy one: no query per member."""
    scope = await new_scope(session)
    with counting_statements(session) as empty:
        await build_report(scope, PERIOD_START, NOW)
    await build_community(scope)
    with counting_statements(session) as busy:
        await build_report(scope, PERIOD_START, NOW)
    assert busy == empty
    assert len(busy) == 12


def test_absence_factor_is_the_fewest_helpers_giving_half_the_answers() -> None:
    """Sorted by answers, count helpers until half the answers are covered."""

    def helpers(*counts: int) -> list[Answerer]:
        return [Answerer(n, 0, 3) for n in counts]

    assert absence_factor(helpers(5, 3, 2)) == 1
    assert absence_factor(helpers(2, 4, 3, 1)) == 2
    assert absence_factor(helpers(1, 1, 1, 1, 1)) == 3
    assert absence_factor([]) == 0


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    """Durations median like numbers; an empty period has none."""
    assert median([4 * MINUTE, MINUTE, 2 * MINUTE, 10 * MINUTE]) == 3 * MINUTE
    assert median([]) is None
