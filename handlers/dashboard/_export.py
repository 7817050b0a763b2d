"""Every dashboard table as CSV or JSON, streamed: rows are read in batches through a
server-side cursor (``yield_per``) or page after page, and written out as they come, so memory
stays flat at any size (:mod:`handlers.dashboard._encode` writes the bytes).
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Select, func
from sqlalchemy import select as sql_select
from sqlalchemy.orm import aliased
from sqlmodel import col

from handlers.dashboard._calls import calls_page
from handlers.dashboard._encode import ExportFormat, Row, encode
from handlers.dashboard._members import SORT_COLUMNS, MemberQuery, MemberSort, member_filters, member_rows
from handlers.dashboard._paging import Page
from handlers.dashboard._progress import StalledMember, ready_for_confirmation, stalled_members
from handlers.dashboard._questions import QuestionView, questions_page
from handlers.dashboard._records import ReviewView, change_row, digests_page, quest_reviews
from handlers.dashboard._rows import CallRow
from handlers.dashboard._settings import settings_in_force
from handlers.dashboard._shape import ladder_shape
from handlers.kernel import Scope
from models import Contribution, LevelChange, Member

BATCH = 500
T = TypeVar("T")


class ExportTable(StrEnum):
    """The tables the dashboard shows, as ``ladder export`` and the download links name them."""

    MEMBERS = "members"
    SHAPE = "shape"
    READY = "ready"
    STALLED = "stalled"
    QUESTIONS = "questions"
    CALLS = "calls"
    SIGNUPS = "signups"
    QUEST_REVIEWS = "quest-reviews"
    DIGESTS = "digests"
    AUDIT = "audit"
    SETTINGS = "settings"
    LEDGER = "ledger"


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Which rows a table exports: the Members page's filters and sort (its cursor and limit are
    ignored: every matching row is exported), the Questions and Quest reviews views, and for the
    ledger and the audit log one member (None: the whole community)."""

    members: MemberQuery = field(default_factory=MemberQuery)
    questions: QuestionView = QuestionView.UNANSWERED
    reviews: ReviewView = ReviewView.PENDING
    member_id: int | None = None


def export_filename(scope: Scope, table: ExportTable, fmt: ExportFormat) -> str:
    """A download's file name: ``ladder-<community>-<table>-<date>.<format>`` (safe characters only)."""
    name = scope.community.name or scope.community.external_id
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in name.lower()).strip("-") or "community"
    return f"ladder-{slug[:40]}-{table.value}-{scope.now:%Y-%m-%d}.{fmt.value}"


async def export_table(
    scope: Scope, table: ExportTable, fmt: ExportFormat, options: ExportOptions | None = None
) -> AsyncIterator[bytes]:
    """The table's rows encoded as ``fmt``, in UTF-8 chunks of a few hundred rows each.

    The caller keeps ``scope.session`` open until the generator is exhausted.
    """
    header, batches = await _TABLES[table](scope, options or ExportOptions())
    async for chunk in encode(fmt, header, batches):
        yield chunk


# Tables: each gives its header and its rows in batches.

Table = tuple[tuple[str, ...], AsyncIterator[list[Row]]]
Reader = Callable[[str | None], Awaitable[Page[Any]]]

MEMBER_COLUMNS = (
    "member_id",
    "external_id",
    "name",
    "level",
    "level_name",
    "status",
    "is_manager",
    "points",
    "accepted_answers",
    "answers_given",
    "calls",
    "active_days",
    "joined_at",
    "level_since",
    "last_active_at",
    "next_level",
    "next_level_name",
    "missing",
)
QUESTION_COLUMNS = (
    "question_id",
    "asked_at",
    "age",
    "asker_id",
    "asker_name",
    "asker_level_name",
    "status",
    "tier",
    "tiers",
    "tier_levels",
    "escalations",
    "exhausted",
    "first_response_at",
    "waiting_on",
    "text",
)
CALL_COLUMNS = (
    "call_id",
    "title",
    "status",
    "need",
    "min_level_name",
    "skills",
    "creator_name",
    "created_at",
    "deadline",
    "filled_at",
    "closed_at",
)
REVIEW_COLUMNS = (
    "progress_id",
    "member_id",
    "member_name",
    "quest_key",
    "quest_title",
    "quest_level",
    "status",
    "submitted_at",
    "reviewer_name",
    "reviewed_at",
    "note",
    "evidence",
)
DIGEST_COLUMNS = (
    "digest_id",
    "period_start",
    "period_end",
    "status",
    "claimed_at",
    "posted_at",
    "late",
    "channel_id",
)
CHANGE_COLUMNS = (
    "change_id",
    "at",
    "member_id",
    "member_name",
    "from_level",
    "from_level_name",
    "to_level",
    "to_level_name",
    "by_name",
    "reason",
)
SIGNUP_COLUMNS = ("call_id", "member_id", "name", "status", "joined_at", "waitlisted_at")


