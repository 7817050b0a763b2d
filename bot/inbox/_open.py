"""Opening the inbox that suits a database URL."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.inbox._intake import DEFAULT_BACKLOG, Inbox
from bot.inbox._stores import DatabaseStore, SqliteFileStore, inbox_path


@asynccontextmanager
async def open_inbox(
    url: str, sessions: async_sessionmaker[AsyncSession], platform: str, *, backlog: int = DEFAULT_BACKLOG
) -> AsyncIterator[Inbox]:
    """The inbox for a database: a file beside a SQLite database, else the database itself."""
    path = inbox_path(url)
    if path is None:
        inbox = Inbox(DatabaseStore(sessions), platform, backlog=backlog)
        try:
            yield inbox
        finally:
            await inbox.close()
        return
    store = SqliteFileStore(path)
    await store.open()
    try:
        inbox = Inbox(store, platform, backlog=backlog)
        try:
            yield inbox
        finally:
            await inbox.close()
    finally:
        await store.close()
