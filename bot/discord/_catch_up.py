"""Catching up on Discord: what was said in the help channels while Ladder was not listening.

Discord's gateway does not keep what a bot missed while it was down (or between a dropped session
and a new one), so Ladder keeps, per help channel and per thread under one, the newest message id
it recorded (a :class:`~models.cursors.ChannelCursor`, written in the transaction of the batch that
records the message: a cursor never passes a message that was not committed, and costs no
transaction of its own). After every connect and reconnect :func:`catch_up` reads each of those
places' history after its cursor — a place with no cursor of its own from the newest message
recorded anywhere in the server — oldest first, through the same write path as live messages. The
read is bounded (``limit`` messages per place, the ``threads`` most recent active threads) and
paced by discord.py's HTTP client, which waits out Discord's rate limits. Messages already recorded
are skipped by the core (their ids are event keys), so a cursor that lags behind costs a re-read,
never a double count.
"""

import asyncio
import logging
from collections.abc import Callable, Iterable

import discord
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.discord._translate import PLATFORM
from models.cursors import community_id_of, cursors_of

log = logging.getLogger(__name__)

CATCH_UP_LIMIT = 500
THREADS_LIMIT = 50

Place = discord.TextChannel | discord.Thread
Record = Callable[[discord.Message], "asyncio.Future[None] | None"]
"""Queue a message on the write path; the future of its commit (None: nothing to record)."""


def help_places(
    guild: discord.Guild, help_channels: Iterable[str], threads: int = THREADS_LIMIT
) -> list[Place]:
    """The guild's help channels that hold messages, and the most recent active threads under any
    help channel (a forum's posts are threads)."""
    wanted = {int(c) for c in help_channels if c.isdigit()}
    places: list[Place] = [c for c in guild.text_channels if c.id in wanted]
    under = [t for t in guild.threads if t.parent_id in wanted]
    under.sort(key=lambda t: t.id, reverse=True)
    return places + under[:threads]


def is_help_place(channel: object, help_channels: Iterable[str]) -> bool:
    """Whether a message's channel is a help channel or a thread under one (what gets a cursor)."""
    wanted = set(help_channels)
    if isinstance(channel, discord.Thread):
        return str(channel.parent_id) in wanted
    return isinstance(channel, discord.TextChannel) and str(channel.id) in wanted


async def stored_cursors(sessions: async_sessionmaker[AsyncSession], guild_id: int) -> dict[str, int]:
    """Every help place's cursor in a guild (empty when Ladder never recorded anything there)."""
    async with sessions() as session:
        community = await community_id_of(session, PLATFORM, str(guild_id))
        return {} if community is None else await cursors_of(session, community)


async def catch_up(
    guild: discord.Guild,
    help_channels: Iterable[str],
    sessions: async_sessionmaker[AsyncSession],
    record: Record,
    *,
    limit: int = CATCH_UP_LIMIT,
) -> int:
    """Read the help places' history after their cursors and record it; return how many were read.

    A guild where Ladder never recorded a help message has nothing to catch up (an import brings
    a community's history in; see docs/import.md).
    """
    marks = await stored_cursors(sessions, guild.id)
    if not marks:
        return 0
    since = max(marks.values())
    read = 0
    written: list[asyncio.Future[None]] = []
    for place in help_places(guild, help_channels):
        after = discord.Object(id=marks.get(str(place.id), since))
        try:
            async for message in place.history(after=after, limit=limit, oldest_first=True):
                read += 1
                future = record(message)
                if future is not None:
                    written.append(future)
        except discord.HTTPException as error:
            log.warning("could not catch up #%s: %s", place.name, error)
    await asyncio.gather(*written, return_exceptions=True)
    log.info("caught up on %d messages in %s", read, guild.name)
    return read
