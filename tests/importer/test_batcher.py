"""The live batcher: group commit (idle → at once, busy → next batch), awaitable, each key once."""

import asyncio
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
    """Records each batch written; optionally held at a gate until the test opens it, or failing
    on one key."""

    def __init__(self, *, gated: bool = False, bad: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.written = asyncio.Event()
        self.writing = asyncio.Event()
        self.gate = asyncio.Event()
        if not gated:
            self.gate.set()
        self.bad = bad

    async def __call__(self, events: Sequence[Event]) -> None:
        """Write a batch as the core would (once the gate is open, failing on a bad key)."""
        keys = [e.key for e in events]
        self.writing.set()
        await self.gate.wait()
        if self.bad in keys:
            raise ValueError(f"cannot write {self.bad}")
        self.batches.append(keys)
        self.written.set()


async def turns(count: int = 10) -> None:
    """Let the event loop run a few turns, with no timer involved."""
    for _ in range(count):
        await asyncio.sleep(0)


async def test_an_event_on_an_idle_batcher_is_written_at_once() -> None:
    """Events added in the same turn go out together, right away: within a few turns of the
    event loop, with no timer to wait for."""
    sink = Sink()
    batcher = Batcher(sink)
    batcher.add(_event("a"))
    batcher.add(_event("b"))
    await turns()
    assert sink.batches == [["a", "b"]]
    await batcher.close()


async def test_events_arriving_during_a_write_form_the_next_batch() -> None:
    """While one batch is written, later events wait and are committed together in one more."""
    sink = Sink(gated=True)
    batcher = Batcher(sink)
    first = asyncio.create_task(batcher.submit(_event("a")))
    await asyncio.wait_for(sink.writing.wait(), 5)
    rest = [asyncio.create_task(batcher.submit(_event(k))) for k in "bcd"]
    await turns()
    sink.gate.set()
    assert await first is True
    assert all(await asyncio.gather(*rest))
    assert sink.batches == [["a"], ["b", "c", "d"]]


async def test_submit_returns_after_the_commit_and_flush_waits_for_all() -> None:
    """``await submit()`` returns only once its event is written; ``flush()`` once all are."""
    sink = Sink(gated=True)
    batcher = Batcher(sink)
    submitted = asyncio.create_task(batcher.submit(_event("a")))
    await turns()
    assert not submitted.done() and sink.batches == []
    sink.gate.set()
    await submitted
    assert sink.batches == [["a"]]
    batcher.add(_event("b"))
    await batcher.flush()
    assert sink.batches == [["a"], ["b"]]


async def test_a_redelivered_key_is_written_once() -> None:
    """The same key added twice (a platform retry) reaches the sink once."""
    sink = Sink()
    batcher = Batcher(sink)
    assert batcher.add(_event("a")) is True
    assert batcher.add(_event("a")) is False
    await batcher.flush()
    assert await batcher.submit(_event("a")) is False
    await batcher.close()
    assert sink.batches == [["a"]]


async def test_one_bad_event_fails_only_its_own_submitter() -> None:
    """A failing batch is retried event by event: the others commit, the bad one raises and
    can be redelivered."""
    sink = Sink(bad="b")
    batcher = Batcher(sink)
    results = await asyncio.gather(*(batcher.submit(_event(k)) for k in "abc"), return_exceptions=True)
    assert results[0] is True and results[2] is True
    assert isinstance(results[1], ValueError)
    assert sorted(k for keys in sink.batches for k in keys) == ["a", "c"]
    sink.bad = None
    assert await batcher.submit(_event("b")) is True


async def test_a_large_backlog_is_split_into_batches_of_max_size() -> None:
    """No batch exceeds ``max_size`` events."""
    sink = Sink()
    batcher = Batcher(sink, max_size=2)
    for k in "abcde":
        batcher.add(_event(k))
    await batcher.close()
    assert sink.batches == [["a", "b"], ["c", "d"], ["e"]]


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
    assert sorted(k for keys in sink.batches for k in keys) == ["a", "b", "c", "d"]


async def test_held_events_are_bounded() -> None:
    """Past ``max_held`` the oldest held events are given up (logged), not memory without end."""
    sink = FlakyDatabase(down=1)
    batcher = Batcher(sink, max_size=5, max_held=2, outage_delays=(0.01,))
    results = await asyncio.gather(*(batcher.submit(_event(k)) for k in "abcd"), return_exceptions=True)
    await batcher.close()
    written = sorted(k for keys in sink.batches for k in keys)
    assert len(written) == 2 and sum(isinstance(r, OperationalError) for r in results) == 2


@pytest.fixture(autouse=True)
def _quiet(caplog: pytest.LogCaptureFixture) -> None:
    """The failure test logs an error on purpose."""
    caplog.set_level("CRITICAL", logger="bot.batcher")
