"""Conversations written as platform events, fed to the real service live or as history."""

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from core_harness import COMMUNITY, HELP_CHANNEL, START, Harness, config_for_tests
from db import migrated_database_url
from sqlmodel import col, select

from bot.database import create_engine, session_factory
from handlers import ingest
from handlers.kernel import (
    Actor,
    Event,
    EventKind,
    FakeChatPort,
    FakeClock,
    LadderConfig,
    Scope,
    ensure_community,
)
from handlers.ladder import Placement, place_from_history
from handlers.service import LadderService
from models import Answer, Contribution, Member


@dataclass
class Script:
    """Events of a conversation, in time order, with ids a test can name."""

    start: datetime = START
    channel: str = HELP_CHANNEL
    events: list[Event] = field(default_factory=list)
    managers: frozenset[str] = frozenset({"manager"})
    _count: int = 0

    def _at(self, minutes: float) -> datetime:
        return self.start + timedelta(minutes=minutes)

    def _id(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def actor(self, who: str) -> Actor:
        """A member as the platform names them (managers are admins there)."""
        return Actor(who, who.title(), is_admin=who in self.managers)

    def ask(self, who: str, text: str, minutes: float = 0) -> str:
        """A new message in the help channel (a question); returns its id."""
        return self.say(who, text, minutes)

    def say(
        self,
        who: str,
        text: str,
        minutes: float = 0,
        *,
        thread: str | None = None,
        reply_to: str | None = None,
        mentions: tuple[str, ...] = (),
        channel: str | None = None,
    ) -> str:
        """A message (in a thread, or as an inline reply, when told); returns its id."""
        message = self._id("m")
        self.events.append(
            Event(
                EventKind.MESSAGE,
                COMMUNITY,
                self.actor(who),
                self._at(minutes),
                message,
                channel_id=channel or self.channel,
                message_id=message,
                thread_id=thread,
                text=text,
                reply_to=reply_to,
                mentions=mentions,
            )
        )
        return message

    def react(self, who: str, message: str, emoji: str, minutes: float = 0) -> None:
        """A member reacts to a message."""
        self.events.append(
            Event(
                EventKind.REACTION,
                COMMUNITY,
                self.actor(who),
                self._at(minutes),
                f"{message}:{who}:{emoji}",
                channel_id=self.channel,
                message_id=message,
                text=emoji,
            )
        )


async def feed(harness: Harness, events: list[Event], *, live: bool) -> None:
    """Live: one event at a time at its moment. History: one batch, as an import writes it
    (and the clock moves past it, as an import runs after its history)."""
    ordered = sorted(events, key=lambda e: e.at)
    if live:
        for event in ordered:
            harness.clock.set(event.at)
            await harness.ladder.events([event])
    else:
        await harness.ladder.events(ordered, live=False)
        harness.clock.set(ordered[-1].at)


async def feed_history(harness: Harness, events: list[Event], *, questions: set[str]) -> None:
    """One history batch whose reader recognised ``questions`` (message keys) as questions."""
    ordered = sorted(events, key=lambda e: e.at)
    async with harness.ladder.sessions() as session, session.begin():
        community = await ensure_community(session, COMMUNITY, harness.ladder.config)
        scope = Scope(session, harness.ladder.config, harness.clock.now(), community)
        await ingest.record(scope, ordered, harness.ladder.terms, live=False, questions=questions)
    harness.clock.set(ordered[-1].at)


async def place(harness: Harness) -> Placement:
    """Run placement from history over the harness's community, as an import does at its end."""
    async with harness.ladder.sessions() as session, session.begin():
        community = await ensure_community(session, COMMUNITY, harness.ladder.config)
        return await place_from_history(Scope(session, harness.ladder.config, harness.clock.now(), community))


async def ledger(harness: Harness) -> list[tuple[str, str, str, int]]:
    """The contributions as (member, kind, source id, points), in a stable order."""
    async with harness.ladder.sessions() as session:
        rows = await session.exec(
            select(Member.external_id, Contribution.kind, Contribution.source_id, Contribution.points)
            .join(Member, col(Member.id) == col(Contribution.member_id))
            .order_by(col(Contribution.source_id), col(Member.external_id))
        )
        return [(who, kind, source, points) for who, kind, source, points in rows.all()]


async def accepted(harness: Harness) -> list[tuple[str, str]]:
    """Accepted answers as (helper, signal), in the order they were given."""
    async with harness.ladder.sessions() as session:
        rows = await session.exec(
            select(Member.external_id, Answer.accepted_signal)
            .join(Member, col(Member.id) == col(Answer.member_id))
            .where(col(Answer.accepted_at).is_not(None))
            .order_by(col(Answer.created_at))
        )
        return [(who, str(signal)) for who, signal in rows.all()]


async def credited(harness: Harness, kind: str) -> list[tuple[str, int]]:
    """(member, points) of every contribution of one kind."""
    return [(who, points) for who, k, _, points in await ledger(harness) if k == kind]


def with_harness(body: Callable[[Harness], Awaitable[None]], config: LadderConfig | None = None) -> None:
    """Run a scenario against a fresh database (each Hypothesis example needs its own)."""

    async def scenario() -> None:
        with tempfile.TemporaryDirectory() as folder:
            engine = create_engine(migrated_database_url(Path(folder)))
            clock = FakeClock(START)
            port = FakeChatPort()
            ladder = LadderService(session_factory(engine), config or config_for_tests(), port, clock)
            try:
                await body(Harness(ladder, port, clock))
            finally:
                await engine.dispose()

    asyncio.run(scenario())
