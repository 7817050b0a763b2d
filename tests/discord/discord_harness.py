"""Test doubles around the Discord client: the config, a recording core and a runner."""

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fake_discord import CHANNELS, FakeDiscord
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.discord._client import LadderClient, run_until_closed
from handlers.kernel import ChatPort, Context, Event, LadderConfig, Managers, Message, Routing, Visibility
from handlers.service import InTransaction, RecordingPort, Undelivered


def discord_config() -> LadderConfig:
    """The default ladder, with the fake server's help channel, forum and intro channel."""
    return LadderConfig().model_copy(
        update={
            "routing": Routing(
                help_channels=(CHANNELS["help"], CHANNELS["help-forum"]),
                intro_channels=(CHANNELS["introductions"],),
            ),
            "managers": Managers(discord_roles=("Organizers",)),
        }
    )


@dataclass
class Recorder:
    """A stand-in service that records what the adapter hands the core, to check the wiring."""

    commands: list[tuple[Context, str]] = field(default_factory=list)
    actions: list[tuple[Context, str, str]] = field(default_factory=list)
    events_seen: list[Event] = field(default_factory=list)
    delay: float = 0.0
    public: bool = False
    broken: bool = False

    async def command(self, ctx: Context, text: str) -> list[Message]:
        """Record the canonical text; answer with it."""
        self.commands.append((ctx, text))
        await asyncio.sleep(self.delay)
        if self.broken:
            raise RuntimeError("the core fell over")
        visibility = Visibility.CHANNEL if self.public else Visibility.PRIVATE
        return [Message(text=f"ran: {text}", visibility=visibility)]

    async def action(self, ctx: Context, name: str, value: str) -> list[Message]:
        """Record a click."""
        self.actions.append((ctx, name, value))
        return [Message(text=f"clicked: {name} {value}")]

    async def events(self, events: Sequence[Event]) -> None:
        """Record events."""
        self.events_seen.extend(events)

    async def record(
        self, events: Sequence[Event], *, within: InTransaction | None = None
    ) -> list[Undelivered]:
        """Record events; they owe no notices."""
        self.events_seen.extend(events)
        return []

    async def deliver(self, owed: Undelivered) -> None:
        """Nothing to send: :meth:`record` owes nothing."""


@dataclass
class Running:
    """A LadderClient running against the fake until stopped; restartable."""

    fake: FakeDiscord
    factory: Callable[[ChatPort], RecordingPort]
    sessions: async_sessionmaker[AsyncSession]
    config: LadderConfig
    sync_guild: int | None = None
    defer_after: float = 60.0  # answer at once whatever the load; the deferral tests set their own
    catch_up_limit: int = 500
    client: LadderClient | None = None
    task: "asyncio.Task[None] | None" = None

    async def start(self) -> LadderClient:
        """Log in, connect and wait until the server is ready."""
        self.client = LadderClient(
            service_factory=self.factory,
            config=self.config,
            sessions=self.sessions,
            sync_guild=self.sync_guild,
            guild_ready_timeout=0.05,
            defer_after=self.defer_after,
            catch_up_limit=self.catch_up_limit,
        )
        self.task = asyncio.create_task(run_until_closed(self.client, "fake-token"))
        await asyncio.wait_for(self.client.wait_until_ready(), 5)
        return self.client

    async def stop(self) -> None:
        """Close the client as a shutdown would."""
        if self.client is not None and self.task is not None:
            await self.client.close()
            await asyncio.wait_for(self.task, 5)
            self.client, self.task = None, None

    async def restart(self) -> LadderClient:
        """A fresh process: a new client, nothing kept in memory."""
        await self.stop()
        return await self.start()
