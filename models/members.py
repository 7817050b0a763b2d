"""Members: the unit Ladder tracks, identified per platform."""

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Column,
    ColumnElement,
    Index,
    UniqueConstraint,
    and_,
    bindparam,
    false,
    or_,
    text,
    update,
)
from sqlalchemy import select as sql_select
from sqlmodel import Field, SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession

from models.ledger import ContributionKind
from models.queries import chunks, is_sqlite, sqlite_stamp
from models.types import UTCDateTime, utcnow


class MemberStatus(StrEnum):
    """Whether a member is on the routing roster; ``forgotten`` marks an erased member."""

    ACTIVE = "active"
    RESTING = "resting"
    FORGOTTEN = "forgotten"


class Member(SQLModel, table=True):
    """A person in one community, keyed by their platform identity ``(platform, external_id)``.

    The identity is explicit (not folded into the primary key) so the same person can later be
    linked across platforms without rewriting the ledger.
    """

    __table_args__ = (
        UniqueConstraint("community_id", "platform", "external_id"),
        Index("ix_member_community_level", "community_id", "level"),
        # The dashboard's Members page: who is listed, counted and searched from the index alone…
        Index("ix_member_listed", "community_id", "status", "is_bot", "level", "display_name", "external_id"),
        # …and sorted by these; ``id`` breaks ties (keyset pagination).
        Index("ix_member_community_points", "community_id", "points", "id"),
        Index("ix_member_community_accepted", "community_id", "accepted_answers", "id"),
        Index("ix_member_community_given", "community_id", "answers_given", "id"),
        Index("ix_member_community_last_active", "community_id", "last_active_at", "id"),
        Index("ix_member_community_joined", "community_id", "joined_at", "id"),
        Index("ix_member_community_name", "community_id", "display_name", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=200)
    level: int = Field(default=0)
    status: str = Field(default=MemberStatus.ACTIVE, max_length=16)
    skills: str = Field(default="", max_length=500)
    is_bot: bool = Field(default=False)
    is_manager: bool = Field(default=False)
    joined_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    level_since: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    last_active_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # Totals of the member's ledger, kept by the one credit path (``handlers.ledger.credit``) in the
    # same transaction as the contributions they count, so sorting 100,000 members by points never
    # aggregates the ledger. ``TOTAL_OF_KIND`` names the count column of every contribution kind.
    points: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    accepted_answers: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    accepted_over_limit: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    answers_given: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    questions_asked: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    introductions: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    quests_completed: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    reviews: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    calls_fulfilled: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    calls_led: int = Field(default=0, sa_column_kwargs={"server_default": "0"})

    @property
    def skill_set(self) -> frozenset[str]:
        """The member's skills as a set of lower-case tags."""
        return frozenset(s for s in self.skills.split(",") if s)


def countable(*, with_forgotten: bool = False) -> ColumnElement[bool]:
    """The one filter for members who count: people, never bots, and not erased.

    ``with_forgotten=True`` keeps erased (forgotten) members, anonymous: the community's
    statistics (health figures, import summary) count them, so erasing someone never changes them.
    """
    person = col(Member.is_bot) == false()
    return person if with_forgotten else and_(person, col(Member.status) != MemberStatus.FORGOTTEN)


TOTAL_OF_KIND: dict[ContributionKind, str] = {
    ContributionKind.ANSWER_ACCEPTED: "accepted_answers",
    ContributionKind.ANSWER_ACCEPTED_OVER_LIMIT: "accepted_over_limit",
    ContributionKind.ANSWER_GIVEN: "answers_given",
    ContributionKind.QUESTION_ASKED: "questions_asked",
    ContributionKind.INTRODUCTION: "introductions",
    ContributionKind.QUEST_COMPLETED: "quests_completed",
    ContributionKind.REVIEW: "reviews",
    ContributionKind.CALL_FULFILLED: "calls_fulfilled",
    ContributionKind.CALL_LED: "calls_led",
}
"""The member column counting each contribution kind (``points`` sums them all)."""


StoredMember = tuple[int, str, str | datetime, int, bool]
"""Id, external id, join time (SQLite: its stored text), level and manager flag."""


async def stored_members(
    session: AsyncSession, community_id: int, platform: str, external_ids: Sequence[str]
) -> list[StoredMember]:
    """The stored members among ``external_ids``, for the write path's batches.

    On SQLite one statement over a JSON array, the join time left as stored (text, compared as
    such): no per-row datetime parsing. Elsewhere, portable ``IN`` chunks.
    """
    if is_sqlite(session):
        result = await session.execute(
            text(
                "SELECT id, external_id, joined_at, level, is_manager FROM member "
                "WHERE community_id = :community AND platform = :platform "
                "AND external_id IN (SELECT value FROM json_each(:ids))"
            ),
            {"community": community_id, "platform": platform, "ids": json.dumps(list(external_ids))},
        )
        return [(i, e, j, level, manager) for i, e, j, level, manager in result.all()]
    found: list[StoredMember] = []
    for chunk in chunks(external_ids):
        rows = await session.execute(
            sql_select(
                col(Member.id),
                col(Member.external_id),
                col(Member.joined_at),
                col(Member.level),
                col(Member.is_manager),
            ).where(
                col(Member.community_id) == community_id,
                col(Member.platform) == platform,
                col(Member.external_id).in_(chunk),
            )
        )
        found.extend((i, e, j, level, manager) for i, e, j, level, manager in rows.all())
    return found


async def touch_last_active(session: AsyncSession, latest: Mapping[int, datetime]) -> None:
    """Move each member's last-seen time forward to ``latest`` (never back), in one statement.

    On SQLite the rows travel as one JSON array; elsewhere one statement run for every row.
    """
    if not latest:
        return
    if is_sqlite(session):
        await session.execute(
            text(
                "UPDATE member SET last_active_at = j.value ->> 1 FROM json_each(:rows) AS j "
                "WHERE member.id = j.value ->> 0 "
                "AND (member.last_active_at IS NULL OR member.last_active_at < j.value ->> 1)"
            ),
            {"rows": json.dumps([(member_id, sqlite_stamp(at)) for member_id, at in latest.items()])},
        )
        return
    table = Member.__table__  # type: ignore[attr-defined]
    connection = await session.connection()
    await connection.execute(
        update(table)
        .where(
            table.c.id == bindparam("member"),
            or_(table.c.last_active_at.is_(None), table.c.last_active_at < bindparam("at")),
        )
        .values(last_active_at=bindparam("at")),
        [{"member": member_id, "at": at} for member_id, at in latest.items()],
    )
