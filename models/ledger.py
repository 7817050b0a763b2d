"""The append-only contribution ledger, active days and the audit of level changes."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class ContributionKind(StrEnum):
    """What a contribution credits. ``answer_accepted_over_limit`` is an accepted answer the
    same-asker limit keeps from counting towards promotion: kept in the ledger, worth 0 points."""

    ANSWER_ACCEPTED = "answer_accepted"
    ANSWER_ACCEPTED_OVER_LIMIT = "answer_accepted_over_limit"
    ANSWER_GIVEN = "answer_given"
    QUESTION_ASKED = "question_asked"
    INTRODUCTION = "introduction"
    QUEST_COMPLETED = "quest_completed"
    REVIEW = "review"
    CALL_FULFILLED = "call_fulfilled"
    CALL_LED = "call_led"


class Contribution(SQLModel, table=True):
    """One credited act. ``source_id`` is unique per community, so an event is credited once.

    ``asker_id`` is set on accepted answers: the same-asker limit counts them in one indexed query.
    """

    __table_args__ = (
        UniqueConstraint("community_id", "source_id"),
        Index("ix_contribution_member_kind", "member_id", "kind"),
        Index("ix_contribution_community_time", "community_id", "created_at"),
        Index("ix_contribution_member_asker_time", "member_id", "asker_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    member_id: int = Field(foreign_key="member.id")
    kind: str = Field(max_length=32)
    points: int
    source_id: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    asker_id: int | None = Field(default=None, foreign_key="member.id")


class ActiveDay(SQLModel, table=True):
    """A day on which a member did anything at all: chat counts here, and only here."""

    member_id: int = Field(foreign_key="member.id", primary_key=True)
    day: date = Field(primary_key=True)


class LevelChangeKind(StrEnum):
    """Why a level changed: earned by meeting the rules live, set by a manager, or placed from an
    imported history (dated at import time, so the digest never counts it as a promotion)."""

    EARNED = "earned"
    MANUAL = "manual"
    PLACED = "placed"


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
    kind: str = Field(
        default=LevelChangeKind.EARNED,
        max_length=16,
        sa_column_kwargs={"server_default": LevelChangeKind.EARNED.value},
    )
