"""Where live intake got to in each channel, so a restart can catch up from there."""

from collections.abc import Mapping

from sqlalchemy import BigInteger, Column
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.community import Community
from models.queries import is_sqlite


class ChannelCursor(SQLModel, table=True):
    """The newest message id recorded in a channel (Discord: a snowflake, so ids sort by time).

    Discord's gateway does not redeliver what a crashed bot missed; after every (re)connect the
    bot reads each help channel's history after this id, through the same write path.
    """

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    channel_id: str = Field(max_length=64, primary_key=True)
    message_id: int = Field(sa_column=Column(BigInteger, nullable=False))


async def community_id_of(session: AsyncSession, platform: str, external_id: str) -> int | None:
    """The stored community's primary key, or None if it was never seen."""
    statement = select(Community.id).where(
        Community.platform == platform, Community.external_id == external_id
    )
    return (await session.exec(statement)).first()


async def advance_cursors(session: AsyncSession, community_id: int, marks: Mapping[str, int]) -> None:
    """Move each channel's cursor forward to its mark (never back: a late write keeps the newest)."""
    if not marks:
        return
    table = ChannelCursor.__table__  # type: ignore[attr-defined]
    builder = sqlite.insert if is_sqlite(session) else postgresql.insert
    statement = builder(table)
    statement = statement.on_conflict_do_update(
        index_elements=["community_id", "channel_id"],
        set_={"message_id": statement.excluded.message_id},
        where=statement.excluded.message_id > table.c.message_id,
    )
    rows = [{"community_id": community_id, "channel_id": c, "message_id": m} for c, m in marks.items()]
    await session.execute(statement, rows)


async def cursors_of(session: AsyncSession, community_id: int) -> dict[str, int]:
    """Every channel cursor of a community."""
    rows = await session.exec(
        select(ChannelCursor.channel_id, ChannelCursor.message_id).where(
            ChannelCursor.community_id == community_id
        )
    )
    return dict(rows.all())
