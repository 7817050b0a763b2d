"""The live batcher: writes within 100 ms, at once before an ack, and each key once."""

import asyncio
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.batcher import Batcher
from handlers.types import Actor, CommunityRef, Event, EventKind

COMMUNITY = CommunityRef("slack", "T1")


def _event(key: str) -> Event:
    return Event(EventKind.MESSAGE, COMMUNITY, Actor("U1"), datetime.now(UTC), key, "C1", key)


class Sink:
    """Records each batch written and when."""

    def __init__(self) -> None:
        self.batches: list[tuple[float, list[str]]] = []
        self.written = asyncio.Event()

    async def __call__(self, events: Sequence[Event]) -> None:
        self.batches.append((time.perf_counter(), [e.key for e in events]))
        self.written.set()


async def test_events_are_written_within_100_ms() -> None:
    """Without any flush, queued events reach the sink in one batch within 100 ms."""
    sink = Sink()
    batcher = Batcher(sink)
    started = time.perf_counter()
    batcher.add(_event("a"))
    batcher.add(_event("b"))
    await asyncio.wait_for(sink.written.wait(), 1)
    assert sink.batches[0][1] == ["a", "b"]
    assert sink.batches[0][0] - started < 0.12
    await batcher.close()


async def test_flush_writes_before_the_ack() -> None:
    """``await flush()`` returns only after the queued event is written."""
    sink = Sink()
    batcher = Batcher(sink, interval=10)
    batcher.add(_event("a"))
    await batcher.flush()
    assert [keys for _, keys in sink.batches] == [["a"]]
    await batcher.close()


async def test_a_redelivered_key_is_written_once() -> None:
    """The same key added twice (a platform retry) reaches the sink once."""
    sink = Sink()
    batcher = Batcher(sink, interval=10)
    assert batcher.add(_event("a")) is True
    assert batcher.add(_event("a")) is False
    await batcher.flush()
    batcher.add(_event("a"))
    await batcher.close()
    assert [keys for _, keys in sink.batches] == [["a"]]
