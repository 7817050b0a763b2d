"""Where live intake got to in each channel, so a restart can catch up from there."""

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


class ChannelCursor(SQLModel, table=True):
    """The newest message id recorded in a channel (Discord: a snowflake, so ids sort by time).

    Discord's gateway does not redeliver what a crashed bot missed; after every (re)connect the
    bot reads each help channel's history after this id, through the same write path.
    """

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    channel_id: str = Field(max_length=64, primary_key=True)
    message_id: int = Field(sa_column=Column(BigInteger, nullable=False))
