"""Dates and times of the digest in the community's own time zone (the one its schedule uses).

The words (:mod:`handlers.report`) and the chart (:mod:`handlers.chart`) both say the period and
the other time frames; they read the dates from here so the two always agree.
"""

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str) -> tzinfo:
    """The named time zone, or UTC when the name is unknown (a digest must still go out)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_time(moment: datetime, timezone: str) -> str:
    """A moment to the minute, as in "Mon 02 Mar 2026 09:00"."""
    return f"{moment.astimezone(zone(timezone)):%a %d %b %Y %H:%M}"


def local_day(moment: datetime, timezone: str) -> str:
    """A day, as in "Mon 02 Mar 2026"."""
    return f"{moment.astimezone(zone(timezone)):%a %d %b %Y}"


def local_span(start: datetime, end: datetime, timezone: str) -> str:
    """A half-open span by its days, as in "23 Mar to 30 Mar 2026"."""
    first, last = start.astimezone(zone(timezone)), end.astimezone(zone(timezone))
    year = "" if first.year == last.year else f" {first.year}"
    return f"{first:%d %b}{year} to {last:%d %b %Y}"
