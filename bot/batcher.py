"""The live path's batcher: platform events go to the service in batches, not one by one.

Adapters ``add`` events as they arrive; the batcher hands them to ``ladder.events`` at least every
``interval`` (100 ms), sooner when ``max_size`` events are waiting, and at once when an adapter
awaits :meth:`Batcher.flush` before acknowledging a platform that waits for its answer. Keys seen
recently are remembered, so a redelivered event never reaches the database twice.
"""

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence

from handlers.types import Event

log = logging.getLogger(__name__)

Sink = Callable[[Sequence[Event]], Awaitable[None]]


class Batcher:
    """Collects events and writes them in batches through one sink (``Ladder.events``)."""

    def __init__(
        self, sink: Sink, *, interval: float = 0.1, max_size: int = 500, remember: int = 50_000
    ) -> None:
        self.sink, self.interval, self.max_size, self.remember = sink, interval, max_size, remember
        self._pending: list[Event] = []
        self._seen: OrderedDict[tuple[str, str, str], None] = OrderedDict()
        self._lock = asyncio.Lock()
        self._waiting = asyncio.Event()
        self._full = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def add(self, event: Event) -> bool:
        """Queue an event; return False when its key was already queued or written."""
        key = (event.community.platform, event.community.external_id, event.key)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self.remember:
            self._seen.popitem(last=False)
        self._pending.append(event)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._waiting.set()
        if len(self._pending) >= self.max_size:
            self._full.set()
        return True

    async def flush(self) -> None:
        """Write everything queued so far (an adapter awaits this before acknowledging)."""
        async with self._lock:
            batch, self._pending = self._pending, []
            self._waiting.clear()
            self._full.clear()
            if not batch:
                return
            try:
                await self.sink(batch)
            except Exception:
                log.exception("could not record %d events; they may be redelivered", len(batch))
                for event in batch:
                    key = (event.community.platform, event.community.external_id, event.key)
                    self._seen.pop(key, None)
                raise

    async def _run(self) -> None:
        """Flush at most ``interval`` after the first waiting event, or when the batch is full."""
        while True:
            await self._waiting.wait()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._full.wait(), self.interval)
            with contextlib.suppress(Exception):
                await self.flush()

    async def close(self) -> None:
        """Write what is left and stop the background flusher."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()
