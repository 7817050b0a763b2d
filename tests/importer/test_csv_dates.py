"""DiscordChatExporter CSV dates read back to the instant they were written, in every style."""

from datetime import UTC, datetime, timedelta

import pytest
from exportgen._csv import DATE_STYLES, format_date
from hypothesis import given
from hypothesis import strategies as st

from bot.importer._dates import DateReader

# Hypothesis takes naive bounds and puts the zone on afterwards.
MOMENTS = st.datetimes(min_value=datetime(2015, 5, 13), max_value=datetime(2035, 12, 31)).map(  # noqa: DTZ001
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=UTC)
)


@given(moments=st.lists(MOMENTS, min_size=1, max_size=6), style=st.sampled_from(DATE_STYLES))
def test_a_files_dates_read_back_in_every_style(moments: list[datetime], style: str) -> None:
    """Whatever style a file was written in, every date of it reads back as written (a file is in
    time order; a lone ambiguous date reads as the style's culture would write it)."""
    moments.sort()
    written = [format_date(m, style) for m in moments]
    reader = DateReader(written)
    assert [reader.read(w) for w in written] == moments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05-Jun-18 07:13 AM", datetime(2018, 6, 5, 7, 13, tzinfo=UTC)),
        ("17-Sep-19 11:34 PM (UTC-05:00)", datetime(2019, 9, 18, 4, 34, tzinfo=UTC)),
        ("2019-09-18 04:34:05Z", datetime(2019, 9, 18, 4, 34, 5, tzinfo=UTC)),
        ("2019-09-17 23:34:05.6534", datetime(2019, 9, 17, 23, 34, 5, 653400, tzinfo=UTC)),
        ("2018. 6. 5. 오후 7:13", datetime(2018, 6, 5, 19, 13, tzinfo=UTC)),
        ("2018-06-05 7:13 p.m.", datetime(2018, 6, 5, 19, 13, tzinfo=UTC)),
        ("1568694845653", datetime(2019, 9, 17, 4, 34, 5, 653000, tzinfo=UTC)),
    ],
)
def test_formats_the_exporter_documented(text: str, expected: datetime) -> None:
    """The formats DiscordChatExporter's docs list, and cultures with other AM/PM words."""
    assert DateReader([text]).read(text) == expected


def test_a_file_that_is_in_order_only_one_way_is_read_that_way() -> None:
    """``12/01`` then ``01/02`` is in order only day first; ``01/12`` then ``02/01`` only month first."""
    day_first = DateReader(["12/01/2020 10:00", "01/02/2020 10:00"])
    month_first = DateReader(["01/12/2020 10:00", "02/01/2020 10:00"])
    assert day_first.read("01/02/2020 10:00") - day_first.read("12/01/2020 10:00") == timedelta(days=20)
    assert month_first.read("02/01/2020 10:00") - month_first.read("01/12/2020 10:00") == timedelta(days=20)


def test_an_unreadable_date_names_itself() -> None:
    """A date in no known format fails the file with the value in the reason."""
    with pytest.raises(ValueError, match="yesterday at noon"):
        DateReader(["yesterday at noon"])
