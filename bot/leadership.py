"""Which instance runs the scheduled jobs: the holder of a PostgreSQL advisory lock.

Every instance contends; the one whose dedicated autocommit connection wins
``pg_try_advisory_lock(LOCK_KEY)`` is the leader and starts the scheduler. PostgreSQL releases the
lock when that connection ends, so when the leader dies (or loses the database) another instance
takes over at its next retry. On SQLite a single process is assumed and it always leads.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

import psycopg
from sqlalchemy.engine import make_url

from bot.database import is_sqlite

log = logging.getLogger(__name__)

LOCK_KEY = 0x4C414444_5343484E  # "LADDSCHN": unique to Ladder's scheduler within a database
CONNECT_TIMEOUT_SECONDS = 5
CHECK_TIMEOUT_SECONDS = 5


class Lock(Protocol):
    """A leadership lock: acquire without waiting, check it is still held, release it."""

    async def try_acquire(self) -> bool:
        """Take the lock if free; say whether this instance now holds it."""
        ...

    async def still_held(self) -> bool:
        """Say whether the lock is still ours (False once its connection is gone)."""
        ...

    async def release(self) -> None:
        """Give the lock up (idempotent)."""
        ...


class SingleProcessLock:
    """SQLite: one process uses the database, so it always leads."""

    async def try_acquire(self) -> bool:
        """Always granted."""
        return True

    async def still_held(self) -> bool:
        """Always held."""
        return True

    async def release(self) -> None:
        """Nothing to release."""


class AdvisoryLock:
    """A session-level PostgreSQL advisory lock on a connection of its own."""

    def __init__(self, url: str, key: int = LOCK_KEY) -> None:
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.key = key
        self._connection: psycopg.AsyncConnection[tuple[object, ...]] | None = None

    async def try_acquire(self) -> bool:
        """Open a connection and try the lock; keep the connection only if the lock is ours."""
        if self._connection is not None:
            return await self.still_held()
        connection = await psycopg.AsyncConnection.connect(
            self.conninfo,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            application_name="ladder-scheduler-lock",
            # Notice a vanished peer within ~30 s, so a dead leader's lock is freed promptly.
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
        )
        cursor = await connection.execute("SELECT pg_try_advisory_lock(%s)", (self.key,))
        row = await cursor.fetchone()
        if row is not None and row[0] is True:
            self._connection = connection
            return True
        await connection.close()
        return False

    async def still_held(self) -> bool:
        """Ping the lock's connection: while it lives, the lock is ours."""
        connection = self._connection
        if connection is None:
            return False
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                await connection.execute("SELECT 1")
        except Exception as error:  # noqa: BLE001 - any failure means the connection, and the lock, are gone
            log.warning("scheduler lock lost: %s", error)
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        """Unlock and close the connection."""
        connection = self._connection
        if connection is None:
            return
        try:
            await connection.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
        except Exception as error:  # noqa: BLE001 - closing the connection frees the lock anyway
            log.debug("unlock failed (%s); closing the connection frees it", error)
        await self._drop()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception as error:  # noqa: BLE001 - the connection is already broken
                log.debug("closing the lock connection: %s", error)


def lock_for(url: str) -> Lock:
    """The leadership lock that fits the database."""
    return SingleProcessLock() if is_sqlite(url) else AdvisoryLock(url)


async def contend(
    lock: Lock,
    *,
    on_gain: Callable[[], Awaitable[None]],
    on_loss: Callable[[], Awaitable[None]],
    held: bool = False,
    retry_seconds: float = 15.0,
    check_seconds: float = 10.0,
) -> None:
    """Lead while the lock is held, stand by and retry while it is not; runs until cancelled.

    ``held=True`` says the caller already took the lock (and called ``on_gain``).
    """
    while True:
        if not held:
            try:
                held = await lock.try_acquire()
            except Exception as error:  # noqa: BLE001 - database down: stand by and retry
                log.warning("scheduler lock: database unreachable (%s); retrying", error)
                held = False
            if not held:
                await asyncio.sleep(retry_seconds)
                continue
            log.info("this instance now runs the scheduled jobs", extra={"kind": "leader"})
            await on_gain()
        try:
            while True:
                if not await lock.still_held():
                    break
                await asyncio.sleep(check_seconds)
        finally:
            held = False
            await on_loss()
        log.warning("scheduler lock lost; standing by", extra={"kind": "standby"})
        await asyncio.sleep(retry_seconds)
