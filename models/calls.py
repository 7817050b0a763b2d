"""Calls to action, their invitations and their sign-ups (confirmed or waitlisted)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class CallStatus(StrEnum):
    """``open`` takes sign-ups, ``filled`` once ``need`` are confirmed (later ones waitlisted),
    ``closed`` by its caller, a manager or its deadline."""

    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"


class Call(SQLModel, table=True):
    """A request for a number of people, with targeting, a deadline and a cap."""

    __table_args__ = (Index("ix_call_community_status", "community_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    creator_id: int = Field(foreign_key="member.id")
    title: str = Field(max_length=200)
    need: int
    min_level: int = 0
    skills: str = Field(default="", max_length=500)
    status: str = Field(default=CallStatus.OPEN, max_length=16)
    deadline: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    filled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    channel_id: str | None = Field(default=None, max_length=64)
    message_id: str | None = Field(default=None, max_length=64)

    @property
    def skill_set(self) -> frozenset[str]:
        """The skills the call asks for, as lower-case tags."""
        return frozenset(s for s in self.skills.split(",") if s)


class SignupStatus(StrEnum):
    """Confirmed sign-ups count towards ``need``; the waitlist is ordered by ``joined_at``."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"
    FULFILLED = "fulfilled"


class CallSignup(SQLModel, table=True):
    """A member's place on a call."""

    __table_args__ = (UniqueConstraint("call_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    status: str = Field(default=SignupStatus.CONFIRMED, max_length=16)
    joined_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    waitlisted_at: datetime | None = Field(
        default=None,
        sa_column=Column(UTCDateTime),
        description="when the member was first put on the waitlist; kept when the waitlist moves up",
    )


class CallInvite(SQLModel, table=True):
    """An invitation sent by DM; their count per member per week is capped."""

    __table_args__ = (
        UniqueConstraint("call_id", "member_id"),
        Index("ix_callinvite_member_time", "member_id", "invited_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id")
    member_id: int = Field(foreign_key="member.id")
    invited_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
