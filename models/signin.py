"""Dashboard sign-in: one-time links (only their hash is stored) and the server's signing secret."""

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class SignInLink(SQLModel, table=True):
    """A one-time dashboard link issued to one manager of one community.

    Only the SHA-256 of the link's token is kept: a copy of the database opens nobody's
    dashboard. ``used_at`` is set by the single conditional UPDATE that consumes it.
    """

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class ServerSecret(SQLModel, table=True):
    """A secret generated once and shared by every replica through the database (by name)."""

    name: str = Field(max_length=64, primary_key=True)
    value: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
