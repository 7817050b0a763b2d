"""Benchmark 4: the dashboard at scale: the Members page's server-side time and a CSV export's
rate and memory, on the digest benchmark's community (100,000 members, 5,000,000 contributions).

The page mix is what managers do: every sort both ways, the next pages, filters by level and
status, searches by name (matching a few, many, none) and a jump far down the list.
"""

import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench._common import peak_rss_mb
from bench._digest import END, REF, _community
from bot.database import read_session_factory
from handlers.dashboard import (
    ExportFormat,
    ExportTable,
    MemberQuery,
    MemberSort,
    export_table,
    members_page,
)
from handlers.kernel import Scope, ensure_community
from models import MemberStatus

NEXT_PAGES = 3
SEARCHES = ("ann", "Tanaka", "zoe okafor", "4521", "nobody-is-called-this")


def queries() -> list[MemberQuery]:
    """The mix of first pages measured (next pages follow each one's cursor)."""
    mix = [MemberQuery(sort=sort, descending=down) for sort in MemberSort for down in (True, False)]
    mix += [MemberQuery(level=level) for level in range(5)]
    mix += [MemberQuery(status=MemberStatus.RESTING, sort=MemberSort.LAST_ACTIVE)]
    mix += [MemberQuery(level=3, status=MemberStatus.ACTIVE, sort=MemberSort.ACCEPTED_ANSWERS)]
    mix += [MemberQuery(search=words, sort=MemberSort.NAME, descending=False) for words in SEARCHES]
    mix += [MemberQuery(search=words) for words in SEARCHES[:2]]
    return mix


async def members(work: Path, size: int, contributions: int) -> dict[str, Any]:
    """Server-side time of Members pages: first pages, the pages after them, and a deep page."""
    runtime, engine = await _community(work, size, contributions)
    timings: list[float] = []
    async with read_session_factory(engine)() as session:
        community = await ensure_community(session, REF, runtime.config)
        scope = Scope(session, runtime.config, END, community)
        await members_page(scope, MemberQuery())  # warm the connection and the statement cache
        deep: str | None = None
        for query in queries():
            cursor: str | None = None
            for _ in range(1 + NEXT_PAGES):
                started = time.perf_counter()
                page = await members_page(scope, _at(query, cursor))
                timings.append(time.perf_counter() - started)
                cursor = page.next_cursor
                if cursor is None:
                    break
            deep = deep or cursor
        for _ in range(20 if size > 1000 else 2):  # far down the list: keyset pages cost the same
            started = time.perf_counter()
            page = await members_page(scope, MemberQuery(cursor=deep))
            timings.append(time.perf_counter() - started)
            deep = page.next_cursor or deep
        rows = (await members_page(scope, MemberQuery())).total
    await engine.dispose()
    ordered = sorted(timings)
    return {
        "pages": len(timings),
        "members": rows,
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[max(0, round(len(ordered) * 0.95) - 1)] * 1000,
        "max_ms": ordered[-1] * 1000,
        "rss_mb": peak_rss_mb(),
    }


def _at(query: MemberQuery, cursor: str | None) -> MemberQuery:
    return MemberQuery(query.level, query.status, query.search, query.sort, query.descending, cursor)


async def export(work: Path, size: int, contributions: int) -> dict[str, Any]:
    """Every member as CSV through the export stream (missing sentences included), to nowhere."""
    runtime, engine = await _community(work, size, contributions)
    rows = written = 0
    async with read_session_factory(engine)() as session:
        community = await ensure_community(session, REF, runtime.config)
        scope = Scope(session, runtime.config, END + timedelta(0), community)
        started = time.perf_counter()
        async for chunk in export_table(scope, ExportTable.MEMBERS, ExportFormat.CSV):
            written += len(chunk)
            rows += chunk.count(b"\r\n")
        seconds = time.perf_counter() - started
    await engine.dispose()
    rows -= 1  # the header
    return {
        "rows": rows,
        "mb": written / 1e6,
        "seconds": seconds,
        "rate": rows / seconds,
        "rss_mb": peak_rss_mb(),
    }
