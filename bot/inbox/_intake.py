"""The inbox's intake: group commit, a bounded backlog, lazy deletion and resuming."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.inbox._stores import Arrival, Held, InboxStore

log = logging.getLogger(__name__)

DEFAULT_BACKLOG = 5_000
ACK_WAIT_SECONDS = 1.5
RESUME_CHUNK = 200
FLUSH_FINISHED_AFTER = 256
FINISHED_DELAY_SECONDS = 1.0


class InboxFullError(Exception):
    """The backlog stayed full for the whole wait: refuse, so the platform redelivers later."""


@dataclass(slots=True)
class _Waiting:
    """A request waiting for the next group commit, and everyone waiting on it."""

    arrival: Arrival
    futures: list["asyncio.Future[int | None]"] = field(default_factory=list)


class Inbox:
    """Group-committed intake of one platform's requests, with a bounded in-memory backlog."""

    def __init__(
        self,
        store: InboxStore,
        platform: str,
        *,
        backlog: int = DEFAULT_BACKLOG,
        wait: float = ACK_WAIT_SECONDS,
        max_batch: int = 1000,
    ) -> None:
        self.store, self.platform = store, platform
        self.wait, self.max_batch = wait, max_batch
        self._room = asyncio.Semaphore(backlog)
        self.limit = backlog
        self.held = 0
        """Requests accepted (or resumed) and not yet finished: the in-memory backlog."""
        self.most_held = 0
        """The largest backlog so far (the benchmark shows it stays under ``limit``)."""
        self._waiting: dict[str, _Waiting] = {}
        self._finished: list[int] = []
        self._writer: asyncio.Task[None] | None = None
        self._flush_timer: asyncio.TimerHandle | None = None

    async def accept(self, kind: str, key: str, payload: Mapping[str, Any]) -> int | None:
        """Commit a request to the inbox; return its row id, or None when the key is already held.

        Raises :class:`InboxFullError` when the backlog has no room within ``wait`` seconds, and
        whatever the store raised when the write failed: either way, do not acknowledge.
        """
        if self._room.locked():
            try:
                await asyncio.wait_for(self._room.acquire(), self.wait)
            except TimeoutError:
                raise InboxFullError(f"the inbox backlog is full; {kind} {key} refused") from None
        else:
            await self._room.acquire()
        self._took()
        try:
            item_id = await self._write(kind, key, payload)
        except BaseException:
            self._freed()
            raise
        if item_id is None:
            self._freed()
        return item_id

    def finish(self, item_id: int, *, keep: bool = False) -> None:
        """A held request is done with: free its place; delete its row unless ``keep``.

        ``keep`` leaves the row for the next start (processing could not finish, and a restart
        may cure that); the deletion itself rides with a later write.
        """
        self._freed()
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
        newest = await self.store.newest(self.platform)
        return self._held(newest)

    async def _held(self, newest: int) -> AsyncIterator[Held]:
        after = 0
        while after < newest:
            rows = await self.store.held(self.platform, after, newest, RESUME_CHUNK)
            if not rows:
                return
            for held in rows:
                after = held.id
                await self._room.acquire()
                self._took()
                yield held

    def _took(self) -> None:
        self.held += 1
        self.most_held = max(self.most_held, self.held)

    def _freed(self) -> None:
        self.held -= 1
        self._room.release()

    async def close(self) -> None:
        """Write the pending deletions and wait for the writer to stop."""
        self._start_writer()
        if self._writer is not None:
            await asyncio.wait([self._writer])

    async def _write(self, kind: str, key: str, payload: Mapping[str, Any]) -> int | None:
        waiting = self._waiting.get(key)
        if waiting is None:
            arrival = Arrival(self.platform, kind, key, json.dumps(payload), datetime.now(UTC))
            waiting = self._waiting[key] = _Waiting(arrival)
        future: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        waiting.futures.append(future)
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
        while self._waiting or self._finished:
            keys = list(self._waiting)[: self.max_batch]
            batch = [self._waiting.pop(key) for key in keys]
            finished, self._finished = self._finished, []
            try:
                ids = await self.store.commit([w.arrival for w in batch], finished)
            except Exception as error:  # noqa: BLE001 - whatever the store raised, the batch is refused, not lost
                log.warning(
                    "could not write to the inbox (%s): %d requests refused", type(error).__name__, len(batch)
                )
                self._finished.extend(finished)
                for waiting in batch:
                    for future in waiting.futures:
                        if not future.done():
                            future.set_exception(error)
                if not batch:
                    return
                continue
            for waiting in batch:
                first, *others = waiting.futures
                if not first.done():
                    first.set_result(ids.get(waiting.arrival.key))
                for future in others:
                    if not future.done():
                        future.set_result(None)
