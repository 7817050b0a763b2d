"""The one period type: a half-open span of time, ``[start, end)``, in UTC."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True, slots=True)
class Period:
    """``[start, end)`` in UTC. A scheduled digest's ``end`` is when its schedule fired."""

    start: datetime
    end: datetime

    @property
    def days(self) -> tuple[date, date]:
        """The first and last UTC calendar days the period touches (for ``ActiveDay``)."""
        return self.start.date(), (self.end - timedelta(microseconds=1)).date()
