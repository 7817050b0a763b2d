"""``ladder export``: a dashboard table from the shell, streamed to a file or standard output.

The same generator the dashboard's download links stream (``handlers.dashboard.export_table``)
writes here in chunks, so memory stays flat at any size. A file named with ``--out`` appears only
once complete: rows go to ``<out>.part`` first, renamed at the end (a failed export leaves no
half-written file under the name asked for).
"""

import sys
from collections.abc import AsyncIterator
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.database import create_engine, read_session_factory, upgrade
from bot.readiness import check_sqlite_file
from bot.settings import Settings
from handlers.dashboard import ExportFormat, ExportTable, export_table, find_community
from handlers.kernel import Clock, Scope, SystemClock, load_config
from models import Community

KNOWN_SHOWN = 10


class CommunityNotFoundError(Exception):
    """The ``--community`` an operator gave names no community in the database."""


async def run_export(
    settings: Settings,
    table: ExportTable,
    fmt: ExportFormat,
    community: str,
    out: Path | None,
    clock: Clock | None = None,
) -> int:
    """Write one table of one community; return how many bytes were written."""
    config = load_config(settings.ladder_config)
    url = settings.resolved_database_url()
    check_sqlite_file(url)
    upgrade(url)
    engine = create_engine(url)
    try:
        async with read_session_factory(engine)() as session:
            found = await find_community(session, community)
            if found is None:
                raise CommunityNotFoundError(await _not_found(session, community))
            scope = Scope(session, config, (clock or SystemClock()).now(), found)
            if out is None:
                return await _write(export_table(scope, table, fmt), sys.stdout.buffer)
            part = out.with_name(out.name + ".part")
            try:
                with part.open("wb") as target:
                    written = await _write(export_table(scope, table, fmt), target)
                part.replace(out)
            finally:
                with suppress(FileNotFoundError):
                    part.unlink()
            return written
    finally:
        await engine.dispose()


async def _write(chunks: AsyncIterator[bytes], target: BinaryIO) -> int:
    written = 0
    async for chunk in chunks:
        target.write(chunk)
        written += len(chunk)
    target.flush()
    return written


async def _not_found(session: AsyncSession, reference: str) -> str:
    """The refusal, naming the communities there are (an operator rarely knows the ids)."""
    known = (await session.exec(select(Community).order_by(col(Community.id)).limit(KNOWN_SHOWN))).all()
    if not known:
        return f"No community {reference!r}: this database has none yet (run Ladder or an import first)."
    names = ", ".join(f"{c.id} ({c.platform}:{c.external_id})" for c in known)
    return f"No community {reference!r}. Use an id or platform:external_id: {names}."
