"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL.

One ``DATABASE_URL`` serves both drivers: the app runs on the async driver (aiosqlite or
psycopg's async mode) and Alembic and APScheduler's job store on the sync one.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from models.sessions import READ_ONLY, read_only

MIGRATIONS = Path(__file__).parent / "migrations"


def async_url(url: str) -> str:
    """Return the async-driver form of a database URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.set(drivername="sqlite+aiosqlite"))
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")


def sync_url(url: str) -> str:
    """Return the sync-driver form of a database URL (Alembic, APScheduler)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.set(drivername="sqlite"))
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    """Say whether a URL names SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_dir(url: str) -> None:
    """Create the folder of a SQLite file so a fresh machine needs no set-up."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str, **options: Any) -> AsyncEngine:
    """Create the app's async engine.

    On SQLite every transaction starts with ``BEGIN IMMEDIATE``: a use case reads then writes,
    and deferred transactions let two writers lose updates (PLATFORM-NOTES.md).
    """
    ensure_sqlite_dir(url)
    if not is_sqlite(url):
        options.setdefault("pool_pre_ping", True)
    engine = create_async_engine(async_url(url), **options)
    if is_sqlite(url):
        _serialise_sqlite_writers(engine)
    return engine


def _serialise_sqlite_writers(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (replies read them)."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that only read (dashboard pages, exports). On SQLite their transactions begin
    deferred, so a long export never holds the write lock the bot needs (in WAL mode readers and
    the writer proceed together); on PostgreSQL they are ordinary sessions."""
    return read_only(engine)


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at Ladder's migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    ensure_sqlite_dir(url)
    command.upgrade(alembic_config(url), "head")


@asynccontextmanager
async def open_database(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Upgrade the schema, open an engine and yield a session factory; dispose on exit."""
    upgrade(url)
    engine = create_engine(url)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()
