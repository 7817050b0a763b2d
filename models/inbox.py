"""The inbox: platform requests acknowledged to the platform and not yet processed.

A row is written (group-committed) before the platform hears "got it", and deleted once the
request has been processed. Whether a request *was* processed is not the row's business: its key
is recorded in ``processedevent`` by the same transaction that processes it, so a row left behind
by a crash is processed again at the next start and skipped if it had already been done.
"""

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class InboxItem(SQLModel, table=True):
    """One acknowledged request: its platform, what it is, its key and its payload as received."""

    __table_args__ = (UniqueConstraint("platform", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    key: str = Field(max_length=200)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
