"""The Members page: every member with their level, totals and what the next level still needs.

Sorting and filtering read the totals kept on the member row (``Member.points`` …) through the
sort indexes of migration 0006, so a page of 100,000 members is a keyset range scan plus a count;
only the rows shown get their standing (active days, approved quests) for the "missing" sentence.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy import select as sql_select
from sqlmodel import col, select

from handlers.dashboard._paging import Keyset, Page, clamp, count_rows, keyset_page, query_tag
from handlers.dashboard._rows import MemberRow, level_name, member_name
from handlers.kernel import Scope
from handlers.ladder import missing, standings
from models import ContributionKind, Member, MemberStatus, countable
from models.queries import is_sqlite


class MemberSort(StrEnum):
    """The columns the Members page sorts by."""

    NAME = "name"
    LEVEL = "level"
    POINTS = "points"
    ACCEPTED_ANSWERS = "accepted_answers"
    ANSWERS_GIVEN = "answers_given"
    LAST_ACTIVE = "last_active"
    JOINED = "joined"


SORT_COLUMNS: dict[MemberSort, Any] = {
    MemberSort.NAME: col(Member.display_name),
    MemberSort.LEVEL: col(Member.level),
    MemberSort.POINTS: col(Member.points),
    MemberSort.ACCEPTED_ANSWERS: col(Member.accepted_answers),
    MemberSort.ANSWERS_GIVEN: col(Member.answers_given),
    MemberSort.LAST_ACTIVE: col(Member.last_active_at),
    MemberSort.JOINED: col(Member.joined_at),
}
LISTED_STATUSES = (MemberStatus.ACTIVE, MemberStatus.RESTING)


@dataclass(frozen=True, slots=True)
class MemberQuery:
    """What the Members page shows: filters, one sort, and where the page starts.

    ``level`` and ``status`` filter (None: all; ``status`` is active or resting); ``search``
    matches a part of the name or platform id, case-insensitively; ``cursor`` is a
    :class:`Page` cursor from the same query (None: the first page).
    """

    level: int | None = None
    status: MemberStatus | None = None
    search: str = ""
    sort: MemberSort = MemberSort.POINTS
    descending: bool = True
    cursor: str | None = None
    limit: int = 50

    def tag(self) -> str:
        """The fingerprint cursors of this query carry."""
        return query_tag(
            "members", self.level, self.status, self.search.strip().lower(), self.sort, self.descending
        )


def listed(scope: Scope) -> list[ColumnElement[bool]]:
    """The members the dashboard lists: countable people of this community, active or resting
    (the status filter, not countable()'s, keeps the listing index usable)."""
    return [
        col(Member.community_id) == scope.community_id,
        countable(with_forgotten=True),
        col(Member.status).in_(LISTED_STATUSES),
    ]


def member_filters(scope: Scope, query: MemberQuery) -> list[ColumnElement[bool]]:
    """The WHERE clause of a members query: who is listed, narrowed by the query's filters.

    A search is a case-insensitive substring of the name or platform id (SQLite's ``LIKE`` already
    ignores ASCII case; PostgreSQL's ``ILIKE`` does the same for every script).
    """
    conditions = listed(scope)
    if query.level is not None:
        conditions.append(col(Member.level) == query.level)
    if query.status is not None:
        conditions.append(col(Member.status) == query.status)
    words = query.search.strip()
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        columns = (col(Member.display_name), col(Member.external_id))
        if is_sqlite(scope.session):
            conditions.append(or_(*(column.like(pattern, escape="\\") for column in columns)))
        else:
            conditions.append(or_(*(column.ilike(pattern, escape="\\") for column in columns)))
    return conditions


async def members_page(scope: Scope, query: MemberQuery) -> Page[MemberRow]:
    """One page of the Members page (see :class:`MemberQuery`), with the total that matches.

    Without a search, the page is a range of the sort column's index and the total a count over
    the listing index. With one, a single pass over the listing index finds the members it
    matches, counts them (a window count) and sorts only them: walking the sort index and testing
    every name would read all 100,000 rows to find a few.
    """
    conditions = member_filters(scope, query)
    column = SORT_COLUMNS[query.sort]
    nullable = query.sort is MemberSort.LAST_ACTIVE
    tag, limit = query.tag(), clamp(query.limit)
    if not query.search.strip():
        total = await count_rows(scope.session, Member, *conditions)
        statement = sql_select(col(Member.id), column, col(Member.id)).where(*conditions)
        keyset = Keyset(column, col(Member.id), query.descending, nullable)
        page = await keyset_page(scope.session, statement, keyset, tag, query.cursor, limit, total)
    else:
        matched = (
            sql_select(col(Member.id).label("id"), func.count().over().label("total"))
            .where(*conditions)
            .subquery()
        )
        statement = sql_select(matched.c.total, column, col(Member.id)).join_from(
            matched, Member, col(Member.id) == matched.c.id
        )
        keyset = Keyset(column, col(Member.id), query.descending, nullable)
        page = await keyset_page(scope.session, statement, keyset, tag, query.cursor, limit, 0)
        if page.rows:
            total = page.rows[0][0]
        elif query.cursor is None:
            total = 0  # the first page holds every match: there are none
        else:
            total = await count_rows(scope.session, Member, *conditions)
    rows = await rows_for_ids(scope, [ident for _, _, ident in page.rows])
    return Page(tuple(rows), total, page.first, page.next_cursor, page.previous_cursor)


async def rows_for_ids(scope: Scope, member_ids: Sequence[int]) -> list[MemberRow]:
    """Member rows of this community, in the order of ``member_ids`` (unknown ids are skipped).

    The ids are looked up by primary key alone and the community checked here: SQLite, without
    statistics, would otherwise walk the community's index instead of the key.
    """
    if not member_ids:
        return []
    found = await scope.session.exec(select(Member).where(col(Member.id).in_(member_ids)))
    by_id = {member.id: member for member in found.all() if member.community_id == scope.community_id}
    return await member_rows(scope, [by_id[i] for i in member_ids if i in by_id])


async def member_rows(scope: Scope, members: Sequence[Member]) -> list[MemberRow]:
    """Rows for members already loaded: their standing, and what their next level still needs."""
    config, now = scope.config, scope.now
    standing_of = await standings(scope, members)
    rows: list[MemberRow] = []
    for member in members:
        assert member.id is not None
        standing = standing_of[member.id]
        next_level = member.level + 1 if member.level < config.top_level else None
        gaps = (
            tuple(missing(config.level(next_level), standing, config, now)) if next_level is not None else ()
        )
        rows.append(
            MemberRow(
                member_id=member.id,
                external_id=member.external_id,
                name=member_name(member),
                level=member.level,
                level_name=level_name(config, member.level),
                status=MemberStatus(member.status),
                is_manager=member.is_manager,
                points=standing.points,
                accepted_answers=standing.accepted_answers,
                answers_given=standing.kinds.get(ContributionKind.ANSWER_GIVEN, 0),
                calls=standing.calls,
                active_days=standing.active_days,
                joined_at=member.joined_at,
                level_since=member.level_since,
                last_active_at=member.last_active_at,
                next_level=next_level,
                next_level_name=level_name(config, next_level) if next_level is not None else None,
                missing=gaps,
            )
        )
    return rows
