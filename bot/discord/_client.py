"""The discord.py client: intents, the ``/ladder`` tree, persistent buttons and event intake.

A thin adapter: every interaction becomes a :class:`Context` plus command text or a button
action, every event a neutral :class:`Event`, and each goes to the one Ladder service.

Events are committed in batches (:class:`~bot.batcher.Batcher`, one per server); a batch's
transaction also moves the catch-up cursors of the help places its messages came from, and its
notices go out through the :class:`~bot.outbox.Outbox` while the next batch commits. Closing the
client first lets what it received commit and its notices go out (within a grace period).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

import discord
from discord import app_commands
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.batcher import Batcher
from bot.discord._catch_up import CATCH_UP_LIMIT, catch_up, is_help_place
from bot.discord._commands import LadderCommands
from bot.discord._port import DiscordChatPort
from bot.discord._respond import answer
from bot.discord._translate import context_of, join_event, message_event, reaction_event
from bot.discord._views import LadderButton
from bot.outbox import Outbox
from handlers.kernel import ChatPort, Event, LadderConfig, Message
from handlers.service import RecordingPort
from models.cursors import advance_cursors

log = logging.getLogger(__name__)

OUTSIDE_SERVER = "Ladder works inside a server: use /ladder there."
UNKNOWN_SERVER = "This button no longer names a server Ladder is in: use /ladder in the server."
CLOSE_GRACE_SECONDS = 5.0
FAILED = "Ladder hit an unexpected error and could not finish that. The error is in its log."


def ladder_intents() -> discord.Intents:
    """Only what Ladder reads: servers, members (privileged), messages and their content
    (privileged), and reactions."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.members = True
    intents.guild_messages = True
    intents.message_content = True
    intents.guild_reactions = True
    return intents


