"""The digest as a chart, a chat message and a Markdown document."""

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import matplotlib.image
import pytest
from matplotlib.patches import Rectangle

from handlers.health import (
    HealthReport,
    chart_figure,
    format_duration,
    format_share,
    render_chart,
    report_markdown,
    report_message,
)
from handlers.kernel import LadderConfig, Visibility

NAMES = [rule.name for rule in LadderConfig().levels]
END = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)

REPORT = HealthReport(
    community_name="Gardeners",
    period_start=END - timedelta(days=7),
    period_end=END,
    shape_now={0: 40, 1: 12, 2: 6, 3: 3, 4: 1, 5: 1},
    shape_before={0: 35, 1: 10, 2: 7, 3: 2, 4: 1, 5: 1},
    shape_before_at=END - timedelta(weeks=4),
    promotions={1: 4, 2: 1, 3: 1, 4: 0, 5: 0},
    newcomer_cohort=10,
    newcomers_reached_level_1=4,
    newcomer_share=0.4,
    stalled=3,
    questions_asked=20,
    questions_deflected=2,
    questions_solved=5,
    questions_answered=16,
    median_first_response=timedelta(hours=2, minutes=5),
    questions_timed=20,
    answered_in_target_share=0.25,
    first_tier_share=0.75,
    escalated_to_top=1,
    unanswered=2,
    answers=24,
    answerers=5,
    absence_factor=2,
    top_tier_answers=6,
    top_tier_newcomer_share=1 / 6,
    calls_opened=2,
    calls_filled=1,
    median_time_to_fill=timedelta(days=1, hours=3),
    calls_waitlisted=3,
    calls_unfilled=0,
    call_fill_rate=1.0,
    flags=("First answers are slow: median 2 h 5 min, target 30 min.", "3 questions wait."),
    cohort_start=END - timedelta(days=14 + 28),
    cohort_end=END - timedelta(days=14),
)

EMPTY = replace(
    REPORT,
    shape_now=dict.fromkeys(range(6), 0),
    shape_before=dict.fromkeys(range(6), 0),
    promotions=dict.fromkeys(range(1, 6), 0),
    newcomer_cohort=0,
    newcomers_reached_level_1=0,
    newcomer_share=None,
    median_first_response=None,
    answered_in_target_share=None,
    median_time_to_fill=None,
    flags=(),
)


@pytest.mark.parametrize(
    ("duration", "said"),
    [
        (None, "n/a"),
        (timedelta(seconds=20), "< 1 min"),
        (timedelta(minutes=45), "45 min"),
        (timedelta(minutes=44, seconds=40), "45 min"),
        (timedelta(hours=2), "2 h"),
        (timedelta(hours=2, minutes=5), "2 h 5 min"),
        (timedelta(days=1, hours=3, minutes=10), "1 d 3 h"),
        (timedelta(days=2), "2 d"),
    ],
)
def test_durations_read_as_people_say_them(duration: timedelta | None, said: str) -> None:
    """Minutes, hours and days, rounded to what a reader needs; missing ones are "n/a"."""
    assert format_duration(duration) == said


def test_shares_are_whole_percentages() -> None:
    """Shares read as whole percentages; nothing to divide reads "n/a"."""
    assert [format_share(s) for s in (0.375, 1 / 3, 1.0, 0.0, None)] == [
        "38%",
        "33%",
        "100%",
        "0%",
        "n/a",
    ]


def test_the_chart_is_a_png_of_a_fixed_size() -> None:
    """Busy or empty, the chart decodes as a 1000 × 450 PNG."""
    for report in (REPORT, EMPTY):
        png = render_chart(report, NAMES)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert matplotlib.image.imread(io.BytesIO(png), format="png").shape == (450, 1000, 4)


def test_the_chart_is_deterministic_and_keeps_no_figure_around() -> None:
    """The same report draws the same bytes, and pyplot never learns of the figure."""
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    assert render_chart(REPORT, NAMES) == render_chart(REPORT, NAMES)
    assert plt.get_fignums() == before


