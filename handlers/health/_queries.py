"""The digest's SQL: every figure is a COUNT/SUM/GROUP BY in the database.

Only small per-period sets ever come back as rows (the period's response and fill times, one count
per answerer, one row per member of a 28-day newcomer cohort), so a community of 100,000 members
costs a handful of indexed aggregates. Everything here is plain SQLAlchemy that runs the same on
SQLite and PostgreSQL: no date arithmetic in SQL, no dialect-only functions.

Periods are half-open: ``start <= t < end``.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, or_, true
from sqlalchemy import select as sql_select
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.health._period import Period
from handlers.kernel import LadderConfig
from models import (
    ActiveDay,
    Answer,
    Call,
    CallSignup,
    LevelChange,
    LevelChangeKind,
    Member,
    Question,
    QuestionStatus,
    QuestProgress,
    QuestStatus,
    countable,
)

ANSWER_LOOKBACK = timedelta(days=28)


@dataclass(frozen=True, slots=True)
class QuestionCounts:
    """Counts over the questions asked in the period."""

    asked: int
    deflected: int
    first_tier: int
    escalated_to_top: int
    solved: int


@dataclass(frozen=True, slots=True)
class Answerer:
    """One member's answers in the period: how many, how many to newcomers, and their level."""

    answers: int
    to_newcomers: int
    level: int


@dataclass(frozen=True, slots=True)
class CallCounts:
    """Counts over the community's calls in the period."""

    opened: int
    unfilled: int
    waitlisted: int


def _people(community_id: int) -> ColumnElement[bool]:
    """Members who count in the ladder: everyone but bots. An erased member's row stays in the
    counts, anonymous, so erasing someone never changes the community's statistics."""
    return and_(col(Member.community_id) == community_id, countable(with_forgotten=True))


def _in(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column < period.end)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def shape_now(session: AsyncSession, community_id: int, at: datetime) -> dict[int, int]:
    """Members per current level, among those who had joined by ``at``."""
    rows = await session.exec(
        select(Member.level, func.count())
        .where(_people(community_id), col(Member.joined_at) <= at)
        .group_by(col(Member.level))
    )
    return dict(rows.all())


async def shape_at(session: AsyncSession, community_id: int, at: datetime) -> dict[int, int]:
    """Members per level as it stood at ``at``: the ``to_level`` of each member's last change.

    The last change is one index seek per member (``levelchange.member_id``), so the cost grows
    with members, not with the history of changes; no change by then means a Newcomer.
    """
    last_change = (
        select(LevelChange.to_level)
        .where(col(LevelChange.member_id) == Member.id, col(LevelChange.created_at) <= at)
        .order_by(col(LevelChange.created_at).desc(), col(LevelChange.id).desc())
        .limit(1)
        .correlate(Member)
        .scalar_subquery()
    )
    levels = (
        select(func.coalesce(last_change, 0).label("level"))
        .where(_people(community_id), col(Member.joined_at) <= at)
        .subquery()
    )
    rows = await session.exec(select(levels.c.level, func.count()).group_by(levels.c.level))
    return {int(level): count for level, count in rows.all()}


async def promotions(session: AsyncSession, community_id: int, period: Period) -> dict[int, int]:
    """Promotions in the period, counted by the level reached; placements from an imported history
    are not promotions (they are dated when the import ran, not when the member climbed)."""
    rows = await session.exec(
        select(LevelChange.to_level, func.count())
        .join(Member, col(Member.id) == LevelChange.member_id)
        .where(
            col(LevelChange.community_id) == community_id,
            _in(col(LevelChange.created_at), period),
            col(LevelChange.to_level) > col(LevelChange.from_level),
            col(LevelChange.kind) != LevelChangeKind.PLACED,
            _people(community_id),
        )
        .group_by(col(LevelChange.to_level))
    )
    return dict(rows.all())


async def newcomer_cohort(
    session: AsyncSession, community_id: int, joined_from: datetime, joined_before: datetime
) -> list[tuple[datetime, datetime | None]]:
    """Each cohort member's join time and first promotion to level 1 or above (or None)."""
    first_promotion = (
        select(func.min(LevelChange.created_at))
        .where(col(LevelChange.member_id) == Member.id, col(LevelChange.to_level) >= 1)
        .correlate(Member)
        .scalar_subquery()
    )
    rows = await session.exec(
        select(Member.joined_at, first_promotion).where(
            _people(community_id),
            col(Member.joined_at) >= joined_from,
            col(Member.joined_at) < joined_before,
        )
    )
    return list(rows.all())


def stalled_conditions(
    community_id: int, period: Period, below: int, level_since_by: datetime
) -> list[ColumnElement[bool]]:
    """Who counts as stalled: members active in the period, below level ``below``, unchanged since
    ``level_since_by``, with no quest submitted and awaiting review (the digest counts them; the
    dashboard and a manager's ``/ladder health`` list them by name).

    ``Member.last_active_at`` is never older than the member's latest ``ActiveDay`` (both are
    written together when activity is recorded), so it rules out members idle since before the
    period without a lookup per member; the ``ActiveDay`` check then keeps the answer exact.
    """
    first_day, last_day = period.days
    first_midnight = datetime.combine(first_day, time(), UTC)
    active = exists().where(
        col(ActiveDay.member_id) == Member.id,
        col(ActiveDay.day) >= first_day,
        col(ActiveDay.day) <= last_day,
    )
    questing = exists().where(
        col(QuestProgress.member_id) == Member.id,
        col(QuestProgress.status) == QuestStatus.SUBMITTED,
    )
    return [
        _people(community_id),
        col(Member.level) < below,
        col(Member.level_since) <= level_since_by,
        col(Member.last_active_at) >= first_midnight,
        active,
        ~questing,
    ]


