"""An APScheduler trigger that fires when the core's crontab schedule says (croniter's reading).

APScheduler 3's own ``CronTrigger`` reads weekday numbers its own way (0 = Monday) and joins
day-of-month and day-of-week with AND; the digest's period and its ``fires more than once a day``
check use croniter. Handing APScheduler a trigger built on the same :class:`CronSchedule` makes
the scheduler and the core agree by construction.
"""

from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger

from handlers.kernel import CronSchedule

_TICK = timedelta(microseconds=1)


class CrontabTrigger(BaseTrigger):  # type: ignore[misc]  # APScheduler 3 ships no type hints
    """Fires at each firing of a crontab schedule in its time zone."""

    def __init__(self, schedule: CronSchedule) -> None:
        self.schedule = schedule

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime:
        """The first firing after the previous one (so a missed one is seen, as APScheduler's
        ``CronTrigger`` does), or at/after ``now`` for a new job."""
        start = now if previous_fire_time is None else min(now, previous_fire_time + _TICK)
        return self.schedule.first_at_or_after(start)

    def __str__(self) -> str:
        return f"crontab[{self.schedule.expression!r} in {self.schedule.timezone}]"