def test_the_chart_differs_when_the_ladder_changes() -> None:
    """The chart draws the figures: other numbers, other pixels."""
    other = replace(REPORT, shape_now={**REPORT.shape_now, 0: 80})
    assert render_chart(other, NAMES) != render_chart(REPORT, NAMES)


def test_the_period_is_shown_in_the_community_time_zone() -> None:
    """A community on Paris time reads its digest period in Paris time."""
    message = report_message(replace(REPORT, timezone="Europe/Paris"), LadderConfig())
    assert message.text.startswith("Period: Mon 03 Mar 2025 10:00 to Mon 10 Mar 2025 10:00 (Europe/Paris)")


def test_the_message_is_private_with_sections_flags_and_the_chart() -> None:
    """A manager sees the flags first, one field per section, and the chart with alt text."""
    message = report_message(REPORT, LadderConfig())
    assert message.visibility is Visibility.PRIVATE
    assert message.title == "Ladder health: Gardeners"
    assert message.text == (
        "Period: Mon 03 Mar 2025 09:00 to Mon 10 Mar 2025 09:00 (UTC)\n"
        "• First answers are slow: median 2 h 5 min, target 30 min.\n"
        "• 3 questions wait.\n"
        "Flags on shares need at least 10 questions, 10 answers or 3 ended calls in the period."
    )
    fields = dict(message.fields)
    assert list(fields) == ["Ladder shape", "Flow", "Stalled", "Questions", "Load", "Calls"]
    assert fields["Ladder shape"].splitlines()[0] == "Steward: 1 now (compared with Mon 10 Feb 2025: 1)"
    assert "Newcomer: 40 now (compared with Mon 10 Feb 2025: 35)" in fields["Ladder shape"]
    assert fields["Flow"] == (
        "Promotions this period: 4 to Participant, 1 to Contributor, 1 to Helper\n"
        "Newcomers (joined 27 Jan to 24 Feb 2025) who reached Participant within 14 days of joining: "
        "4 of 10 (40%)"
    )
    assert "Median time to first response: 2 h 5 min" in fields["Questions"]
    assert "Answered within 30 min: 25%" in fields["Questions"]
    assert "Answered by the first helpers pinged (no escalation): 75%" in fields["Questions"]
    assert "Top tier" not in fields["Load"].splitlines()[0]
    assert (
        "Answers by the top tier (Co-creators and Stewards) that went to Newcomers: 17% (of 6)"
        in (fields["Load"])
    )
    assert "Filled: 1 (median time to fill: 1 d 3 h)" in fields["Calls"]
    assert message.image is not None
    assert message.image.filename == "ladder-health.png"
    assert message.image.data.startswith(b"\x89PNG")
    assert "Newcomer 40 (35)" in message.image.alt


def test_the_scheduled_digest_can_be_posted_in_the_channel() -> None:
    """The ``visibility`` keyword makes the same message a channel post."""
    assert report_message(REPORT, LadderConfig(), visibility=Visibility.CHANNEL).visibility is (
        Visibility.CHANNEL
    )


def test_an_empty_report_says_n_a_and_no_cohort() -> None:
    """Nothing to measure reads as "n/a" / "nobody joined", and the absence of flags is said."""
    message = report_message(EMPTY, LadderConfig())
    assert "\nNo flags: every figure is within its threshold.\n" in message.text
    fields = dict(message.fields)
    assert "Promotions this period: none" in fields["Flow"]
    assert fields["Flow"].endswith("within 14 days of joining: nobody joined in those days")
    assert "Median time to first response: n/a" in fields["Questions"]


def test_a_community_name_never_pings_anyone() -> None:
    """A name such as "@everyone fans" is shown defused in the title and the document."""
    loud = replace(REPORT, community_name="@everyone fans")
    assert "@everyone" not in report_message(loud, LadderConfig()).title
    assert "@everyone" not in report_markdown(loud, LadderConfig())


