"""The live batcher: group commit (idle → at once, busy → next batch), awaitable, each key once."""

import asyncio
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import OperationalError

from bot.batcher import Batcher
from handlers.kernel import Actor, CommunityRef, Event, EventKind

COMMUNITY = CommunityRef("slack", "T1")


def _event(key: str) -> Event:
    return Event(EventKind.MESSAGE, COMMUNITY, Actor("U1"), datetime.now(UTC), key, "C1", key)


class Sink:
    """Records each batch written and when; optionally slow, or failing on one key."""

    def __init__(self, delay: float = 0.0, bad: str | None = None) -> None:
        self.batches: list[tuple[float, list[str]]] = []
        self.written = asyncio.Event()
        self.delay, self.bad = delay, bad

    async def __call__(self, events: Sequence[Event]) -> None:
        """Write a batch as the core would (slowly, or failing on a bad key)."""
        keys = [e.key for e in events]
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.bad in keys:
            raise ValueError(f"cannot write {self.bad}")
        self.batches.append((time.perf_counter(), keys))
        self.written.set()


async def test_an_event_on_an_idle_batcher_is_written_at_once() -> None:
    """Events added in the same turn go out together, right away (well within 100 ms)."""
    sink = Sink()
    batcher = Batcher(sink)
    started = time.perf_counter()
    batcher.add(_event("a"))
    batcher.add(_event("b"))
    await asyncio.wait_for(sink.written.wait(), 1)
    assert sink.batches[0][1] == ["a", "b"]
    assert sink.batches[0][0] - started < 0.1
    await batcher.close()


async def test_events_arriving_during_a_write_form_the_next_batch() -> None:
    """While one batch is written, later events wait and are committed together in one more."""
    sink = Sink(delay=0.03)
    batcher = Batcher(sink)
    first = asyncio.create_task(batcher.submit(_event("a")))
    await asyncio.sleep(0.01)
    rest = [asyncio.create_task(batcher.submit(_event(k))) for k in "bcd"]
    assert await first is True
    assert all(await asyncio.gather(*rest))
    assert [keys for _, keys in sink.batches] == [["a"], ["b", "c", "d"]]


async def test_submit_returns_after_the_commit_and_flush_waits_for_all() -> None:
    """``await submit()`` returns only once its event is written; ``flush()`` once all are."""
    sink = Sink(delay=0.01)
    batcher = Batcher(sink)
    await batcher.submit(_event("a"))
    assert [keys for _, keys in sink.batches] == [["a"]]
    batcher.add(_event("b"))
    await batcher.flush()
    assert [keys for _, keys in sink.batches] == [["a"], ["b"]]


async def test_a_redelivered_key_is_written_once() -> None:
    """The same key added twice (a platform retry) reaches the sink once."""
    sink = Sink()
    batcher = Batcher(sink)
    assert batcher.add(_event("a")) is True
    assert batcher.add(_event("a")) is False
    await batcher.flush()
    assert await batcher.submit(_event("a")) is False
    await batcher.close()
    assert [keys for _, keys in sink.batches] == [["a"]]


async def test_one_bad_event_fails_only_its_own_submitter() -> None:
    """A failing batch is retried event by event: the others commit, the bad one raises and
    can be redelivered."""
    sink = Sink(bad="b")
    batcher = Batcher(sink)
    results = await asyncio.gather(*(batcher.submit(_event(k)) for k in "abc"), return_exceptions=True)
    assert results[0] is True and results[2] is True
    assert isinstance(results[1], ValueError)
    assert sorted(k for _, keys in sink.batches for k in keys) == ["a", "c"]
    sink.bad = None
    assert await batcher.submit(_event("b")) is True


async def test_a_large_backlog_is_split_into_batches_of_max_size() -> None:
    """No batch exceeds ``max_size`` events."""
    sink = Sink()
    batcher = Batcher(sink, max_size=2)
    for k in "abcde":
        batcher.add(_event(k))
    await batcher.close()
    assert [keys for _, keys in sink.batches] == [["a", "b"], ["c", "d"], ["e"]]


class FlakyDatabase(Sink):
    """A sink whose database is unreachable for the first ``down`` writes."""

    def __init__(self, down: int) -> None:
        super().__init__()
        self.down = down

    async def __call__(self, events: Sequence[Event]) -> None:
        """Fail while the database is down, then write."""
        if self.down:
            self.down -= 1
            raise OperationalError("INSERT …", {}, ConnectionRefusedError("connection refused"))
        await super().__call__(events)


async def test_acknowledged_events_survive_a_database_outage() -> None:
    """While the database is down nothing is dropped: the batch is held and written once it is back."""
    sink = FlakyDatabase(down=3)
    batcher = Batcher(sink, outage_delays=(0.01,))
    submitted = [asyncio.ensure_future(batcher.submit(_event(k))) for k in "abc"]
    batcher.add(_event("d"))
    assert await asyncio.wait_for(asyncio.gather(*submitted), 5) == [True, True, True]
    await batcher.close()
    assert sorted(k for _, keys in sink.batches for k in keys) == ["a", "b", "c", "d"]


async def test_held_events_are_bounded() -> None:
    """Past ``max_held`` the oldest held events are given up (logged), not memory without end."""
    sink = FlakyDatabase(down=1)
    batcher = Batcher(sink, max_size=5, max_held=2, outage_delays=(0.01,))
    results = await asyncio.gather(*(batcher.submit(_event(k)) for k in "abcd"), return_exceptions=True)
    await batcher.close()
    written = sorted(k for _, keys in sink.batches for k in keys)
    assert len(written) == 2 and sum(isinstance(r, OperationalError) for r in results) == 2


@pytest.fixture(autouse=True)
def _quiet(caplog: pytest.LogCaptureFixture) -> None:
    """The failure test logs an error on purpose."""
    caplog.set_level("CRITICAL", logger="bot.batcher")
