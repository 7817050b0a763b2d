"""The dashboard tests' helpers: a read scope on the harness's community."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core_harness import COMMUNITY, Harness

from handlers.kernel import Scope, ensure_community


@asynccontextmanager
async def viewing(harness: Harness) -> AsyncIterator[Scope]:
    """A scope on the harness's community at the clock's time, as the dashboard reads it."""
    async with harness.ladder.sessions() as session:
        community = await ensure_community(session, COMMUNITY, harness.ladder.config)
        yield Scope(session, harness.ladder.config, harness.clock.now(), community)
