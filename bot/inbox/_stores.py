"""Where inbox rows live: the database's ``inboxitem`` table, or a SQLite file of their own."""

import asyncio
import json
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete, func
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.schema import CreateTable
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.database import is_sqlite
from models.inbox import InboxItem
from models.queries import insert_new, sqlite_stamp


@dataclass(frozen=True, slots=True)
class Arrival:
    """A request to store: its platform, kind, unique key, payload (JSON) and arrival time."""

    platform: str
    kind: str
    key: str
    payload: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Held:
    """A request in the inbox: its row id, kind, key and payload as the platform sent it."""

    id: int
    kind: str
    key: str
    payload: dict[str, Any]


class InboxStore(Protocol):
    """The three things the inbox asks of its storage."""

    async def commit(self, arrivals: Sequence[Arrival], finished: Sequence[int]) -> dict[str, int]:
        """In one transaction delete ``finished`` rows and insert new keys; return their ids."""
        ...

    async def newest(self, platform: str) -> int:
        """The newest row id of a platform (0 when there is none)."""
        ...

    async def held(self, platform: str, after: int, upto: int, limit: int) -> list[Held]:
        """Up to ``limit`` rows with ``after < id <= upto``, oldest first."""
        ...


class DatabaseStore:
    """The ``inboxitem`` table of Ladder's own database (PostgreSQL; any database in tests)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def commit(self, arrivals: Sequence[Arrival], finished: Sequence[int]) -> dict[str, int]:
        """One transaction: one ``DELETE`` and one ``INSERT … ON CONFLICT DO NOTHING``."""
        async with self.sessions() as session, session.begin():
            if finished:
                await session.execute(delete(InboxItem).where(col(InboxItem.id).in_(finished)))
            if not arrivals:
                return {}
            rows = [
                {
                    "platform": a.platform,
                    "kind": a.kind,
                    "key": a.key,
                    "payload": a.payload,
                    "received_at": a.at,
                }
                for a in arrivals
            ]
            inserted = await insert_new(
                session, InboxItem, rows, ("platform", "key"), returning=(InboxItem.key, InboxItem.id)
            )
        return dict(inserted)

    async def newest(self, platform: str) -> int:
        """``max(id)`` of the platform's rows."""
        async with self.sessions() as session:
            statement = select(func.max(InboxItem.id)).where(InboxItem.platform == platform)
            return (await session.exec(statement)).one() or 0

    async def held(self, platform: str, after: int, upto: int, limit: int) -> list[Held]:
        """A page of rows in id order."""
        async with self.sessions() as session:
            rows = (
                await session.exec(
                    select(InboxItem)
                    .where(
                        InboxItem.platform == platform, col(InboxItem.id) > after, col(InboxItem.id) <= upto
                    )
                    .order_by(col(InboxItem.id))
                    .limit(limit)
                )
            ).all()
        return [Held(r.id or 0, r.kind, r.key, json.loads(r.payload)) for r in rows]


class SqliteFileStore:
    """The inbox of a SQLite deployment: a SQLite file of its own, written from one thread.

    Written by hand on the standard library's ``sqlite3`` rather than through SQLAlchemy's async
    engine because an acknowledgement waits for this write: here a group commit is one hop to the
    store's thread (``BEGIN IMMEDIATE``, the rows, ``COMMIT``), where the async engine takes a
    hop per statement. WAL with ``synchronous=NORMAL`` makes a commit durable against a process
    crash (the WAL is in the operating system's hands once written). The table is the model's
    own ``CREATE TABLE``, so both stores hold the same rows.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ladder-inbox")
        self._connection: sqlite3.Connection | None = None

    async def open(self) -> None:
        """Create the file and its table if needed."""
        await self._run(self._open)

    async def close(self) -> None:
        """Close the connection and stop the thread."""
        await self._run(self._close)
        self._thread.shutdown()

    async def commit(self, arrivals: Sequence[Arrival], finished: Sequence[int]) -> dict[str, int]:
        """One transaction in the store's thread."""
        ids: dict[str, int] = await self._run(self._commit, arrivals, finished)
        return ids

    async def newest(self, platform: str) -> int:
        """``max(id)`` of the platform's rows."""
        rows = await self._run(self._query, "SELECT max(id) FROM inboxitem WHERE platform = ?", (platform,))
        return int(rows[0][0] or 0)

    async def held(self, platform: str, after: int, upto: int, limit: int) -> list[Held]:
        """A page of rows in id order."""
        rows = await self._run(
            self._query,
            "SELECT id, kind, key, payload FROM inboxitem "
            "WHERE platform = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?",
            (platform, after, upto, limit),
        )
        return [Held(int(i), str(kind), str(key), json.loads(payload)) for i, kind, key, payload in rows]

    async def _run(self, work: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._thread, work, *args)

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA busy_timeout=10000")
        table = InboxItem.__table__  # type: ignore[attr-defined]
        connection.execute(str(CreateTable(table, if_not_exists=True).compile(dialect=sqlite.dialect())))
        self._connection = connection

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _query(self, sql: str, parameters: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        assert self._connection is not None
        return self._connection.execute(sql, parameters).fetchall()

    def _commit(self, arrivals: Sequence[Arrival], finished: Sequence[int]) -> dict[str, int]:
        connection = self._connection
        assert connection is not None
        connection.execute("BEGIN IMMEDIATE")
        try:
            if finished:
                connection.execute(
                    "DELETE FROM inboxitem WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(finished),),
                )
            ids: dict[str, int] = {}
            for a in arrivals:
                row = connection.execute(
                    "INSERT INTO inboxitem (platform, kind, key, payload, received_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, key) DO NOTHING RETURNING id",
                    (a.platform, a.kind, a.key, a.payload, sqlite_stamp(a.at)),
                ).fetchone()
                if row is not None:
                    ids[a.key] = int(row[0])
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return ids


def inbox_path(url: str) -> Path | None:
    """The file holding a SQLite database's inbox (beside it); None for PostgreSQL or memory."""
    if not is_sqlite(url):
        return None
    database = make_url(url).database
    if database in (None, "", ":memory:"):
        return None
    path = Path(database)
    return path.with_name(f"{path.stem}-inbox{path.suffix or '.db'}")
