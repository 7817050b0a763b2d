"""Helpers every benchmark shares: a fresh database, a runtime, peak memory."""

import resource
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.database import create_engine, session_factory, upgrade
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.kernel import LadderConfig, SystemClock


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    On Linux ``VmHWM`` from ``/proc/self/status``: ``getrusage``'s ``ru_maxrss`` survives
    ``fork`` + ``exec``, so a measurement's child process reported its parent's peak (the 1.3 GB
    of generating the 1,000,000-message export) as its own.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def clear_database(db: Path) -> None:
    """Remove a database file with everything SQLite and the inbox keep beside it.

    A benchmark re-run in the same ``--work`` folder otherwise opens a new copy beside the old
    copy's write-ahead log, which SQLite then applies to the wrong file ("database disk image is
    malformed" on every write: the work fails fast and the figures look good), or replays the old
    run's inbox.
    """
    inbox = db.with_name(f"{db.stem}-inbox{db.suffix}")
    for path in (db, inbox):
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def fresh_runtime(db: Path, config: LadderConfig | None = None) -> tuple[Runtime, AsyncEngine]:
    """A migrated SQLite database and the runtime pieces the service needs."""
    url = f"sqlite:///{db}"
    upgrade(url)
    engine = create_engine(url)
    runtime = Runtime(Settings(), config or LadderConfig(), session_factory(engine), url, SystemClock())
    return runtime, engine
