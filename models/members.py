"""Members: the unit Ladder tracks, identified per platform."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ColumnElement, Index, UniqueConstraint, and_, false
from sqlmodel import Field, SQLModel, col

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