def test_the_markdown_digest_has_the_shape_table_sections_flags_and_chart() -> None:
    """The document reads on its own: a table, the sections, the flags and the chart file."""
    text = report_markdown(REPORT, LadderConfig(), chart_filename="week-10.png")
    assert text.startswith("# Ladder health: Gardeners\n")
    assert "## Flags\n\n- First answers are slow: median 2 h 5 min, target 30 min.\n" in text
    assert "| 5 | Steward | 1 | 1 | 0 |" in text
    assert "| 2 | Contributor | 6 | 7 | -1 |" in text
    assert "| 0 | Newcomer | 40 | 35 | +5 |" in text
    assert "|  | **Total** | 63 | 56 | +7 |" in text
    for heading in ("Flow", "Stalled", "Questions", "Load", "Calls"):
        assert f"\n## {heading}\n" in text
    assert "- Still unanswered at the period's end (asked at any time): 2" in text
    assert "- Sign-ups that had to wait on a waitlist (over-subscription avoided): 3" in text
    assert text.rstrip().endswith("(week-10.png)")
    assert "| Level | Name | Now | Mon 10 Feb 2025 | Change |" in text
    assert (
        "![Ladder chart of Gardeners, Mon 03 Mar 2025 09:00 to Mon 10 Mar 2025 09:00 (UTC). "
        "Members per level now (on Mon 10 Feb 2025): Newcomer 40 (35)"
    ) in text


def test_half_of_all_answers_is_said_in_words_about_members_who_answered() -> None:
    """No jargon, and no "helpers" that a reader would confuse with the Helper level: how many
    people gave half of all answers, out of how many members who answered."""
    load = dict(report_message(REPORT, LadderConfig()).fields)["Load"]
    assert load.splitlines()[0] == "2 people gave half of all answers (5 members answered; 24 answers)"
    assert "absence factor" not in load and "helper" not in load.lower()
    one = replace(REPORT, absence_factor=1, answerers=1, answers=1)
    assert dict(report_message(one, LadderConfig()).fields)["Load"].startswith(
        "1 person gave half of all answers (1 member answered; 1 answer)"
    )
    nobody = replace(REPORT, absence_factor=0, answerers=0, answers=0)
    assert dict(report_message(nobody, LadderConfig()).fields)["Load"].startswith(
        "Nobody answered a question this period"
    )


def test_every_figure_outside_the_period_says_its_own_time_frame() -> None:
    """The shape is "compared with <date>", the newcomer cohort names the days its members joined,
    and the unanswered count says it reaches back before the period."""
    fields = dict(report_message(REPORT, LadderConfig()).fields)
    assert all("compared with Mon 10 Feb 2025" in line for line in fields["Ladder shape"].splitlines())
    assert "(joined 27 Jan to 24 Feb 2025)" in fields["Flow"]
    assert "Asked this period: 20" in fields["Questions"]
    assert "(asked at any time)" in fields["Questions"]
    assert "4 weeks ago" not in str(fields)


def test_the_chart_names_the_community_the_period_and_each_panel_s_time_frame() -> None:
    """The chart's title carries the community and the period; each panel says its own frame;
    every level's count is written beside its bar, the smallest included."""
    paris = replace(REPORT, timezone="Europe/Paris", shape_now={**REPORT.shape_now, 1: 224})
    figure = chart_figure(paris, NAMES)
    suptitle = figure.get_suptitle()
    assert suptitle == "Gardeners: ladder health, 03 Mar to 10 Mar 2025 (Europe/Paris)"
    pyramid, flow = figure.axes
    assert pyramid.get_title() == "Members per level\nnow (Mon 10 Mar 2025) and on Mon 10 Feb 2025"
    assert flow.get_title() == "Promotions by level reached\nthis period, 03 Mar to 10 Mar 2025"
    assert pyramid.get_xscale() == "symlog"
    labels = [text.get_text() for text in pyramid.texts]
    assert sorted(labels, key=int) == sorted(
        [str(n) for n in (*paris.shape_now.values(), *paris.shape_before.values())], key=int
    )
    bars = [bar for bar in pyramid.patches if isinstance(bar, Rectangle)]
    widths = [bar.get_width() for bar in bars if bar.get_width() > 0]
    steward_now = pyramid.transData.transform((1, 0))[0] - pyramid.transData.transform((0, 0))[0]
    largest = pyramid.transData.transform((224, 0))[0] - pyramid.transData.transform((0, 0))[0]
    assert min(widths) == 1 and steward_now > largest / 10  # one member: a bar, not a 1/224 sliver
