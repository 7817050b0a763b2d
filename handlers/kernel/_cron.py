"""Crontab schedules, read by croniter with crontab's own rules, in an IANA time zone.

croniter does the arithmetic (weekday numbers 0 and 7 = Sunday, names, ranges, lists and steps,
day-of-month OR day-of-week as crontab has it, daylight-saving changes). What is written here is
only the wording of a refusal: each field is checked alone so a manager is told which field is
wrong and why, and crontab's own limits that croniter relaxes (five fields exactly, ranges that
run upwards) are kept.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import CroniterBadDateError, croniter

FIELDS = ("minute", "hour", "day", "month", "weekday")
RANGES = {"minute": (0, 59), "hour": (0, 23), "day": (1, 31), "month": (1, 12), "weekday": (0, 7)}
_NAMES = {
    "weekday": ("sun", "mon", "tue", "wed", "thu", "fri", "sat"),
    "month": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
}
_SECOND = timedelta(seconds=1)
_SEARCH_YEARS = 5


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """A valid five-field crontab in a time zone; every time it gives is tz-aware UTC."""

    expression: str
    timezone: str

    def next_after(self, moment: datetime) -> datetime:
        """The first firing strictly after ``moment``."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        return _utc(croniter(self.expression, local).get_next(datetime))

    def first_at_or_after(self, moment: datetime) -> datetime:
        """The first firing at ``moment`` or later (a firing is a whole minute)."""
        return (
            self.next_after(moment - _SECOND)
            if moment.second == 0 == moment.microsecond
            else (self.next_after(moment))
        )

    def last_at_or_before(self, moment: datetime) -> datetime | None:
        """The latest firing at or before ``moment`` (None if none in five years)."""
        firings = croniter(self.expression, moment.astimezone(ZoneInfo(self.timezone)) + _SECOND)
        try:
            fired = _utc(firings.get_prev(datetime))
            while fired > moment:  # croniter starts from the whole second: step back past it
                fired = _utc(firings.get_prev(datetime))
        except CroniterBadDateError:
            return None
        return fired if moment - fired <= timedelta(days=366 * _SEARCH_YEARS) else None


def cron_schedule(expression: str, timezone: str) -> CronSchedule:
    """A schedule for a five-field crontab; ValueError says which field is wrong and why."""
    problem = cron_problem(expression)
    if problem is not None:
        raise ValueError(problem)
    ZoneInfo(timezone)
    return CronSchedule(expression, timezone)


def cron_problem(expression: str) -> str | None:
    """Why a five-field crontab cannot be used, naming the field; None when it can."""
    fields = expression.split()
    if len(fields) != len(FIELDS):
        return f"a cron has five fields (minute hour day month weekday), got {expression!r}"
    for index, (name, value) in enumerate(zip(FIELDS, fields, strict=True)):
        problem = _field_problem(name, value, index)
        if problem is not None:
            return problem
    return None


def fires_more_than_daily(expression: str) -> bool:
    """Say whether a valid crontab can fire twice within 24 hours.

    The day fields only choose days; within a firing day, the minute and hour fields choose the
    times. So the first two firings after a midnight (in UTC, where no day is short) are on one
    day exactly when the schedule fires more than once a day.
    """
    schedule = cron_schedule(expression, "UTC")
    first = schedule.next_after(datetime(2001, 1, 1, tzinfo=UTC) - _SECOND)
    return schedule.next_after(first) - first < timedelta(hours=24)


def _field_problem(name: str, value: str, index: int) -> str | None:
    """One field checked alone (the others ``*``), worded for a person."""
    for term in value.lower().split(","):
        body, _, step = term.partition("/")
        if _ and not (step.isdigit() and int(step) > 0):
            return f"{name} step {term!r} must be a whole number above 0"
        first, dash, last = body.partition("-")
        low, high = _number(name, first), _number(name, last)
        if dash and low is not None and high is not None and high < low:
            unit = "day" if name == "weekday" else name
            return f"{name} range {term!r} must run from the earlier {unit} to the later"
    probe = ["*"] * len(FIELDS)
    probe[index] = value
    if croniter.is_valid(" ".join(probe)):
        return None
    if name == "weekday":
        return f"weekday {value!r} is not valid: use 0-7 (0 and 7 are Sunday) or sun-sat"
    smallest, largest = RANGES[name]
    return (
        f"{name} {value!r}: use numbers (or *, ranges, lists and steps) between the minimum value "
        f"({smallest}) and the maximum value ({largest})"
    )


def _number(name: str, text: str) -> int | None:
    """A field value as a number (weekday and month names too), or None."""
    if text.isdigit():
        return int(text)
    names = _NAMES.get(name, ())
    if text in names:
        return names.index(text) + (1 if name == "month" else 0)
    return None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
