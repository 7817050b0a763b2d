"""Sessions that only read, derived from the application's sessions on the same database."""

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

READ_ONLY = "ladder_read_only"
"""An execution option: on SQLite the engine begins such transactions deferred (a plain ``BEGIN``)
instead of ``BEGIN IMMEDIATE``, so they never take the write lock."""


def read_only(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on ``engine`` whose transactions only read (never holding SQLite's write lock)."""
    reader = engine.execution_options(**{READ_ONLY: True})
    return async_sessionmaker(reader, class_=AsyncSession, expire_on_commit=False)


def readers_of(sessions: async_sessionmaker[AsyncSession]) -> async_sessionmaker[AsyncSession]:
    """Read-only sessions on the database ``sessions`` write to."""
    bind = sessions.kw["bind"]
    if not isinstance(bind, AsyncEngine):
        raise TypeError(f"sessions bound to {type(bind).__name__}, not an engine: cannot derive readers")
    return read_only(bind)
