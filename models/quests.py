"""Quests (synced from the ladder config) and each member's progress on them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class Quest(SQLModel, table=True):
    """A task attached to a level; its definition comes from the config and is kept in sync."""

    __table_args__ = (UniqueConstraint("community_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    key: str = Field(max_length=64)
    level: int
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=1000)
    points: int = 0
    active: bool = True


class QuestStatus(StrEnum):
    """Where a submission stands."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class QuestProgress(SQLModel, table=True):
    """A member's submission of a quest and its review."""

    id: int | None = Field(default=None, primary_key=True)
    quest_id: int = Field(foreign_key="quest.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    status: str = Field(default=QuestStatus.SUBMITTED, max_length=16)
    evidence: str = Field(default="", max_length=2000)
    submitted_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    reviewed_by_id: int | None = Field(default=None, foreign_key="member.id")
    reviewed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    review_note: str = Field(default="", max_length=500)
