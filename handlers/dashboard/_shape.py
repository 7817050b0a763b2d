"""The ladder's shape week by week: members per level at the end of each of the last weeks.

A member's level at a moment is the ``to_level`` of their last level change by then (none: a
Newcomer), counted once they had joined; bots are not counted and erased members are, as the
digest's "ladder shape" counts them (``handlers.health_queries.shape_at``), so both agree.

Twelve separate snapshots would cost twelve passes over every member. Instead one pass groups
members by their level at the first week's end and the week they joined; only members whose level
changed after that (a few, read through the audit's time index) are then followed week by week.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.dashboard._rows import level_name
from handlers.kernel import Scope
from models import LevelChange, Member, countable
from models.queries import chunks

WEEK = timedelta(weeks=1)


@dataclass(frozen=True, slots=True)
class WeekShape:
    """Members per level (every level of the ladder present) at ``ends_at``."""

    ends_at: datetime
    members: dict[int, int]

    @property
    def total(self) -> int:
        """Members counted that week."""
        return sum(self.members.values())


@dataclass(frozen=True, slots=True)
class LadderShape:
    """The ladder's levels (number, name) and its shape at the end of each week, oldest first."""

    levels: tuple[tuple[int, str], ...]
    weeks: tuple[WeekShape, ...]


async def ladder_shape(scope: Scope, weeks: int = 12, end: datetime | None = None) -> LadderShape:
    """Members per level at the end of each of the ``weeks`` weeks ending at ``end`` (default now)."""
    last = end or scope.now
    ends = [last - WEEK * (weeks - 1 - k) for k in range(weeks)]
    session, community_id = scope.session, scope.community_id
    counts = [Counter[int]() for _ in ends]
    for level, joined_week, members in await _grouped_at_first_end(session, community_id, ends):
        for week in range(joined_week, len(ends)):
            counts[week][level] += members
    changes = await _changes_after(session, community_id, ends[0], ends[-1])
    for member_id, joined_week, first_level in await _followed(session, community_id, ends, list(changes)):
        history = changes[member_id]
        for week in range(joined_week, len(ends)):
            counts[week][first_level] -= 1
            counts[week][_level_at(history, ends[week], first_level)] += 1
    levels = [rule.number for rule in scope.config.levels]
    shapes = tuple(
        WeekShape(at, {**dict.fromkeys(levels, 0), **{lv: n for lv, n in c.items() if n or lv in levels}})
        for at, c in zip(ends, counts, strict=True)
    )
    return LadderShape(tuple((n, level_name(scope.config, n)) for n in levels), shapes)


def _level_at(history: Sequence[tuple[datetime, int]], at: datetime, before: int) -> int:
    """The level after the last change by ``at`` (``before`` when none; history in time order)."""
    level = before
    for changed_at, to_level in history:
        if changed_at > at:
            break
        level = to_level
    return level


def _last_change_by(at: datetime) -> object:
    """The ``to_level`` of the member's last change by ``at`` (correlated: one index seek)."""
    return (
        select(col(LevelChange.to_level))
        .where(col(LevelChange.member_id) == Member.id, col(LevelChange.created_at) <= at)
        .order_by(col(LevelChange.created_at).desc(), col(LevelChange.id).desc())
        .limit(1)
        .correlate(Member)
        .scalar_subquery()
    )


def _joined_week(ends: Sequence[datetime]) -> object:
    """The first week (index into ``ends``) whose end the member had joined by; past the end: never."""
    return case(*((col(Member.joined_at) <= at, k) for k, at in enumerate(ends)), else_=len(ends))


async def _grouped_at_first_end(
    session: AsyncSession, community_id: int, ends: Sequence[datetime]
) -> list[tuple[int, int, int]]:
    """(level at the first end, week joined, members) over every counted member."""
    level = func.coalesce(_last_change_by(ends[0]), 0).label("level")
    joined = _joined_week(ends).label("joined")  # type: ignore[attr-defined]
    people = select(level, joined).where(
        col(Member.community_id) == community_id, countable(with_forgotten=True)
    )
    grouped = people.subquery()
    rows = await session.execute(
        select(grouped.c.level, grouped.c.joined, func.count()).group_by(grouped.c.level, grouped.c.joined)
    )
    return [(int(lv), int(week), int(n)) for lv, week, n in rows.all() if week < len(ends)]


async def _changes_after(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, int]]]:
    """Level changes after ``start`` up to ``end``, per member in time order (the audit's time index)."""
    rows = await session.execute(
        select(col(LevelChange.member_id), col(LevelChange.created_at), col(LevelChange.to_level))
        .where(
            col(LevelChange.community_id) == community_id,
            col(LevelChange.created_at) > start,
            col(LevelChange.created_at) <= end,
        )
        .order_by(col(LevelChange.created_at), col(LevelChange.id))
    )
    changes: dict[int, list[tuple[datetime, int]]] = {}
    for member_id, at, to_level in rows.all():
        changes.setdefault(member_id, []).append((at, to_level))
    return changes


async def _followed(
    session: AsyncSession, community_id: int, ends: Sequence[datetime], member_ids: list[int]
) -> list[tuple[int, int, int]]:
    """(member, week joined, level at the first end) of the counted members among ``member_ids``."""
    found: list[tuple[int, int, int]] = []
    level = func.coalesce(_last_change_by(ends[0]), 0)
    for chunk in chunks(sorted(member_ids)):
        rows = await session.execute(
            select(col(Member.id), _joined_week(ends), level).where(  # type: ignore[call-overload]
                col(Member.id).in_(chunk),
                col(Member.community_id) == community_id,
                countable(with_forgotten=True),
            )
        )
        found.extend((int(m), int(week), int(lv)) for m, week, lv in rows.all() if week < len(ends))
    return found
