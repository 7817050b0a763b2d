"""The core tests' harness: the real service driven as members would, with a fake port and clock."""

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db import migrated_database_url
from hypothesis import HealthCheck, settings
from sqlmodel import select

from bot.database import create_engine, session_factory
from handlers.kernel import (
    Actor,
    CommunityRef,
    Context,
    Event,
    EventKind,
    FakeChatPort,
    FakeClock,
    LadderConfig,
    Message,
    Routing,
)
from handlers.service import LadderService
from models import Member

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
COMMUNITY = CommunityRef("console", "test-community", "Test community")
HELP_CHANNEL = "help"
INTRO_CHANNEL = "intros"


def config_for_tests(**overrides: object) -> LadderConfig:
    """The default ladder, with one help channel and one introductions channel, and a manager."""
    base = LadderConfig()
    routing = Routing(help_channels=(HELP_CHANNEL,), intro_channels=(INTRO_CHANNEL,))
    return base.model_copy(update={"routing": routing, **overrides})


@dataclass
class Harness:
    """Drives the real service as members would, through the console's identities."""

    ladder: LadderService
    port: FakeChatPort
    clock: FakeClock
    admins: set[str] = field(default_factory=lambda: {"manager"})
    _ids: int = 0

    def ctx(self, who: str, channel: str = "general") -> Context:
        """The context of a member acting in a channel."""
        return Context(COMMUNITY, Actor(who, who, is_admin=who in self.admins), channel_id=channel)

    async def say(self, who: str, text: str, channel: str = "general") -> list[Message]:
        """Run ``/ladder <text>`` as a member; return their private replies."""
        return await self.ladder.command(self.ctx(who, channel), text)

    async def text(self, who: str, text: str, channel: str = "general") -> str:
        """Run a command and return all reply texts joined, for readable asserts."""
        return "\n".join(m.text for m in await self.say(who, text, channel))

    async def press(self, who: str, action: str, value: str) -> str:
        """Click a button as a member."""
        return "\n".join(m.text for m in await self.ladder.action(self.ctx(who), action, value))

    def event(self, kind: EventKind, who: str, **fields: object) -> Event:
        """Build a platform event with a fresh key at the clock's time."""
        self._ids += 1
        fields.setdefault("key", f"e{self._ids}")
        return Event(kind, COMMUNITY, Actor(who, who), self.clock.now(), **fields)  # type: ignore[arg-type]

    async def post(self, who: str, text: str, channel: str = "general", thread: str | None = None) -> str:
        """A member posts a message (in a thread when ``thread`` is given); returns its id."""
        self._ids += 1
        key = f"msg{self._ids}"
        event = Event(
            EventKind.MESSAGE,
            COMMUNITY,
            Actor(who, who),
            self.clock.now(),
            key,
            channel_id=channel,
            message_id=key,
            thread_id=thread,
            text=text,
        )
        await self.ladder.events([event])
        return event.key

    def later(self, **delta: float) -> None:
        """Move the clock forward."""
        self.clock.advance(timedelta(**delta))

    async def sweep(self, **delta: float) -> None:
        """Let time pass, then run the scheduler's sweep (escalations, deadlines, resting)."""
        self.later(**delta)
        await self.ladder.sweep()

    async def member(self, who: str) -> Member:
        """The stored member behind a console handle."""
        async with self.ladder.sessions() as session:
            return (await session.exec(select(Member).where(Member.external_id == who))).one()

    async def set_level(self, who: str, level: int) -> None:
        """Put a member at a level the way a manager would (audited), and make them active."""
        await self.say(who, "skills")
        await self.post(who, "hello")
        current = (await self.member(who)).level
        if level != current:
            verb = "promote" if level > current else "demote"
            await self.say("manager", f"{verb} @{who} {level} set up for the test")

    def dms(self, to: str) -> list[Message]:
        """The DMs a member received, in order."""
        return [s.message for s in self.port.to("dm", to) if s.message is not None]

    def dm_texts(self, to: str) -> str:
        """Every DM a member received, joined for readable asserts."""
        return "\n".join(m.text for m in self.dms(to))


FAST: settings = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def with_harness(body: Callable[[Harness], Awaitable[None]], config: LadderConfig | None = None) -> None:
    """Run a scenario against a fresh database (hypothesis examples need one each), on the tests'
    config unless another is given."""

    async def scenario() -> None:
        with tempfile.TemporaryDirectory() as folder:
            engine = create_engine(migrated_database_url(Path(folder)))
            clock = FakeClock(START)
            port = FakeChatPort()
            try:
                await body(
                    Harness(
                        LadderService(session_factory(engine), config or config_for_tests(), port, clock),
                        port,
                        clock,
                    )
                )
            finally:
                await engine.dispose()

    asyncio.run(scenario())
