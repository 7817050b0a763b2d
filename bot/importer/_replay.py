"""Replaying decoded export files through the core's write path: large batches, resumable.

Reading and decoding runs one batch ahead in a worker thread while the previous batch is being
written, so the database and the decoder work at the same time. Each batch is one transaction
per community through :func:`handlers.ingest.record_history` (nobody is told anything),
and it stores the resume markers of the files it completes, so an interrupted import resumes
after the last committed file and a re-import skips whole files it has seen.
"""

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.importer._source import FileMark, Unit
from handlers import ingest
from handlers.kernel import Clock, CommunityRef, Event, LadderConfig, Scope, ensure_community
from handlers.ladder import Placement, place_from_history
from handlers.routing import Terms
from models import Community, ImportedFile
from models.queries import insert_new

BATCH = 20_000


@dataclass(slots=True)
class Batch:
    """Events of one or more files, with the resume markers of the files it completes.

    ``keyed`` holds the keys of events from a file split across batches: they keep their
    processed keys (:func:`handlers.ingest.record_history`), since a resume re-reads the parts
    of the file already committed.
    """

    events: list[Event] = field(default_factory=list)
    questions: set[str] = field(default_factory=set)
    markers: list[FileMark] = field(default_factory=list)
    keyed: set[str] = field(default_factory=set)


def batches(units: Iterator[Unit], size: int = BATCH) -> Iterator[Batch]:
    """Group files into batches of at most ``size`` events. A file that fits in one is never
    split, so its events commit with its resume marker; a larger one is split across several."""
    current = Batch()
    for unit in units:
        events = unit.events
        if current.events and len(current.events) + len(events) > size:
            yield current
            current = Batch()
        current.questions |= unit.questions
        if len(events) > size:
            while len(current.events) + len(events) > size:
                room = size - len(current.events)
                part, events = events[:room], events[room:]
                current.events.extend(part)
                current.keyed.update(e.key for e in part)
                yield current
                current = Batch(questions=set(unit.questions))
            current.keyed.update(e.key for e in events)
        current.events.extend(events)
        current.markers.append(unit.marker)
        if len(current.events) >= size:
            yield current
            current = Batch()
    if current.events or current.markers:
        yield current


class Replay:
    """Writes batches for one import and places members from their history at the end."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], config: LadderConfig, clock: Clock
    ) -> None:
        self.sessions, self.config, self.clock = sessions, config, clock
        self.terms = Terms()  # one stemmer and its cache for the whole import
        self.communities: dict[tuple[str, str], Community] = {}
        self.recorded = 0  # events recorded for the first time, over the committed batches

    async def done_markers(self) -> set[FileMark]:
        """Resume markers of the files earlier imports committed."""
        async with self.sessions() as session:
            rows = await session.exec(select(ImportedFile.source, ImportedFile.digest, ImportedFile.name))
            return {FileMark(*row) for row in rows.all()}

    async def run(self, units: Iterator[Unit], on_batch: Callable[[Batch], None], size: int = BATCH) -> None:
        """Write every batch, decoding the next one while the current one is written."""
        source = batches(units, size)
        pending: asyncio.Task[None] | None = None
        written: Batch | None = None
        while True:
            batch = await asyncio.to_thread(next, source, None)
            if pending is not None and written is not None:
                await pending
                on_batch(written)
            if batch is None:
                return
            pending, written = asyncio.create_task(self.write(batch)), batch

    async def write(self, batch: Batch) -> None:
        """One batch: one transaction, every community in it, then its files' markers."""
        groups: dict[tuple[str, str], list[Event]] = {}
        for event in batch.events:
            groups.setdefault((event.community.platform, event.community.external_id), []).append(event)
        recorded = 0
        async with self.sessions() as session, session.begin():
            first: Community | None = None
            for events in groups.values():
                community = await self.community(session, events[0].community)
                first = first or community
                scope = Scope(session, self.config, self.clock.now(), community)
                recorded += await ingest.record_history(
                    scope, events, self.terms, questions=batch.questions, keyed=batch.keyed
                )
            if first is not None and batch.markers:
                at = self.clock.now()
                rows = [{"community_id": first.id, **m._asdict(), "imported_at": at} for m in batch.markers]
                await insert_new(session, ImportedFile, rows, ("community_id", "source", "digest", "name"))
        self.recorded += recorded

    async def community(self, session: AsyncSession, ref: CommunityRef) -> Community:
        """The stored community of an export (created, with its quests, the first time)."""
        key = (ref.platform, ref.external_id)
        if key not in self.communities:
            self.communities[key] = await ensure_community(session, ref, self.config)
        return self.communities[key]

    async def register(self, refs: list[CommunityRef]) -> None:
        """Store the communities an export names up front (a re-import may write no event)."""
        async with self.sessions() as session, session.begin():
            for ref in refs:
                await self.community(session, ref)

    async def place(self) -> dict[tuple[str, str], Placement]:
        """Place every member of each imported community from its history, one transaction each."""
        placements: dict[tuple[str, str], Placement] = {}
        for key, community in self.communities.items():
            async with self.sessions() as session, session.begin():
                scope = Scope(session, self.config, self.clock.now(), community)
                placements[key] = await place_from_history(scope)
        return placements
