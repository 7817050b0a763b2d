"""Several Ladder replicas on one fresh PostgreSQL database: an engine and a service each."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from core_harness import COMMUNITY, START, config_for_tests
from db import migrated_database_url
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, func, select

from bot.database import create_engine, session_factory
from handlers.kernel import Actor, Context, Event, EventKind, FakeChatPort, FakeClock, LadderConfig, Message
from handlers.service import LadderService

MANAGER = "manager"


@dataclass
class Replicas:
    """The replicas (each its own engine, so its own connections) and their shared clock."""

    ladders: list[LadderService]
    ports: list[FakeChatPort]
    engines: list[AsyncEngine]
    clock: FakeClock

    @staticmethod
    def ctx(who: str) -> Context:
        """A member acting in #general (the manager is a workspace admin)."""
        return Context(COMMUNITY, Actor(who, who, is_admin=who == MANAGER), channel_id="general")

    async def say(self, who: str, text: str, replica: int = 0) -> str:
        """Run ``/ladder <text>`` on one replica; the replies' text."""
        replies: Sequence[Message] = await self.ladders[replica].command(self.ctx(who), text)
        return "\n".join(m.text for m in replies)

    async def active(self, who: str) -> None:
        """A member says something in #general, so they count as recently active."""
        event = Event(EventKind.MESSAGE, COMMUNITY, Actor(who, who), self.clock.now(), f"hi-{who}")
        await self.ladders[0].events([event])

    async def count(self, table: type[SQLModel], *where: object) -> int:
        """How many rows of a table match."""
        async with self.ladders[0].sessions() as session:
            statement = select(func.count()).select_from(table)
            for condition in where:
                statement = statement.where(condition)  # type: ignore[arg-type]
            return (await session.exec(statement)).one()


@asynccontextmanager
async def replicas(tmp_path: Path, count: int, config: LadderConfig | None = None) -> AsyncIterator[Replicas]:
    """``count`` replicas on one freshly migrated database."""
    url = migrated_database_url(tmp_path)
    clock = FakeClock(START)
    engines = [create_engine(url) for _ in range(count)]
    ports = [FakeChatPort() for _ in range(count)]
    chosen = config or config_for_tests()
    ladders = [
        LadderService(session_factory(e), chosen, p, clock) for e, p in zip(engines, ports, strict=True)
    ]
    for engine in engines:  # connect now: a replica still connecting would not race at all
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    try:
        yield Replicas(ladders, ports, engines, clock)
    finally:
        for engine in engines:
            await engine.dispose()