def _values(row: object, columns: Sequence[str]) -> Row:
    """A row's attributes named by ``columns`` (the export's header), in order."""
    return tuple(getattr(row, column) for column in columns)


async def _pages(read: Reader, convert: Callable[[Any], T]) -> AsyncIterator[list[T]]:
    """Every page of a paged table, page after page."""
    cursor: str | None = None
    while True:
        page = await read(cursor)
        yield [convert(row) for row in page.rows]
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


async def _members(scope: Scope, options: ExportOptions) -> Table:
    query = options.members
    column = SORT_COLUMNS[query.sort]
    ident = col(Member.id)
    order = [column.desc(), ident.desc()] if query.descending else [column.asc(), ident.asc()]
    if query.sort is MemberSort.LAST_ACTIVE:
        order.insert(0, column.is_(None))  # never-active members last, as on the page
    statement = sql_select(Member).where(*member_filters(scope, query)).order_by(*order)

    async def batches() -> AsyncIterator[list[Row]]:
        result = await scope.session.stream(statement.execution_options(yield_per=BATCH))
        async for partition in result.scalars().partitions():
            yield [_values(row, MEMBER_COLUMNS) for row in await member_rows(scope, list(partition))]

    return MEMBER_COLUMNS, batches()


async def _shape(scope: Scope, options: ExportOptions) -> Table:
    shape = await ladder_shape(scope)
    header = ("week_ending", *(name for _, name in shape.levels), "total")

    async def batches() -> AsyncIterator[list[Row]]:
        yield [(w.ends_at, *(w.members.get(n, 0) for n, _ in shape.levels), w.total) for w in shape.weeks]

    return header, batches()


async def _ready(scope: Scope, options: ExportOptions) -> Table:
    async def batches() -> AsyncIterator[list[Row]]:
        yield [_values(ready.member, MEMBER_COLUMNS) for ready in await ready_for_confirmation(scope)]

    return MEMBER_COLUMNS, batches()


async def _stalled(scope: Scope, options: ExportOptions) -> Table:
    def convert(stalled: StalledMember) -> Row:
        return (*_values(stalled.member, MEMBER_COLUMNS[:-1]), stalled.next_step, stalled.more)

    header = (*MEMBER_COLUMNS[:-1], "next_step", "also_missing")
    return header, _pages(lambda c: stalled_members(scope, cursor=c, limit=BATCH), convert)


async def _questions(scope: Scope, options: ExportOptions) -> Table:
    def read(cursor: str | None) -> Awaitable[Page[Any]]:
        return questions_page(scope, options.questions, cursor=cursor, limit=BATCH)

    return QUESTION_COLUMNS, _pages(read, lambda q: _values(q, QUESTION_COLUMNS))


async def _calls(scope: Scope, options: ExportOptions) -> Table:
    def convert(call: CallRow) -> Row:
        counts = (len(call.confirmed), len(call.waitlist), len(call.fulfilled), call.withdrawn)
        return (*_values(call, CALL_COLUMNS), *counts)

    header = (*CALL_COLUMNS, "confirmed", "waitlisted", "fulfilled", "withdrawn")
    return header, _pages(lambda c: calls_page(scope, cursor=c, limit=BATCH), convert)


