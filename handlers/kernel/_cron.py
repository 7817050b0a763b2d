"""Crontab expressions with crontab's own weekday numbers, as APScheduler 3 triggers.

APScheduler 3's ``CronTrigger.from_crontab`` reads weekday numbers its own way (0 = Monday), so
the default ``"0 9 * * 1"`` would fire on Tuesdays. Here the weekday field is read as crontab does
(0 and 7 = Sunday, 1 = Monday … 6 = Saturday, or sun…sat, with ranges, lists and steps) and handed
to APScheduler as day names. One difference remains and is documented: when both day-of-month
and day-of-week are restricted, APScheduler fires only on days matching both.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
FIELD_NAMES = ("minute", "hour", "day", "month", "day_of_week")


def crontab_trigger(expression: str, timezone: str) -> CronTrigger:
    """A trigger for a five-field crontab in an IANA time zone; ValueError says what is wrong."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"a cron has five fields (minute hour day month weekday), got {expression!r}")
    named = dict(zip(FIELD_NAMES, fields, strict=True))
    try:
        named["day_of_week"] = weekdays(named["day_of_week"])
    except ValueError as error:
        raise ValueError(f"weekday: {error}") from None
    for name, value in named.items():
        try:
            CronTrigger(**{name: value})
        except ValueError as error:
            raise ValueError(f"{name.replace('_', ' ')} {value!r}: {error}") from None
    return CronTrigger(**named, timezone=ZoneInfo(timezone))


def fires_more_than_daily(expression: str) -> bool:
    """Say whether a valid crontab can fire twice within 24 hours.

    The day fields only choose days; within a firing day, the minute and hour fields choose the
    times. So the first two firings after a midnight (in UTC, where no day is short) are on one
    day exactly when the schedule fires more than once a day: one comparison, whatever the
    expression's shape (``*/30``, ``8-17``, ``0,30``…).
    """
    trigger = crontab_trigger(expression, "UTC")
    midnight = datetime(2001, 1, 1, tzinfo=UTC)
    first = trigger.get_next_fire_time(None, midnight)
    if first is None:
        return False
    second = trigger.get_next_fire_time(first, first + timedelta(microseconds=1))
    return second is not None and second - first < timedelta(hours=24)


def weekdays(field: str) -> str:
    """Translate a crontab weekday field into APScheduler day names (``"*"`` for every day)."""
    days: set[int] = set()
    for term in field.lower().split(","):
        days.update(_expand(term))
    if len(days) == len(DAY_NAMES):
        return "*"
    return ",".join(DAY_NAMES[d] for d in sorted(days))


def _expand(term: str) -> set[int]:
    body, slash, step_text = term.partition("/")
    if slash and not (step_text.isdigit() and int(step_text) > 0):
        raise ValueError(f"weekday step {term!r} must be a whole number above 0")
    step = int(step_text) if slash else 1
    if body == "*":
        first, last = 0, 6
    elif "-" in body:
        start, _, end = body.partition("-")
        first, last = _day(start, term), _day(end, term)
        if last < first:
            raise ValueError(f"weekday range {term!r} must run from the earlier day to the later")
    else:
        first = _day(body, term)
        last = 7 if slash else first
    return {day % 7 for day in range(first, last + 1, step)}


def _day(text: str, term: str) -> int:
    if text.isdigit() and 0 <= int(text) <= 7:
        return int(text)
    if text in DAY_NAMES:
        return DAY_NAMES.index(text)
    raise ValueError(f"weekday {term!r} is not valid: use 0-7 (0 and 7 are Sunday) or sun-sat")
