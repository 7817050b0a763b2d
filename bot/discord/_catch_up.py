"""Catching up on Discord: what was said in the help channels while Ladder was not listening.

Discord's gateway does not keep what a bot missed while it was down (or between a dropped session
and a new one), so Ladder keeps, per help channel and per thread under one, the newest message id
it recorded (:class:`Cursors`, written lazily after each batch commits). After every connect and
reconnect :func:`catch_up` reads each of those places' history after its cursor — a place with no
cursor of its own from the newest message recorded anywhere in the server — oldest first, through
the same write path as live messages. The read is bounded (``limit`` messages per place, the
``threads`` most recent active threads) and paced by discord.py's HTTP client, which waits out
Discord's rate limits. Messages already recorded are skipped by the core (their ids are event
keys), so a cursor that lags behind costs a re-read, never a double count.
"""

import asyncio
import logging
from collections.abc import Callable, Iterable

import discord
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.discord._translate import PLATFORM
from models.cursors import advance_cursors, community_id_of, cursors_of

log = logging.getLogger(__name__)

CATCH_UP_LIMIT = 500
THREADS_LIMIT = 50
FLUSH_DELAY_SECONDS = 1.0

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


class Cursors:
    """The newest recorded message per help place, kept in memory and written in coalesced batches."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._pending: dict[int, dict[str, int]] = {}
        self._flush: asyncio.TimerHandle | None = None
        self._writing: set[asyncio.Task[None]] = set()

    def note(self, guild_id: int, channel_id: int, message_id: int) -> None:
        """A message in a help place was recorded: its place's cursor may move forward."""
        marks = self._pending.setdefault(guild_id, {})
        marks[str(channel_id)] = max(message_id, marks.get(str(channel_id), 0))
        if self._flush is None:
            self._flush = asyncio.get_running_loop().call_later(FLUSH_DELAY_SECONDS, self._start_flush)

    async def load(self, guild_id: int) -> dict[str, int]:
        """Every cursor of a guild, the ones still in memory included."""
        async with self.sessions() as session:
            community = await community_id_of(session, PLATFORM, str(guild_id))
            stored = {} if community is None else await cursors_of(session, community)
        for channel, message in self._pending.get(guild_id, {}).items():
            stored[channel] = max(message, stored.get(channel, 0))
        return stored

    async def flush(self) -> None:
        """Write every pending cursor now (one transaction per guild), then wait for the writes
        started in the background (a shutdown keeps every cursor reached)."""
        await self._write_pending()
        if self._writing:
            await asyncio.gather(*self._writing, return_exceptions=True)

    async def _write_pending(self) -> None:
        """The write itself; a background write runs only this (were it to wait for the background
        writes, as it once did, it would wait for itself and a shutdown would hang)."""
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        pending, self._pending = self._pending, {}
        for guild_id, marks in pending.items():
            try:
                async with self.sessions() as session, session.begin():
                    community = await community_id_of(session, PLATFORM, str(guild_id))
                    if community is not None:
                        await advance_cursors(session, community, marks)
            except Exception as error:  # noqa: BLE001 - cursors are an optimisation: any failure only means rereading
                log.warning("could not store catch-up cursors (%s); the next catch-up reads more", error)

    def _start_flush(self) -> None:
        self._flush = None
        task = asyncio.get_running_loop().create_task(self._write_pending())
        self._writing.add(task)
        task.add_done_callback(self._writing.discard)


async def catch_up(
    guild: discord.Guild,
    help_channels: Iterable[str],
    cursors: Cursors,
    record: Record,
    *,
    limit: int = CATCH_UP_LIMIT,
) -> int:
    """Read the help places' history after their cursors and record it; return how many were read.

    A guild where Ladder never recorded a help message has nothing to catch up (an import brings
    a community's history in; see docs/import.md).
    """
    marks = await cursors.load(guild.id)
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