async def _signups(scope: Scope, options: ExportOptions) -> Table:
    def convert(call: CallRow) -> list[Row]:
        signups = (*call.confirmed, *call.waitlist, *call.fulfilled)
        return [(call.title, *_values(s, SIGNUP_COLUMNS)) for s in signups]

    async def batches() -> AsyncIterator[list[Row]]:
        async for calls in _pages(lambda c: calls_page(scope, cursor=c, limit=BATCH), convert):
            yield [row for rows in calls for row in rows]

    return ("call_title", *SIGNUP_COLUMNS), batches()


async def _reviews(scope: Scope, options: ExportOptions) -> Table:
    def read(cursor: str | None) -> Awaitable[Page[Any]]:
        return quest_reviews(scope, options.reviews, cursor=cursor, limit=BATCH)

    return REVIEW_COLUMNS, _pages(read, lambda r: _values(r, REVIEW_COLUMNS))


async def _digests(scope: Scope, options: ExportOptions) -> Table:
    read: Reader = lambda c: digests_page(scope, cursor=c, limit=BATCH)  # noqa: E731
    return DIGEST_COLUMNS, _pages(read, lambda d: _values(d, DIGEST_COLUMNS))


async def _audit(scope: Scope, options: ExportOptions) -> Table:
    by = aliased(Member)
    statement = (
        sql_select(LevelChange, Member, by)
        .join(Member, col(Member.id) == col(LevelChange.member_id))
        .outerjoin(by, col(by.id) == col(LevelChange.changed_by_id))
        .where(col(LevelChange.community_id) == scope.community_id)
    )
    if options.member_id is not None:
        statement = statement.where(col(LevelChange.member_id) == options.member_id)
    statement = statement.order_by(col(LevelChange.created_at).desc(), col(LevelChange.id).desc())
    return CHANGE_COLUMNS, _streamed(
        scope, statement, lambda row: _values(change_row(scope, *row), CHANGE_COLUMNS)
    )


async def _ledger(scope: Scope, options: ExportOptions) -> Table:
    statement = (
        sql_select(
            col(Contribution.created_at),
            col(Contribution.member_id),
            func.coalesce(func.nullif(col(Member.display_name), ""), col(Member.external_id)),
            col(Contribution.kind),
            col(Contribution.points),
            col(Contribution.source_id),
        )
        .join(Member, col(Member.id) == col(Contribution.member_id))
        .where(col(Contribution.community_id) == scope.community_id)
    )
    if options.member_id is not None:
        statement = statement.where(col(Contribution.member_id) == options.member_id)
    statement = statement.order_by(col(Contribution.created_at), col(Contribution.id))
    header = ("at", "member_id", "member_name", "kind", "points", "source_id")
    return header, _streamed(scope, statement, tuple)


async def _streamed(
    scope: Scope, statement: Select[*tuple[Any, ...]], convert: Callable[[Any], Row]
) -> AsyncIterator[list[Row]]:
    """Rows of one statement through a server-side cursor, ``BATCH`` at a time."""
    result = await scope.session.stream(statement.execution_options(yield_per=BATCH))
    async for partition in result.partitions():
        yield [convert(row) for row in partition]


async def _settings(scope: Scope, options: ExportOptions) -> Table:
    async def batches() -> AsyncIterator[list[Row]]:
        yield [(s.section, s.key, s.value, s.source) for s in settings_in_force(scope)]

    return ("section", "key", "value", "source"), batches()


_TABLES: dict[ExportTable, Callable[[Scope, ExportOptions], Any]] = {
    ExportTable.MEMBERS: _members,
    ExportTable.SHAPE: _shape,
    ExportTable.READY: _ready,
    ExportTable.STALLED: _stalled,
    ExportTable.QUESTIONS: _questions,
    ExportTable.CALLS: _calls,
    ExportTable.SIGNUPS: _signups,
    ExportTable.QUEST_REVIEWS: _reviews,
    ExportTable.DIGESTS: _digests,
    ExportTable.AUDIT: _audit,
    ExportTable.SETTINGS: _settings,
    ExportTable.LEDGER: _ledger,
}
