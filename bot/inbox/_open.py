"""Opening the inbox that suits a database URL."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.database import create_engine, is_sqlite, session_factory
from bot.inbox._intake import DEFAULT_BACKLOG, Inbox
from bot.inbox._stores import DatabaseStore, SqliteFileStore, inbox_path

INBOX_POOL = 2


@asynccontextmanager
async def open_inbox(
    url: str, sessions: async_sessionmaker[AsyncSession], platform: str, *, backlog: int = DEFAULT_BACKLOG
) -> AsyncIterator[Inbox]:
    """The inbox for a database: a file beside a SQLite database, else the database's table.

    On PostgreSQL the inbox has a small connection pool of its own, so an acknowledgement never
    waits for a connection the use cases hold. (An in-memory SQLite database, in tests, shares
    ``sessions``.)
    """
    path = inbox_path(url)
    if path is not None:
        store = SqliteFileStore(path)
        await store.open()
        try:
            async with _closing(Inbox(store, platform, backlog=backlog)) as inbox:
                yield inbox
        finally:
            await store.close()
        return
    if is_sqlite(url):
        async with _closing(Inbox(DatabaseStore(sessions), platform, backlog=backlog)) as inbox:
            yield inbox
        return
    engine = create_engine(url, pool_size=INBOX_POOL, max_overflow=INBOX_POOL)
    try:
        async with _closing(
            Inbox(DatabaseStore(session_factory(engine)), platform, backlog=backlog)
        ) as inbox:
            yield inbox
    finally:
        await engine.dispose()


@asynccontextmanager
async def _closing(inbox: Inbox) -> AsyncIterator[Inbox]:
    """Yield the inbox; on the way out, write its pending deletions."""
    try:
        yield inbox
    finally:
        await inbox.close()
