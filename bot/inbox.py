"""The durable inbox: a platform request is committed here before the platform hears "got it".

Acknowledging is what makes Slack forget a request, so an acknowledgement must mean the request
survives a crash. :meth:`Inbox.accept` writes the request to the ``inboxitem`` table with a group
commit — every request that arrives while one write is in flight rides in the next, one
``INSERT`` and one commit for all of them — and returns only once that commit is done; the
adapter acknowledges after it and processes the request after that. A request's key
(``event:<event_id>``, ``command:<trigger_id>``) is unique, so a redelivery of a request still
held is acknowledged without a second row.

Processing records the request's key in ``processedevent`` in the same transaction as its
effects (the core does that for every event and every receipt of a command), so "done" is
atomic with the work. The row itself is then deleted lazily (:meth:`Inbox.finish`, batched
into the next write): a row a crash left behind is simply processed again at the next start
(:meth:`Inbox.left_behind`) and skipped by the core if it was already done.

The in-memory backlog — requests accepted and not yet finished — is bounded (``backlog``): when
it is full, :meth:`accept` waits up to ``wait`` seconds for room and then refuses with
:class:`InboxFullError`, so the adapter answers "try again" and the platform redelivers later,
instead of memory growing without bound.

On SQLite the inbox is a file of its own beside the database (:func:`open_inbox`): SQLite has one
writer at a time, and an acknowledgement must not wait for a use case's transaction; a commit
there is durable against a process crash (WAL, ``synchronous=NORMAL``). On PostgreSQL it is the
``inboxitem`` table of the database itself (written by any replica, resumed by any).
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.database import create_engine, is_sqlite, session_factory
from models.inbox import InboxItem
from models.queries import insert_new

log = logging.getLogger(__name__)

DEFAULT_BACKLOG = 5_000
ACK_WAIT_SECONDS = 1.5
RESUME_CHUNK = 200
FLUSH_FINISHED_AFTER = 256
FINISHED_DELAY_SECONDS = 1.0


class InboxFullError(Exception):
    """The backlog stayed full for the whole wait: refuse, so the platform redelivers later."""


@dataclass(frozen=True, slots=True)
class Held:
    """A request in the inbox: its row id, kind, key and payload as the platform sent it."""

    id: int
    kind: str
    key: str
    payload: dict[str, Any]


@dataclass(slots=True)
class _Arrival:
    """A request waiting for the next group commit, and everyone waiting on it."""

    kind: str
    payload: str
    at: datetime
    futures: list["asyncio.Future[int | None]"] = field(default_factory=list)


class Inbox:
    """Group-committed intake of one platform's requests, with a bounded backlog."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        platform: str,
        *,
        backlog: int = DEFAULT_BACKLOG,
        wait: float = ACK_WAIT_SECONDS,
        max_batch: int = 1000,
    ) -> None:
        self.sessions, self.platform = sessions, platform
        self.wait, self.max_batch = wait, max_batch
        self._room = asyncio.Semaphore(backlog)
        self._arrivals: dict[str, _Arrival] = {}
        self._finished: list[int] = []
        self._writer: asyncio.Task[None] | None = None
        self._flush_timer: asyncio.TimerHandle | None = None

    async def accept(self, kind: str, key: str, payload: Mapping[str, Any]) -> int | None:
        """Commit a request to the inbox; return its row id, or None when the key is already held.

        Raises :class:`InboxFullError` when the backlog has no room within ``wait`` seconds, and
        whatever the database raised when the write failed: either way, do not acknowledge.
        """
        if self._room.locked():
            try:
                await asyncio.wait_for(self._room.acquire(), self.wait)
            except TimeoutError:
                raise InboxFullError(f"the inbox backlog is full; {kind} {key} refused") from None
        else:
            await self._room.acquire()
        try:
            item_id = await self._write(kind, key, payload)
        except BaseException:
            self._room.release()
            raise
        if item_id is None:
            self._room.release()
        return item_id

    def finish(self, item_id: int, *, keep: bool = False) -> None:
        """A held request is done with: free its place; delete its row unless ``keep``.

        ``keep`` leaves the row for the next start (processing failed in a way a restart may
        cure); the deletion itself rides with the next write.
        """
        self._room.release()
        if keep:
            return
        self._finished.append(item_id)
        if len(self._finished) >= FLUSH_FINISHED_AFTER:
            self._start_writer()
        elif self._flush_timer is None:
            loop = asyncio.get_running_loop()
            self._flush_timer = loop.call_later(FINISHED_DELAY_SECONDS, self._start_writer)

    async def left_behind(self) -> AsyncIterator[Held]:
        """The requests a previous run left unprocessed, oldest first, each once there is room.

        Only rows already there when this is called are yielded (call it before accepting, so
        nothing is both resumed and processed live). Each one yielded takes a place in the
        backlog: pass it to :meth:`finish` when done.
        """
        async with self.sessions() as session:
            newest = (
                await session.exec(select(func.max(InboxItem.id)).where(InboxItem.platform == self.platform))
            ).one()
        return self._held(newest or 0)

    async def _held(self, newest: int) -> AsyncIterator[Held]:
        after = 0
        while after < newest:
            async with self.sessions() as session:
                rows = (
                    await session.exec(
                        select(InboxItem)
                        .where(
                            InboxItem.platform == self.platform,
                            col(InboxItem.id) > after,
                            col(InboxItem.id) <= newest,
                        )
                        .order_by(col(InboxItem.id))
                        .limit(RESUME_CHUNK)
                    )
                ).all()
            if not rows:
                return
            for row in rows:
                assert row.id is not None
                after = row.id
                await self._room.acquire()
                yield Held(row.id, row.kind, row.key, json.loads(row.payload))

    async def close(self) -> None:
        """Write the pending deletions and wait for the writer to stop."""
        self._start_writer()
        if self._writer is not None:
            await asyncio.wait([self._writer])

    async def _write(self, kind: str, key: str, payload: Mapping[str, Any]) -> int | None:
        arrival = self._arrivals.get(key)
        if arrival is None:
            arrival = self._arrivals[key] = _Arrival(kind, json.dumps(payload), datetime.now(UTC))
        future: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        arrival.futures.append(future)
        self._start_writer()
        return await future

    def _start_writer(self) -> None:
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        """Commit what has arrived, in groups, until nothing is waiting."""
        await asyncio.sleep(0)
        while self._arrivals or self._finished:
            keys = list(self._arrivals)[: self.max_batch]
            batch = {key: self._arrivals.pop(key) for key in keys}
            finished, self._finished = self._finished, []
            try:
                ids = await self._commit(batch, finished)
            except Exception as error:
                log.warning(
                    "could not write to the inbox (%s): %d requests refused", type(error).__name__, len(batch)
                )
                self._finished.extend(finished)
                for arrival in batch.values():
                    for future in arrival.futures:
                        if not future.done():
                            future.set_exception(error)
                if not batch:
                    return
                continue
            for key, arrival in batch.items():
                first, *others = arrival.futures
                if not first.done():
                    first.set_result(ids.get(key))
                for future in others:
                    if not future.done():
                        future.set_result(None)

    async def _commit(self, batch: Mapping[str, _Arrival], finished: list[int]) -> dict[str, int]:
        """One transaction: delete finished rows, insert new ones; return the new rows' ids."""
        async with self.sessions() as session, session.begin():
            if finished:
                await session.execute(delete(InboxItem).where(col(InboxItem.id).in_(finished)))
            if not batch:
                return {}
            rows = [
                {
                    "platform": self.platform,
                    "kind": arrival.kind,
                    "key": key,
                    "payload": arrival.payload,
                    "received_at": arrival.at,
                }
                for key, arrival in batch.items()
            ]
            inserted = await insert_new(
                session, InboxItem, rows, ("platform", "key"), returning=(InboxItem.key, InboxItem.id)
            )
        return dict(inserted)


def inbox_url(url: str) -> str | None:
    """Where the inbox of a SQLite database lives (a file beside it); None: in the database."""
    if not is_sqlite(url):
        return None
    parsed = make_url(url)
    if parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return str(parsed.set(database=str(path.with_name(f"{path.stem}-inbox{path.suffix or '.db'}"))))


@asynccontextmanager
async def open_inbox(
    url: str, sessions: async_sessionmaker[AsyncSession], platform: str, *, backlog: int = DEFAULT_BACKLOG
) -> AsyncIterator[Inbox]:
    """The inbox for a database: its own SQLite file beside a SQLite database, else ``sessions``."""
    own = inbox_url(url)
    if own is None:
        inbox = Inbox(sessions, platform, backlog=backlog)
        try:
            yield inbox
        finally:
            await inbox.close()
        return
    engine = create_engine(own)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(
                lambda sync: InboxItem.__table__.create(sync, checkfirst=True)  # type: ignore[attr-defined]
            )
        inbox = Inbox(session_factory(engine), platform, backlog=backlog)
        try:
            yield inbox
        finally:
            await inbox.close()
    finally:
        await engine.dispose()
