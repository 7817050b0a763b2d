"""The append-only contribution ledger, active days and the audit of level changes."""

from datetime import date, datetime

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class Contribution(SQLModel, table=True):
    """One credited act. ``source_id`` is unique per community, so an event is credited once."""

    __table_args__ = (
        UniqueConstraint("community_id", "source_id"),
        Index("ix_contribution_member_kind", "member_id", "kind"),
        Index("ix_contribution_community_time", "community_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    member_id: int = Field(foreign_key="member.id")
    kind: str = Field(max_length=32)
    points: int
    source_id: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class ActiveDay(SQLModel, table=True):
    """A day on which a member did anything at all: chat counts here, and only here."""

    member_id: int = Field(foreign_key="member.id", primary_key=True)
    day: date = Field(primary_key=True)


class LevelChange(SQLModel, table=True):
    """Every change of level: automatic promotions and manual changes (with who and why)."""

    __table_args__ = (Index("ix_levelchange_community_time", "community_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    member_id: int = Field(foreign_key="member.id", index=True)
    from_level: int
    to_level: int
    changed_by_id: int | None = Field(default=None, foreign_key="member.id")
    reason: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
