"""Members: the unit Ladder tracks, identified per platform."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ColumnElement, Index, UniqueConstraint, and_, false
from sqlmodel import Field, SQLModel, col

from models.ledger import ContributionKind
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
