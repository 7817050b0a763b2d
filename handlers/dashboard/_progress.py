"""Ready & stalled: who waits only for a manager's confirmation, and who has stopped climbing.

Both lists name members, so only a manager sees them (the dashboard, ``/ladder health`` in
private); the public digest only counts the stalled. What each member still needs comes from
``handlers.standing.missing``, the same words ``/ladder why`` gives the member.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from handlers.dashboard._members import listed, member_rows
from handlers.dashboard._paging import Page, clamp, count_rows, offset_of, offset_page, query_tag
from handlers.dashboard._rows import MemberRow
from handlers.health import UP_TO_NOW, Period, stalled_below, stalled_conditions
from handlers.kernel import Scope
from handlers.ladder import only_confirmation_missing
from models import Member


@dataclass(frozen=True, slots=True)
class ReadyMember:
    """A member who meets every requirement of ``member.next_level`` but a manager's confirmation."""

    member: MemberRow


@dataclass(frozen=True, slots=True)
class StalledMember:
    """A stalled member and the one thing they are missing next (``more`` other things after it)."""

    member: MemberRow

    @property
    def next_step(self) -> str:
        """The first requirement of the next level they do not meet, in the ladder's order."""
        return self.member.missing[0] if self.member.missing else self.member.missing_text

    @property
    def more(self) -> int:
        """How many other requirements they miss after ``next_step``."""
        return max(0, len(self.member.missing) - 1)


async def ready_for_confirmation(scope: Scope) -> tuple[ReadyMember, ...]:
    """Everyone who meets a confirmation level's requirements but the confirmation, highest first.

    The totals on the member row pick the candidates in SQL (each test there is one that
    ``missing`` also makes, so nobody ready is left out); ``missing`` then decides.
    """
    config, ready = scope.config, list[ReadyMember]()
    for rule in config.levels:
        if not rule.manager_confirmation or rule.appointed_only or rule.number == 0:
            continue
        joined_by = scope.now - timedelta(days=rule.min_days_in_community)
        candidates = await scope.session.exec(
            select(Member)
            .where(
                *listed(scope),
                col(Member.level) == rule.number - 1,
                col(Member.points) >= rule.min_points,
                col(Member.accepted_answers) >= rule.min_accepted_answers,
                col(Member.calls_fulfilled) + col(Member.calls_led) >= rule.min_calls,
                col(Member.joined_at) <= joined_by,
            )
            .order_by(col(Member.points).desc(), col(Member.id))
        )
        rows = await member_rows(scope, list(candidates.all()))
        ready.extend(ReadyMember(row) for row in rows if only_confirmation_missing(list(row.missing)))
    ready.sort(key=lambda r: -r.member.level)
    return tuple(ready)


def digest_period(scope: Scope) -> tuple[datetime, datetime]:
    """The period a digest built now covers (as ``/ladder health`` reads it): the last
    ``digest.period_days`` days, up to and including this instant."""
    return scope.now - timedelta(days=scope.config.digest.period_days), scope.now + UP_TO_NOW


async def stalled_members(
    scope: Scope,
    start: datetime | None = None,
    end: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[StalledMember]:
    """The members the digest counts as stalled in ``[start, end)`` (default: the period a digest
    built now covers), longest unchanged first, each with the one thing they are missing.

    ``Page.total`` equals the digest's "stalled" figure for the same period.
    """
    default_start, default_end = digest_period(scope)
    period = Period(start or default_start, end or default_end)
    since_by = period.end - timedelta(weeks=scope.config.digest.stalled_weeks)
    conditions = stalled_conditions(scope.community_id, period, stalled_below(scope.config), since_by)
    tag = query_tag("stalled", period.start, period.end)
    offset, size = offset_of(tag, cursor), clamp(limit)
    total = await count_rows(scope.session, Member, *conditions)
    found = await scope.session.exec(
        select(Member)
        .where(*conditions)
        .order_by(col(Member.level_since), col(Member.id))
        .offset(offset)
        .limit(size)
    )
    rows = await member_rows(scope, list(found.all()))
    return offset_page(tag, [StalledMember(row) for row in rows], total, offset, size)
