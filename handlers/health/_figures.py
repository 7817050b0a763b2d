"""Participation health: the figures of the digest and the flags a manager should read first.

The figures follow DESIGN.md ("Participation health"): ladder shape, flow, stalled members,
questions, load and calls. There is deliberately no single engagement score and no message-volume
leaderboard. Every figure is an aggregate computed in the database (:mod:`handlers.health._queries`).
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from handlers.health._period import Period
from handlers.health._queries import (
    Answerer,
    answerers,
    call_counts,
    fill_times,
    newcomer_cohort,
    promotions,
    question_counts,
    routed_questions,
    shape_at,
    shape_now,
    stalled,
    unanswered,
)
from handlers.health._words import format_duration, format_share, report_message
from handlers.kernel import Acting, LadderConfig, Message, Outcome, Scope, plural

SHAPE_LOOKBACK = timedelta(weeks=4)
COHORT_SPAN = timedelta(days=28)
UP_TO_NOW = timedelta(microseconds=1)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class HealthReport:
    """Every figure of one digest period. Shares are 0–1 floats, None when nothing to divide."""

    community_name: str
    period_start: datetime
    period_end: datetime
    # Ladder shape: level -> members, every level of the ladder present.
    shape_now: dict[int, int]
    shape_before: dict[int, int]
    shape_before_at: datetime
    # Flow.
    promotions: dict[int, int]
    newcomer_cohort: int
    newcomers_reached_level_1: int
    newcomer_share: float | None
    # Stalled.
    stalled: int
    # Questions. Within-target share: of the routed (not deflected) questions answered or unanswered
    # for longer than the target (younger ones may still make it); first-tier share: of those
    # answered; unanswered: asked before the period's end and still open.
    questions_asked: int
    questions_deflected: int
    questions_solved: int
    questions_answered: int
    median_first_response: timedelta | None
    questions_timed: int
    answered_in_target_share: float | None
    first_tier_share: float | None
    escalated_to_top: int
    unanswered: int
    # Load: answers given in the period; the top tier starts at the first level a manager grants.
    answers: int
    answerers: int
    absence_factor: int
    top_tier_answers: int
    top_tier_newcomer_share: float | None
    # Calls. Fill rate: filled / (filled + closed unfilled) in the period.
    calls_opened: int
    calls_filled: int
    median_time_to_fill: timedelta | None
    calls_waitlisted: int
    calls_unfilled: int
    call_fill_rate: float | None
    flags: tuple[str, ...] = ()
    timezone: str = "UTC"
    # The newcomer cohort's own time frame: members who joined in [cohort_start, cohort_end).
    cohort_start: datetime | None = None
    cohort_end: datetime | None = None


async def build_report(scope: Scope, period_start: datetime, period_end: datetime) -> HealthReport:
    """Compute the digest for ``[period_start, period_end)`` with a few indexed aggregates."""
    session, config = scope.session, scope.config
    period, community_id = Period(period_start, period_end), scope.community_id
    levels = [rule.number for rule in config.levels]
    before_at = period_end - SHAPE_LOOKBACK
    window = timedelta(days=config.digest.newcomer_window_days)
    cohort_end = period_end - window
    cohort = await newcomer_cohort(session, community_id, cohort_end - COHORT_SPAN, cohort_end)
    reached = sum(1 for joined, first in cohort if first is not None and first - joined <= window)
    counts = await question_counts(session, community_id, period, config)
    target = timedelta(minutes=config.digest.first_response_target_minutes)
    routed = await routed_questions(session, community_id, period)
    times = [responded - asked for asked, responded in routed if responded is not None]
    waited_out = sum(1 for asked, responded in routed if responded is None and period_end - asked > target)
    helpers = await answerers(session, community_id, period)
    total_answers = sum(h.answers for h in helpers)
    top_tier = [h for h in helpers if h.level >= top_tier_floor(config)]
    top_answers = sum(h.answers for h in top_tier)
    calls = await call_counts(session, community_id, period)
    fills = await fill_times(session, community_id, period)
    report = HealthReport(
        community_name=scope.community.name or scope.community.external_id,
        timezone=scope.community.timezone,
        period_start=period_start,
        period_end=period_end,
        shape_now=_every_level(await shape_now(session, community_id, period_end), levels),
        shape_before=_every_level(await shape_at(session, community_id, before_at), levels),
        shape_before_at=before_at,
        promotions=_every_level(await promotions(session, community_id, period), levels[1:]),
        newcomer_cohort=len(cohort),
        newcomers_reached_level_1=reached,
        newcomer_share=_share(reached, len(cohort)),
        stalled=await stalled(
            session,
            community_id,
            period,
            stalled_below(config),
            period_end - timedelta(weeks=config.digest.stalled_weeks),
        ),
        questions_asked=counts.asked,
        questions_deflected=counts.deflected,
        questions_solved=counts.solved,
        questions_answered=len(times),
        questions_timed=len(times) + waited_out,
        median_first_response=median(times),
        answered_in_target_share=_share(sum(1 for t in times if t <= target), len(times) + waited_out),
        first_tier_share=_share(counts.first_tier, len(times)),
        escalated_to_top=counts.escalated_to_top,
        unanswered=await unanswered(session, community_id, period),
        answers=total_answers,
        answerers=len(helpers),
        absence_factor=absence_factor(helpers),
        top_tier_answers=top_answers,
        top_tier_newcomer_share=_share(sum(h.to_newcomers for h in top_tier), top_answers),
        calls_opened=calls.opened,
        calls_filled=len(fills),
        median_time_to_fill=median(fills),
        calls_waitlisted=calls.waitlisted,
        calls_unfilled=calls.unfilled,
        call_fill_rate=_share(len(fills), len(fills) + calls.unfilled),
        cohort_start=cohort_end - COHORT_SPAN,
        cohort_end=cohort_end,
    )
    return with_flags(report, config)


async def health_now(acting: Acting, names: Sequence[tuple[str, str]] = ()) -> Outcome:
    """``/ladder health``: the digest of the last period, privately, with its chart, and ``names``
    (a manager's named fields: who is ready for confirmation, who is stalled; read by the caller
    from the dashboard's read models, which build on this package).

    Periods are half-open; this one ends just after ``now`` so that whatever happened at this very
    instant (a question asked a moment ago on a frozen test clock) is already counted. The figures
    are read in the transaction; the message and its chart are drawn after it commits, off the
    event loop (drawing holds no database lock).
    """
    scope = acting.scope
    start = scope.now - timedelta(days=scope.config.digest.period_days)
    report = await build_report(scope, start, scope.now + UP_TO_NOW)
    return Outcome(later=[partial(_with_fields, report, scope.config, tuple(names))])


def _with_fields(report: HealthReport, config: LadderConfig, names: tuple[tuple[str, str], ...]) -> Message:
    """The digest's message and chart, with a manager's named fields after its own."""
    message = report_message(report, config)
    return replace(message, fields=(*message.fields, *names)) if names else message


def stalled_below(config: LadderConfig) -> int:
    """Only members below this level can be stalled: from it, the next level is reached only by a
    manager's appointment (a Co-creator waits for nothing they could do)."""
    return next((r.number - 1 for r in config.levels if r.appointed_only and r.number > 0), config.top_level)


def top_tier_floor(config: LadderConfig) -> int:
    """The lowest level of the top tier: the first one reached only by a manager's say."""
    return next(
        (r.number for r in config.levels if r.manager_confirmation or r.appointed_only),
        config.top_level,
    )


def absence_factor(helpers: list[Answerer]) -> int:
    """The fewest answerers whose answers make up at least half of all answers (0 if none)."""
    total = sum(h.answers for h in helpers)
    running = 0
    for count, helper in enumerate(sorted(helpers, key=lambda h: -h.answers), start=1):
        running += helper.answers
        if running * 2 >= total:
            return count
    return 0


def median(values: list[timedelta]) -> timedelta | None:
    """The median duration, or None for an empty period (``statistics.median`` over whole
    microseconds: its types take numbers, not durations)."""
    if not values:
        return None
    return timedelta(microseconds=statistics.median(value // _MICROSECOND for value in values))


def with_flags(report: HealthReport, config: LadderConfig) -> HealthReport:
    """Return the report with its flags: one sentence per figure past its threshold."""
    return replace(report, flags=tuple(flags(report, config)))


def flags(report: HealthReport, config: LadderConfig) -> list[str]:
    """The figures that crossed a threshold of ``config.digest``, in words.

    A share is flagged only on a sample of at least ``flag_min_questions`` questions,
    ``flag_min_answers`` answers or ``flag_min_calls`` ended calls (:func:`handlers.report.flag_samples`
    says so in the digest): one escalated question is an anecdote, not a trend.
    """
    digest = config.digest
    found: list[str] = []
    target = format_duration(timedelta(minutes=digest.first_response_target_minutes))
    share = report.answered_in_target_share
    timed = report.questions_timed
    enough_questions = timed >= digest.flag_min_questions
    if share is not None and enough_questions and share < digest.min_answered_in_target_share:
        median_text = (
            f"median {format_duration(report.median_first_response)}"
            if report.median_first_response is not None
            else "no question got an answer"
        )
        found.append(
            f"First answers are slow: {median_text}, target {target}; "
            f"{format_share(share)} of {plural(timed, 'question')} answered within the target "
            f"(aim: {format_share(digest.min_answered_in_target_share)})."
        )
    if report.unanswered:
        waiting = plural(report.unanswered, "question is", "questions are")
        found.append(f"{waiting} still unanswered.")
    first_tier = report.first_tier_share
    answered = report.questions_answered
    enough_answered = answered >= digest.flag_min_questions
    if first_tier is not None and enough_answered and first_tier < digest.min_first_tier_share:
        found.append(
            f"Questions often need escalating: {format_share(first_tier)} of {answered} answered "
            f"questions were answered by the first helpers pinged "
            f"(aim: {format_share(digest.min_first_tier_share)})."
        )
    if 1 <= report.absence_factor <= 2 and report.answers >= digest.flag_min_answers:
        found.append(
            f"Answers rest on {plural(report.absence_factor, 'person', 'people')}: "
            f"{'they' if report.absence_factor > 1 else 'one person'} gave half or more of the "
            f"period's {plural(report.answers, 'answer')}."
        )
    newcomer_share = report.top_tier_newcomer_share
    if (
        newcomer_share is not None
        and report.top_tier_answers >= digest.flag_min_answers
        and newcomer_share > digest.max_top_tier_newcomer_share
    ):
        found.append(
            f"The top tier is answering newcomers: {format_share(newcomer_share)} of its "
            f"{plural(report.top_tier_answers, 'answer')} went to newcomers "
            f"(limit: {format_share(digest.max_top_tier_newcomer_share)})."
        )
    fill_rate = report.call_fill_rate
    ended = report.calls_filled + report.calls_unfilled
    if fill_rate is not None and ended >= digest.flag_min_calls and fill_rate < digest.min_call_fill_rate:
        found.append(
            f"Calls go unfilled: {report.calls_filled} of {ended} filled "
            f"({format_share(fill_rate)}, aim: {format_share(digest.min_call_fill_rate)})."
        )
    if report.stalled:
        found.append(
            f"{plural(report.stalled, 'active member has', 'active members have')} not advanced in "
            f"{plural(digest.stalled_weeks, 'week')} and {'has' if report.stalled == 1 else 'have'} "
            "no quest in progress."
        )
    return found


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _every_level(counts: dict[int, int], levels: list[int]) -> dict[int, int]:
    """Counts with every ladder level present (0 when empty), plus any level outside the ladder."""
    return {**dict.fromkeys(levels, 0), **counts}
