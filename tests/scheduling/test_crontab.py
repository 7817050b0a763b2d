"""Crontab weekdays mean what crontab says (APScheduler 3 alone would shift them by a day)."""

from datetime import UTC, datetime

import pytest

from bot.digests import last_fire
from handlers.kernel import crontab_trigger, weekdays

SATURDAY = datetime(2026, 1, 3, 12, 0, tzinfo=UTC)


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
    fire = crontab_trigger("0 9 * * 1", "UTC").get_next_fire_time(None, SATURDAY)
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
        crontab_trigger(cron, "UTC")


def test_last_fire_finds_the_latest_firing_for_frequent_and_rare_schedules() -> None:
    """Every minute and once a year both resolve to their most recent firing."""
    assert last_fire(crontab_trigger("* * * * *", "UTC"), SATURDAY) == SATURDAY
    yearly = last_fire(crontab_trigger("0 0 1 1 *", "UTC"), SATURDAY)
    assert yearly == datetime(2026, 1, 1, tzinfo=UTC)