class LadderClient(discord.Client):
    """Ladder on Discord: one client, one command tree, one service."""

    def __init__(
        self,
        *,
        service_factory: Callable[[ChatPort], RecordingPort],
        config: LadderConfig,
        sessions: async_sessionmaker[AsyncSession],
        sync_guild: int | None = None,
        guild_ready_timeout: float = 2.0,
        defer_after: float = 2.0,
        catch_up_limit: int = CATCH_UP_LIMIT,
    ) -> None:
        super().__init__(
            intents=ladder_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
        )
        self.tree = app_commands.CommandTree(self)
        self.config = config
        self.sessions = sessions
        self.port = DiscordChatPort(self, tuple(rule.name for rule in config.levels))
        self.ladder = service_factory(self.port)
        self._sync_guild = sync_guild
        self._defer_after = defer_after
        self._batchers: dict[int, Batcher] = {}
        self._marks: dict[tuple[int, str], tuple[str, int]] = {}
        self.outbox = Outbox()
        self._catching_up: asyncio.Task[None] | None = None
        self._catch_up_again = False
        self._catch_up_limit = catch_up_limit
        self.catch_ups = 0
        self._catch_up_done = asyncio.Condition()

    async def setup_hook(self) -> None:
        """Register the buttons of every past run, add ``/ladder`` and sync it."""
        self.add_dynamic_items(LadderButton)
        self.tree.add_command(LadderCommands())
        if self._sync_guild is not None:
            guild = discord.Object(id=self._sync_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), self._sync_guild)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))

    async def run_command(self, interaction: discord.Interaction, text: str) -> None:
        """Run ``/ladder <text>`` for the member and answer privately or in the channel."""
        ctx = context_of(interaction, self.config.managers)
        if ctx is None or interaction.guild_id is None:
            await interaction.response.send_message(OUTSIDE_SERVER, ephemeral=True)
            return
        await self._answer(interaction, self.ladder.command(ctx, text))

    async def run_action(
        self, interaction: discord.Interaction, action: str, value: str, guild_id: int | None
    ) -> None:
        """Run a button's action for whoever clicked it, in a server or in a DM."""
        guild = interaction.guild or self._click_guild(interaction.user.id, guild_id)
        ctx = context_of(interaction, self.config.managers, guild)
        if ctx is None or guild is None:
            await interaction.response.send_message(UNKNOWN_SERVER, ephemeral=True)
            return
        await self._answer(interaction, self.ladder.action(ctx, action, value))

    def _click_guild(self, user_id: int, guild_id: int | None) -> discord.Guild | None:
        """The server a DM button belongs to: named by the button, else the one shared."""
        if guild_id is not None:
            return self.get_guild(guild_id)
        shared = [g for g in self.guilds if g.get_member(user_id) is not None]
        return shared[0] if len(shared) == 1 else None

    async def _answer(self, interaction: discord.Interaction, work: Awaitable[list[Message]]) -> None:
        """Answer with the core's replies; an unexpected failure still gets a private answer."""
        try:
            await answer(interaction, work, self._defer_after)
        except Exception:
            log.exception("interaction %s failed", interaction.id)
            if interaction.response.is_done():
                await interaction.followup.send(FAILED, ephemeral=True)
            else:
                await interaction.response.send_message(FAILED, ephemeral=True)

    def _batcher(self, guild_id: int) -> Batcher:
        batcher = self._batchers.get(guild_id)
        if batcher is None:
            batcher = self._batchers[guild_id] = Batcher(partial(self._write, guild_id))
        return batcher

    async def _record(self, event: Event | None, guild_id: int | None) -> None:
        """Hand an event to its server's batcher and wait until the batch holding it commits."""
        if event is None or guild_id is None:
            return
        await self._batcher(guild_id).submit(event)

    def _queue_message(self, message: discord.Message) -> "asyncio.Future[None] | None":
        """Queue a message on its server's write path; return the future of its commit (None: not
        recorded, or queued before). A help place's message moves that place's cursor in the
        same transaction."""
        event = message_event(message, self.config.managers)
        if event is None or message.guild is None:
            return None
        guild_id = message.guild.id
        written = self._batcher(guild_id).enqueue(event)
        if written is not None and is_help_place(message.channel, self.config.routing.help_channels):
            key = (guild_id, event.key)
            self._marks[key] = (str(message.channel.id), message.id)
            written.add_done_callback(lambda _: self._marks.pop(key, None))
        return written

    async def on_ready(self) -> None:
        """Connected with a new session: catch up on the help channels."""
        self._start_catch_up()

    async def on_resumed(self) -> None:
        """Reconnected: catch up too (a resume replays the gateway's buffer, not a crash's gap)."""
        self._start_catch_up()

    def _start_catch_up(self) -> None:
        """One catch-up at a time; a reconnect during one asks for another round after it."""
        if self.is_closed():
            return
        if self._catching_up is not None and not self._catching_up.done():
            self._catch_up_again = True
            return
        self._catching_up = asyncio.get_running_loop().create_task(self._catch_up_all())

    async def _catch_up_all(self) -> None:
        help_channels = self.config.routing.help_channels
        while True:
            self._catch_up_again = False
            for guild in list(self.guilds):
                try:
                    await catch_up(
                        guild, help_channels, self.sessions, self._queue_message, limit=self._catch_up_limit
                    )
                except Exception:
                    log.exception("catching up on %s failed", guild.name)
            async with self._catch_up_done:
                self.catch_ups += 1
                self._catch_up_done.notify_all()
            if not self._catch_up_again:
                return

    async def caught_up(self, rounds: int) -> None:
        """Wait until ``rounds`` catch-ups have finished since the client started."""
        async with self._catch_up_done:
            await self._catch_up_done.wait_for(lambda: self.catch_ups >= rounds)

    async def settled(self) -> None:
        """Wait until every event received so far is committed and its notices are sent."""
        for batcher in list(self._batchers.values()):
            await batcher.flush()
        await self.outbox.drain()

    async def close(self) -> None:
        """Let what was received commit and its notices go out (within a grace period), close the
        connection, then let a catch-up in progress stop (its reads fail once closed)."""
        if not self.is_closed():
            try:
                await asyncio.wait_for(self.settled(), CLOSE_GRACE_SECONDS)
            except TimeoutError:
                log.warning("closing before every received event was committed and announced")
        await super().close()
        await self.outbox.close()
        if self._catching_up is not None:
            await asyncio.wait({self._catching_up}, timeout=CLOSE_GRACE_SECONDS)
            self._catching_up.cancel()
            await asyncio.gather(self._catching_up, return_exceptions=True)

    async def _write(self, guild_id: int, events: Sequence[Event]) -> None:
        """One batch of a server's events: one transaction, the help places' cursors in it; its
        notices are queued for the outbox (once the outbox has room)."""
        await self.outbox.room()
        marks: dict[str, int] = {}
        for event in events:
            mark = self._marks.get((guild_id, event.key))
            if mark is not None:
                marks[mark[0]] = max(mark[1], marks.get(mark[0], 0))
        within = partial(advance_cursors, marks=marks) if marks else None
        for owed in await self.ladder.record(events, within=within):
            self.outbox.put(partial(self.ladder.deliver, owed), len(owed.notices))

    async def on_message(self, message: discord.Message) -> None:
        """Questions, answers and activity: the core decides which a message is. Returns once the
        message is committed (and, in a help place, its place's cursor with it)."""
        written = self._queue_message(message)
        if written is not None:
            await asyncio.shield(written)

    async def on_member_join(self, member: discord.Member) -> None:
        """A newcomer: the core welcomes them with their first quest."""
        await self._record(join_event(member, self.config.managers, discord.utils.utcnow()), member.guild.id)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        """A ✅ on a reply marks the question solved (the core checks who may)."""
        guild = self.get_guild(payload.guild_id) if payload.guild_id else None
        event = reaction_event(payload, guild, self.config.managers, discord.utils.utcnow())
        await self._record(event, payload.guild_id)


async def run_until_closed(client: LadderClient, token: str) -> None:
    """Log in and run the client until it is closed or the task is cancelled."""
    async with client:
        await client.start(token)
