"""The scheduler harness: one database shared by several "processes" (service + scheduler)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db import migrated_database_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.database import create_engine, session_factory
from bot.runtime import Runtime
from bot.scheduling import SchedulerHandle, start_scheduler
from bot.settings import Settings
from handlers.kernel import Actor, CommunityRef, Context, FakeChatPort, FakeClock, LadderConfig, Message
from handlers.service import LadderService
from models import Community

# Sunday 4 January 2026, 12:00 UTC: the default digest is due Monday 5 January at 09:00 UTC.
SUNDAY = datetime(2026, 1, 4, 12, 0, tzinfo=UTC)
MONDAY_9 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
COMMUNITY = CommunityRef("console", "garden", "Gardeners")
MANAGER = "manager"
DIGEST_CHANNEL = "C0DIGEST"


@dataclass
class Instance:
    """One running Ladder "process": its service, fake platform and (once started) scheduler."""

    ladder: LadderService
    port: FakeChatPort
    runtime: Runtime
    handle: SchedulerHandle | None = None

    async def start(self, **options: Any) -> SchedulerHandle:
        """Start the scheduler as an adapter would; wait for its catch-up so tests are ordered."""
        self.handle = await start_scheduler(self.runtime, self.ladder, **options)
        if self.handle.catch_up is not None:
            await self.handle.catch_up
        return self.handle

    async def stop(self) -> None:
        """Stop the scheduler (a clean shutdown)."""
        if self.handle is not None:
            await self.handle.stop()
            self.handle = None

    def digests(self) -> list[Message]:
        """The digests this instance posted to the digest channel."""
        return [s.message for s in self.port.to("upload_image", DIGEST_CHANNEL) if s.message is not None]


@dataclass
class Deployment:
    """A database, a clock and the instances that run on them."""

    url: str
    engine: AsyncEngine
    clock: FakeClock
    config: LadderConfig = field(default_factory=LadderConfig)
    instances: list[Instance] = field(default_factory=list)

    def instance(self, port: FakeChatPort | None = None) -> Instance:
        """A new process on the shared database (its own port, the shared clock)."""
        port = port or FakeChatPort()
        sessions = session_factory(self.engine)
        ladder = LadderService(sessions, self.config, port, self.clock)
        runtime = Runtime(Settings(DATABASE_URL=self.url), self.config, sessions, self.url, self.clock)
        created = Instance(ladder, port, runtime)
        self.instances.append(created)
        return created

    async def manager_says(self, text: str, at: Instance | None = None) -> str:
        """Run ``/ladder <text>`` as the community's manager; return the private reply."""
        ladder = (at or self.first()).ladder
        ctx = Context(COMMUNITY, Actor(MANAGER, "Manny", is_admin=True), channel_id="general")
        return "\n".join(m.text for m in await ladder.command(ctx, text))

    def first(self) -> Instance:
        """The first instance, created on demand."""
        return self.instances[0] if self.instances else self.instance()

    async def community_id(self) -> int:
        """The id of the test community (created by the first command)."""
        async with session_factory(self.engine)() as session:
            community = (await session.exec(select(Community))).one()
        assert community.id is not None
        return community.id


@asynccontextmanager
async def deployed(tmp_path: Path) -> AsyncIterator[Deployment]:
    """A fresh database with the test community, its manager and a digest channel, on Sunday;
    every scheduler started on it is stopped at the end."""
    url = migrated_database_url(tmp_path)
    engine = create_engine(url)
    created = Deployment(url, engine, FakeClock(SUNDAY))
    await created.manager_says(f"digest channel <#{DIGEST_CHANNEL}>")
    try:
        yield created
    finally:
        for instance in created.instances:
            await instance.stop()
        await engine.dispose()
