"""Digests: one per community per period, claimed before posting so none is posted twice."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class DigestStatus(StrEnum):
    """A period is ``claimed`` before posting, ``posted`` once sent; ``failed`` when the platform
    refused it, so the next attempt takes the claim back."""

    CLAIMED = "claimed"
    POSTED = "posted"
    FAILED = "failed"


class Digest(SQLModel, table=True):
    """A digest period's claim and, once posted, where it went."""

    __table_args__ = (UniqueConstraint("community_id", "period_start"),)

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    period_start: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    period_end: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: str = Field(default=DigestStatus.CLAIMED, max_length=16)
    claimed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    posted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    late: bool = False
    channel_id: str | None = Field(default=None, max_length=64)
    message_id: str | None = Field(default=None, max_length=64)
