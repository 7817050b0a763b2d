"""The live objects scheduled jobs reach by key: jobs themselves carry only plain data."""

from dataclasses import dataclass, field

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from handlers.service import Ladder

_live: dict[str, "Live"] = {}


@dataclass
class Live:
    """One running scheduler's service, its APScheduler (while leading) and its digest schedules."""

    ladder: Ladder
    scheduler: AsyncIOScheduler | None = None
    schedules: dict[int, tuple[str, str]] = field(default_factory=dict)


def register(key: str, live: Live) -> None:
    """Make a live service reachable by the jobs that name ``key``."""
    _live[key] = live


def unregister(key: str) -> None:
    """Forget a stopped service (jobs still naming it do nothing)."""
    _live.pop(key, None)


def lookup(key: str) -> Live | None:
    """The live service for a job's key, or None once it has stopped."""
    return _live.get(key)
