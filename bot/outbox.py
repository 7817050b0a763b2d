"""Notices of committed batches, sent in the background so the next batch commits meanwhile.

The service commits a batch of events and returns the notices it owes (DMs, replies, role
changes); sending them takes a request per notice, longer than the commit itself. Sent inline,
every batch would wait for the previous one's sends. The outbox sends them in the order their
batches committed, one batch after another, while the batcher goes on committing; the records
never depend on it (a crash loses at most unsent notices, exactly as a crash between a commit and
its sends always could).

It is bounded: :meth:`Outbox.room` waits while more than ``max_held`` notices are queued, so a
platform that sends slower than Ladder commits slows the commits down instead of filling memory.
:meth:`Outbox.drain` waits until everything queued is sent (a shutdown calls it before it closes
the platform's connection, so queued notices go out instead of failing on a closed session), and
:meth:`Outbox.close` stops it: what is still queued, or queued later, is counted in the log, not
sent on a connection that is gone.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Send = Callable[[], Awaitable[None]]
MAX_HELD = 5_000


class Outbox:
    """One background sender: sends queue up in order and run one at a time."""

    def __init__(self, *, max_held: int = MAX_HELD) -> None:
        self.max_held = max_held
        self._queue: deque[tuple[Send, int]] = deque()
        self._held = 0
        self._changed = asyncio.Condition()
        self._sender: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def held(self) -> int:
        """How many notices are queued or being sent."""
        return self._held

    async def room(self) -> None:
        """Wait until the queue is at most ``max_held`` notices (call it before committing more)."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._held <= self.max_held)

    def put(self, send: Send, notices: int) -> None:
        """Queue one committed batch's send of ``notices`` notices, after every send queued before."""
        if notices == 0:
            return
        if self._closed:
            log.warning("closed: %d notices of a batch committed while closing are not sent", notices)
            return
        self._queue.append((send, notices))
        self._held += notices
        if self._sender is None or self._sender.done():
            self._sender = asyncio.get_running_loop().create_task(self._run())

    async def drain(self) -> None:
        """Wait until nothing is queued or being sent."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._held == 0)

    async def close(self) -> int:
        """Stop sending (the connection is closing); return how many notices are left unsent.

        What is still queued, or queued from now on, is counted in the log instead of being sent
        on a closed connection.
        """
        self._closed = True
        left = self._held
        if self._sender is not None:
            self._sender.cancel()
            await asyncio.gather(self._sender, return_exceptions=True)
        self._queue.clear()
        async with self._changed:
            self._held = 0
            self._changed.notify_all()
        if left:
            log.warning("closing with %d notices unsent", left)
        return left

    async def _run(self) -> None:
        """Run the queued sends in order until none is left."""
        while self._queue:
            send, notices = self._queue[0]
            try:
                await send()
            except Exception:
                log.exception("sending %d notices failed", notices)
            self._queue.popleft()
            async with self._changed:
                self._held -= notices
                self._changed.notify_all()
