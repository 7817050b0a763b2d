"""The live path's batcher: platform events reach the service in batches, not one by one.

It commits in groups: an event submitted while the writer is idle is written at once (its batch
is whatever arrived in the same turn of the event loop); events that arrive while a batch is
being written wait and form the next batch, one transaction for all of them. So a quiet
community pays no delay and a busy one pays one transaction per batch instead of one per event,
and no event waits longer than one write behind the batch before it (well under 100 ms).

An adapter either ``add``s an event and moves on, awaits :meth:`Batcher.submit`, which returns
once the batch holding the event is committed, or ``enqueue``s events in a fixed order and
awaits each one's commit later. Keys seen recently are remembered, so a redelivered event never
reaches the database twice. If a batch fails, its events are retried one by one, so one bad
event fails only its own submitter. If the database itself is unreachable, nothing is dropped:
the batch goes back to the head of the queue and is retried with growing delays, up to
``max_held`` events. What a platform was told was received does not depend on this memory:
Slack's requests are in the durable inbox (:mod:`bot.inbox`) until processed, and Discord's help
channels are read again after a restart (:mod:`bot.discord._catch_up`).
"""

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from handlers.kernel import Event

log = logging.getLogger(__name__)

Sink = Callable[[Sequence[Event]], Awaitable[None]]
Key = tuple[str, str, str]
Item = tuple[Event, "asyncio.Future[None]"]


def _key(event: Event) -> Key:
    return (event.community.platform, event.community.external_id, event.key)


OUTAGE_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


def is_outage(error: BaseException) -> bool:
    """Say whether an error means "the database is not answering" (worth waiting for)."""
    if isinstance(error, OperationalError | InterfaceError | OSError | TimeoutError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _retrieve(future: "asyncio.Future[None]") -> None:
    """Mark a failure as seen: an ``add``-only caller never awaits it, and it is logged already."""
    if not future.cancelled():
        future.exception()


class Batcher:
    """Group-commits events through one sink (``Ladder.events``)."""

    def __init__(
        self,
        sink: Sink,
        *,
        max_size: int = 500,
        remember: int = 50_000,
        max_held: int = 100_000,
        outage_delays: Sequence[float] = OUTAGE_DELAYS,
    ) -> None:
        self.sink, self.max_size, self.remember = sink, max_size, remember
        self.max_held, self.outage_delays = max_held, tuple(outage_delays)
        self._queue: deque[tuple[Event, asyncio.Future[None]]] = deque()
        self._last: asyncio.Future[None] | None = None
        self._seen: OrderedDict[Key, None] = OrderedDict()
        self._writer: asyncio.Task[None] | None = None

    def add(self, event: Event) -> bool:
        """Queue an event without waiting; return False when its key was already queued or written."""
        return self.enqueue(event) is not None

    async def submit(self, event: Event) -> bool:
        """Queue an event and wait until its batch is committed (False: a key seen before).

        Raises what writing it raised, so the caller can log it or let the platform redeliver.
        """
        written = self.enqueue(event)
        if written is None:
            return False
        await asyncio.shield(written)
        return True

    def enqueue(self, event: Event) -> "asyncio.Future[None] | None":
        """Queue an event now and return the future of its commit (None: a key seen before).

        For a caller that must queue events in a given order but wait for them concurrently.
        """
        return self._enqueue(event)

    async def flush(self) -> None:
        """Wait until everything queued so far is committed (failures were logged by the writer)."""
        last = self._last
        if last is not None and not last.done():
            await asyncio.wait([last])

    async def close(self) -> None:
        """Write what is left; the writer stops by itself once the queue is empty."""
        await self.flush()
        if self._writer is not None:
            await asyncio.wait([self._writer])

    def _enqueue(self, event: Event) -> "asyncio.Future[None] | None":
        key = _key(event)
        if key in self._seen:
            return None
        self._seen[key] = None
        if len(self._seen) > self.remember:
            self._seen.popitem(last=False)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        future.add_done_callback(_retrieve)
        self._queue.append((event, future))
        self._last = future
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._run())
        return future

    async def _run(self) -> None:
        """Write batches until the queue is empty; what arrives meanwhile forms the next batch."""
        await asyncio.sleep(0)
        outages = 0
        while self._queue:
            size = min(len(self._queue), self.max_size)
            batch = [self._queue.popleft() for _ in range(size)]
            try:
                await self.sink([event for event, _ in batch])
            except Exception as error:  # noqa: BLE001 - sorted below: an outage waits, anything else is retried per event
                if is_outage(error):
                    await self._hold(batch, error, outages)
                    outages += 1
                    continue
                if len(batch) == 1:
                    self._failed(batch[0], error)
                    continue
                log.warning("a batch of %d events failed; writing them one by one", len(batch))
                for item in batch:
                    try:
                        await self.sink([item[0]])
                    except Exception as error:  # noqa: BLE001 - one bad event must not sink its batch; logged
                        self._failed(item, error)
                    else:
                        item[1].set_result(None)
            else:
                if outages:
                    log.warning("the database is back: %d held events written", len(batch))
                outages = 0
                for _, future in batch:
                    future.set_result(None)

    async def _hold(
        self, batch: list[tuple[Event, "asyncio.Future[None]"]], error: Exception, outages: int
    ) -> None:
        """Put a batch back at the head of the queue and wait before the next try."""
        self._queue.extendleft(reversed(batch))
        while len(self._queue) > self.max_held:
            self._failed(self._queue.popleft(), error)
        delay = self.outage_delays[min(outages, len(self.outage_delays) - 1)]
        log.warning(
            "database unreachable (%s); holding %d events, next try in %.1f s",
            type(error).__name__,
            len(self._queue),
            delay,
        )
        await asyncio.sleep(delay)

    def _failed(self, item: tuple[Event, "asyncio.Future[None]"], error: Exception) -> None:
        """Forget a failed event's key (so a redelivery is written) and hand its submitter the error."""
        event, future = item
        self._seen.pop(_key(event), None)
        log.error("could not record event %s; it may be redelivered", event.key, exc_info=error)
        future.set_exception(error)
