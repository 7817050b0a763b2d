"""Benchmark 1: replaying an export, against only decoding it and against a naive ORM path."""

import time
from pathlib import Path

from sqlmodel import select

from bench._common import clear_database, fresh_runtime, peak_rss_mb
from bot.importer import import_history
from bot.importer._slack import SlackExport
from bot.importer._source import ExportFiles, Skipped
from handlers.kernel import Event, EventKind, ensure_community
from models import ActiveDay, Member, ProcessedEvent


def decode(export: Path) -> dict[str, float]:
    """Read and decode every file (the importer's front end, no writes)."""
    started = time.perf_counter()
    files = ExportFiles(export)
    events = sum(len(u.events) for u in SlackExport(files, Skipped()).units(set()))
    seconds = time.perf_counter() - started
    return {"events": events, "seconds": seconds, "rate": events / seconds, "rss_mb": peak_rss_mb()}


async def replay(export: Path, work: Path) -> dict[str, float]:
    """The real import: decode, write in batches, evaluate levels, summarise."""
    clear_database(work / "replay.db")
    runtime, engine = fresh_runtime(work / "replay.db")
    started = time.perf_counter()
    summaries = await import_history(runtime, "slack", export)
    seconds = time.perf_counter() - started
    await engine.dispose()
    events = summaries[0].events
    return {
        "events": events,
        "seconds": seconds,
        "rate": events / seconds,
        "rss_mb": peak_rss_mb(),
        "questions": summaries[0].questions,
        "members": summaries[0].members,
    }


async def naive(export: Path, work: Path, sample: int) -> dict[str, float]:
    """Each event in its own transaction through ORM objects (measured on a sample)."""
    events: list[Event] = []
    for unit in SlackExport(ExportFiles(export), Skipped()).units(set()):
        events.extend(unit.events)
        if len(events) >= sample:
            break
    events = events[:sample]
    clear_database(work / "naive.db")
    runtime, engine = fresh_runtime(work / "naive.db")
    async with runtime.sessions() as session, session.begin():
        community = await ensure_community(session, events[0].community, runtime.config)
    assert community.id is not None
    started = time.perf_counter()
    for event in events:
        async with runtime.sessions() as session, session.begin():
            if await session.get(ProcessedEvent, (community.id, event.key)) is not None:
                continue
            session.add(ProcessedEvent(community_id=community.id, event_key=event.key))
            member = (
                await session.exec(
                    select(Member).where(
                        Member.community_id == community.id,
                        Member.external_id == event.actor.external_id,
                    )
                )
            ).first()
            if member is None:
                member = Member(
                    community_id=community.id,
                    platform=community.platform,
                    external_id=event.actor.external_id,
                    display_name=event.actor.display_name,
                    joined_at=event.at,
                    level_since=event.at,
                )
                session.add(member)
                await session.flush()
            assert member.id is not None
            if event.kind is not EventKind.MEMBER_JOINED:
                if await session.get(ActiveDay, (member.id, event.at.date())) is None:
                    session.add(ActiveDay(member_id=member.id, day=event.at.date()))
                if member.last_active_at is None or event.at > member.last_active_at:
                    member.last_active_at = event.at
                session.add(member)
    seconds = time.perf_counter() - started
    await engine.dispose()
    return {
        "events": len(events),
        "seconds": seconds,
        "rate": len(events) / seconds,
        "rss_mb": peak_rss_mb(),
    }