async def stalled(
    session: AsyncSession, community_id: int, period: Period, below: int, level_since_by: datetime
) -> int:
    """How many members are stalled (:func:`stalled_conditions`)."""
    count = await session.exec(
        select(func.count()).where(*stalled_conditions(community_id, period, below, level_since_by))
    )
    return count.one()


def _reached_top(config: LadderConfig) -> ColumnElement[bool]:
    """Questions that were exhausted or escalated into the tier that answers escalations."""
    reached: list[ColumnElement[bool]] = [col(Question.exhausted) == true()]
    for rule in config.levels:
        if not any(r.answers_escalations and r.number > rule.number for r in config.levels):
            continue
        top_index = len(config.tiers_for(rule.number)) - 1
        reached.append(
            and_(
                col(Question.asker_level) == rule.number,
                col(Question.escalations) > 0,
                col(Question.tier_index) >= top_index,
            )
        )
    return or_(*reached)


async def question_counts(
    session: AsyncSession, community_id: int, period: Period, config: LadderConfig
) -> QuestionCounts:
    """Asked, deflected, answered by the first tier (never escalated), escalated to the top, and
    solved (an answer accepted by any signal: a mark, a positive reaction, thanks)."""
    deflected = col(Question.status) == QuestionStatus.DEFLECTED
    answered = and_(col(Question.first_response_at).is_not(None), ~deflected)
    row = (
        await session.execute(
            sql_select(
                func.count(),
                _count_if(deflected),
                _count_if(and_(answered, col(Question.escalations) == 0)),
                _count_if(_reached_top(config)),
                _count_if(col(Question.status) == QuestionStatus.SOLVED),
            ).where(
                col(Question.community_id) == community_id,
                _in(col(Question.asked_at), period),
            )
        )
    ).one()
    return QuestionCounts(*(int(value) for value in row))


async def routed_questions(
    session: AsyncSession, community_id: int, period: Period
) -> list[tuple[datetime, datetime | None]]:
    """Ask time and first response (None while unanswered) of the period's routed questions."""
    rows = await session.exec(
        select(Question.asked_at, Question.first_response_at).where(
            col(Question.community_id) == community_id,
            _in(col(Question.asked_at), period),
            col(Question.status) != QuestionStatus.DEFLECTED,
        )
    )
    return list(rows.all())


async def unanswered(session: AsyncSession, community_id: int, period: Period) -> int:
    """Questions asked before the period's end that are still open (nobody has replied).

    The status index finds the open questions; their ask time is tested per row, so the query
    never walks the community's whole question history.
    """
    count = await session.exec(
        select(_count_if(col(Question.asked_at) < period.end)).where(
            col(Question.community_id) == community_id,
            col(Question.status) == QuestionStatus.OPEN,
        )
    )
    return int(count.one())


async def answerers(session: AsyncSession, community_id: int, period: Period) -> list[Answerer]:
    """Per member who answered in the period: answers, answers to newcomers, level; most first.

    Answers are found through their questions, asked at most ``ANSWER_LOOKBACK`` before the
    period (the question index bounds the search; answers have no time index), and counted when
    given in the period.
    """
    per_member = (
        select(
            col(Answer.member_id).label("member_id"),
            func.count().label("answers"),
            _count_if(col(Question.asker_level) == 0).label("to_newcomers"),
        )
        .join(Question, col(Question.id) == Answer.question_id)
        .where(
            col(Question.community_id) == community_id,
            col(Question.asked_at) >= period.start - ANSWER_LOOKBACK,
            col(Question.asked_at) < period.end,
            _in(col(Answer.created_at), period),
        )
        .group_by(col(Answer.member_id))
        .subquery()
    )
    rows = await session.exec(
        select(per_member.c.answers, per_member.c.to_newcomers, Member.level)
        .join(Member, col(Member.id) == per_member.c.member_id)
        .where(countable(with_forgotten=True))
        .order_by(per_member.c.answers.desc())
    )
    return [Answerer(int(n), int(newcomers), level) for n, newcomers, level in rows.all()]


async def call_counts(session: AsyncSession, community_id: int, period: Period) -> CallCounts:
    """Calls opened and closed unfilled in the period, and sign-ups put on a waitlist in it
    (counted when they were waitlisted, whatever became of them since)."""
    opened, unfilled = (
        await session.exec(
            select(
                _count_if(_in(col(Call.created_at), period)),
                _count_if(and_(_in(col(Call.closed_at), period), col(Call.filled_at).is_(None))),
            ).where(col(Call.community_id) == community_id)
        )
    ).one()
    waitlisted = await session.exec(
        select(func.count())
        .select_from(CallSignup)
        .join(Call, col(Call.id) == CallSignup.call_id)
        .where(
            col(Call.community_id) == community_id,
            _in(col(CallSignup.waitlisted_at), period),
        )
    )
    return CallCounts(int(opened), int(unfilled), waitlisted.one())


async def fill_times(session: AsyncSession, community_id: int, period: Period) -> list[timedelta]:
    """Time from opening to filled, for each call filled in the period."""
    rows = await session.exec(
        select(Call.created_at, Call.filled_at).where(
            col(Call.community_id) == community_id,
            _in(col(Call.filled_at), period),
        )
    )
    return [filled - opened for opened, filled in rows.all() if filled is not None]
