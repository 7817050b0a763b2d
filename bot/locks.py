"""Exclusive sections around a platform's read-modify-write, across replicas.

Some platform state can only be replaced whole (a Slack user group's member list): two replicas
reading it at once and each writing back its own change lose one of them. A section is entered
one at a time in this process (an ``asyncio.Lock``) and, on PostgreSQL, across processes (a
transaction holding the budget's advisory lock for the section's duration). A SQLite deployment
is one process, so the in-process lock is the whole story there (and no write transaction is held
open while the platform answers).
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from models.locks import Budget, hold

Section = Callable[[], AbstractAsyncContextManager[None]]


def local_section() -> Section:
    """A section that is exclusive within this process only."""
    lock = asyncio.Lock()

    @asynccontextmanager
    async def entered() -> AsyncIterator[None]:
        async with lock:
            yield

    return entered


def database_section(sessions: async_sessionmaker[AsyncSession], budget: Budget, key: int = 0) -> Section:
    """A section exclusive across every process sharing the database (PostgreSQL's advisory lock)."""
    lock = asyncio.Lock()
    bind = sessions.kw.get("bind")
    sqlite = bind is None or bind.dialect.name == "sqlite"

    @asynccontextmanager
    async def entered() -> AsyncIterator[None]:
        async with lock:
            if sqlite:
                yield
                return
            async with sessions() as session, session.begin():
                await hold(session, budget, key)
                yield

    return entered
