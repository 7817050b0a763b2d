"""Crontab schedules mean what crontab says: weekdays, ranges, steps, names, errors per field."""

from datetime import UTC, datetime, timedelta

import pytest

from handlers.kernel import cron_schedule

SATURDAY = datetime(2026, 1, 3, 12, 0, tzinfo=UTC)
DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def weekdays(field: str) -> str:
    """The days a ``0 9 * * <field>`` schedule fires on over one week, as crontab names them
    (``*`` when it fires every day)."""
    schedule = cron_schedule(f"0 9 * * {field}", "UTC")
    fired, moment = set(), SATURDAY
    while moment < SATURDAY + timedelta(days=7):
        moment = schedule.next_after(moment)
        fired.add(int(moment.strftime("%w")))
    days = [DAY_NAMES[day] for day in sorted(fired)]
    return "*" if len(days) == len(DAY_NAMES) else ",".join(days)


@pytest.mark.parametrize(
    ("field", "days"),
    [
        ("1", "mon"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0,6", "sun,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("mon-fri", "mon,tue,wed,thu,fri"),
        ("5-7", "sun,fri,sat"),
        ("*", "*"),
    ],
)
def test_weekday_field_reads_as_crontab(field: str, days: str) -> None:
    """0 and 7 are Sunday, 1 is Monday; ranges, lists, steps and names all work."""
    assert weekdays(field) == days


def test_default_schedule_fires_on_monday_morning() -> None:
    """The default "0 9 * * 1" is Monday 09:00, not Tuesday."""
    fire = cron_schedule("0 9 * * 1", "UTC").first_at_or_after(SATURDAY)
    assert fire is not None
    assert (fire.strftime("%A"), fire.hour) == ("Monday", 9)


@pytest.mark.parametrize(
    ("cron", "problem"),
    [
        ("0 9 * * 8", "weekday '8' is not valid"),
        ("0 9 * * 5-1", "must run from the earlier day to the later"),
        ("0 9 * * */0", "must be a whole number above 0"),
        ("0 9 * *", "a cron has five fields"),
        ("0 25 * * 1", "hour '25': .*maximum value \\(23\\)"),
    ],
)
def test_invalid_cron_says_what_is_wrong(cron: str, problem: str) -> None:
    """A bad expression raises ValueError naming the problem."""
    with pytest.raises(ValueError, match=problem):
        cron_schedule(cron, "UTC")


def test_last_fire_finds_the_latest_firing_for_frequent_and_rare_schedules() -> None:
    """Every minute and once a year both resolve to their most recent firing."""
    assert cron_schedule("* * * * *", "UTC").last_at_or_before(SATURDAY) == SATURDAY
    yearly = cron_schedule("0 0 1 1 *", "UTC").last_at_or_before(SATURDAY)
    assert yearly == datetime(2026, 1, 1, tzinfo=UTC)


def test_day_of_month_and_weekday_together_fire_on_either_as_crontab_does() -> None:
    """A day of the month with a weekday ("0 9 13 * 5") fires on either, as crontab does
    (APScheduler 3 alone fired only on Fridays the 13th)."""
    schedule = cron_schedule("0 9 13 * 5", "UTC")
    fired = schedule.first_at_or_after(datetime(2026, 1, 10, tzinfo=UTC))
    assert fired == datetime(2026, 1, 13, 9, 0, tzinfo=UTC)
