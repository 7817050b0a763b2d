"""The config's common ground: strict sections, and the checks several sections share.

Every section refuses unknown keys and is frozen; a level a section names is checked against the
ladder being loaded (``parse_config`` passes its top level as validation context).
"""

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from handlers.kernel._cron import cron_problem, fires_more_than_daily

UNKNOWN_TIMEZONE = "unknown time zone {name} (use an IANA name such as Europe/Paris)"
TOP_LEVEL = "top_level"
NO_SUCH_LEVEL = "no level {level} in the ladder"
ABOVE_THE_TOP = "higher than the top level"
THRESHOLDS = ("min_points", "min_accepted_answers", "min_days_in_community", "min_active_days", "min_calls")


class Strict(BaseModel):
    """A config section: unknown keys refused, frozen, list entries filled and distinct."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _entries_filled_and_distinct(cls, value: Any) -> Any:
        """Every list of ids, names or numbers, in any section: no empty entry, none twice."""
        if not isinstance(value, tuple):
            return value
        seen: set[object] = set()
        for index, entry in enumerate(value):
            if isinstance(entry, str) and not entry.strip():
                raise ValueError(f"entry {index + 1} is empty")
            if isinstance(entry, str | int):
                if entry in seen:
                    raise ValueError(f"{entry!r} is listed twice")
                seen.add(entry)
        return value


def within_ladder(level: int, info: ValidationInfo, problem: str) -> int:
    """Refuse a level above the top of the ladder being loaded (``parse_config`` passes it)."""
    top = (info.context or {}).get(TOP_LEVEL)
    if top is not None and level > top:
        raise ValueError(problem.format(level=level))
    return level


def cron_problems(cron: str, key: str = "cron") -> list[str]:
    """Return a readable problem for a digest cron that isn't five valid fields, or that would
    post the digest more than once in 24 hours; or none."""
    problem = cron_problem(cron)
    if problem is not None:
        return [f"{key}: {problem}"]
    if fires_more_than_daily(cron):
        return [
            f"{key}: {cron!r} fires more than once a day, and the digest is posted at most once "
            'per 24 hours: give one minute and one hour (like "0 9 * * 1", Mondays 09:00)'
        ]
    return []


def is_timezone(name: str) -> bool:
    """Say whether ``name`` is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def timezone_problems(name: str, key: str = "timezone") -> list[str]:
    """Return a readable problem for an unknown IANA time zone, or none."""
    return [] if is_timezone(name) else [f"{key}: {UNKNOWN_TIMEZONE.format(name=repr(name))}"]
