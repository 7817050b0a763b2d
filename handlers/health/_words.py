"""The digest in words: a neutral chat message (with the chart) and a Markdown document.

Both read the same :class:`~handlers.health.HealthReport`; flags come first because they are what
a manager should act on. Durations read as people say them ("2 h 5 min"), missing ones as "n/a".
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from handlers.health._chart import render_chart
from handlers.health._dates import local_day, local_span, local_time
from handlers.kernel import Image, LadderConfig, Message, Visibility, defuse, plural

if TYPE_CHECKING:
    from handlers.health._figures import HealthReport

NOT_AVAILABLE = "n/a"
NO_FLAGS = "No flags: every figure is within its threshold."


def format_duration(value: timedelta | None) -> str:
    """Say a duration humanely: "45 min", "2 h 5 min", "3 d 4 h", "< 1 min", or "n/a"."""
    if value is None:
        return NOT_AVAILABLE
    if value < timedelta(minutes=1):
        return "< 1 min"
    minutes = round(value.total_seconds() / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def format_share(value: float | None) -> str:
    """Say a 0–1 share as a whole percentage, or "n/a" when there was nothing to divide."""
    return NOT_AVAILABLE if value is None else f"{round(value * 100)}%"


def flag_samples(config: LadderConfig) -> str:
    """The sentence that says how large a sample a flag needs (shown under the flags)."""
    digest = config.digest
    return (
        f"Flags on shares need at least {plural(digest.flag_min_questions, 'question')}, "
        f"{plural(digest.flag_min_answers, 'answer')} or {plural(digest.flag_min_calls, 'ended call')} "
        "in the period."
    )


def report_message(
    report: "HealthReport",
    config: LadderConfig,
    *,
    visibility: Visibility = Visibility.PRIVATE,
) -> Message:
    """The digest as one chat message with the chart attached (private unless posted)."""
    sections = _sections(report, config)
    png = render_chart(report, [rule.name for rule in config.levels])
    flags = "\n".join(f"• {flag}" for flag in report.flags) or NO_FLAGS
    return Message(
        text=f"{_period(report)}\n{flags}\n{flag_samples(config)}",
        title=f"Ladder health: {defuse(report.community_name)}",
        fields=tuple((title, "\n".join(lines)) for title, lines in sections),
        image=Image("ladder-health.png", png, _alt(report, config)),
        visibility=visibility,
    )


def report_markdown(
    report: "HealthReport", config: LadderConfig, chart_filename: str = "ladder-health.png"
) -> str:
    """The digest as a Markdown document, the chart embedded by its relative file name."""
    lines = [f"# Ladder health: {defuse(report.community_name)}", "", _period(report), ""]
    lines += ["## Flags", ""]
    lines += [f"- {flag}" for flag in report.flags] or [NO_FLAGS]
    lines += ["", flag_samples(config)]
    lines += ["", "## Ladder shape", "", *_shape_table(report, config)]
    for title, section in _sections(report, config)[1:]:
        lines += ["", f"## {title}", "", *(f"- {line}" for line in section)]
    lines += ["", f"![{_alt(report, config)}]({chart_filename})", ""]
    return "\n".join(lines)


def report_sections(report: "HealthReport", config: LadderConfig) -> list[tuple[str, list[str]]]:
    """The digest's figures in words, section by section (the dashboard's Overview shows them)."""
    return _sections(report, config)


def report_period(report: "HealthReport") -> str:
    """The digest's period line, in the community's time zone."""
    return _period(report)


def _sections(report: "HealthReport", config: LadderConfig) -> list[tuple[str, list[str]]]:
    """Every figure in words; a figure outside the period (the shape's comparison, the newcomer
    cohort, what is still unanswered) says its own time frame."""
    digest = config.digest
    target = format_duration(timedelta(minutes=digest.first_response_target_minutes))
    promoted = [f"{count} to {_level(config, level)}" for level, count in report.promotions.items() if count]
    before = _day(report.shape_before_at, report)
    return [
        (
            "Ladder shape",
            [
                f"{_level(config, level)}: {now} now (compared with {before}: "
                f"{report.shape_before.get(level, 0)})"
                for level, now in sorted(report.shape_now.items(), reverse=True)
            ],
        ),
        (
            "Flow",
            [
                f"Promotions this period: {', '.join(promoted) or 'none'}",
                _cohort(report, config),
            ],
        ),
        (
            "Stalled",
            [
                f"Members active this period who have not advanced in "
                f"{plural(digest.stalled_weeks, 'week')} and have no quest in progress: {report.stalled}"
            ],
        ),
        (
            "Questions",
            [
                f"Asked this period: {report.questions_asked} (taken care of by an earlier answer: "
                f"{report.questions_deflected})",
                f"Solved (an answer acknowledged by a mark, a reaction or thanks): {report.questions_solved}",
                f"Median time to first response: {format_duration(report.median_first_response)}",
                f"Answered within {target}: {format_share(report.answered_in_target_share)}",
                f"Answered by the first helpers pinged (no escalation): "
                f"{format_share(report.first_tier_share)}",
                f"Escalated all the way to the top tier: {report.escalated_to_top}",
                f"Still unanswered at the period's end (asked at any time): {report.unanswered}",
            ],
        ),
        (
            "Load",
            [
                _half_of_answers(report),
                f"Answers by the top tier ({_top_tier(config)}) that went to "
                f"{_level(config, 0)}s: {format_share(report.top_tier_newcomer_share)} "
                f"(of {report.top_tier_answers})",
            ],
        ),
        (
            "Calls",
            [
                f"Opened: {report.calls_opened}",
                f"Filled: {report.calls_filled} "
                f"(median time to fill: {format_duration(report.median_time_to_fill)})",
                f"Sign-ups that had to wait on a waitlist (over-subscription avoided): "
                f"{report.calls_waitlisted}",
                f"Closed unfilled: {report.calls_unfilled}",
            ],
        ),
    ]


def _cohort(report: "HealthReport", config: LadderConfig) -> str:
    """The newcomer cohort's line, with the days its members joined (not the period's)."""
    window = plural(config.digest.newcomer_window_days, "day")
    joined = (
        f" (joined {local_span(report.cohort_start, report.cohort_end, report.timezone)})"
        if report.cohort_start is not None and report.cohort_end is not None
        else ""
    )
    reached = (
        f"{report.newcomers_reached_level_1} of {report.newcomer_cohort} "
        f"({format_share(report.newcomer_share)})"
        if report.newcomer_cohort
        else "nobody joined in those days"
    )
    return f"Newcomers{joined} who reached {_level(config, 1)} within {window} of joining: {reached}"


def _half_of_answers(report: "HealthReport") -> str:
    """How few people gave half of all answers (CHAOSS's contributor absence factor), in words."""
    if not report.answers:
        return "Nobody answered a question this period"
    people = plural(report.absence_factor, "person", "people")
    return (
        f"{people} gave half of all answers ({plural(report.answerers, 'member')} answered; "
        f"{plural(report.answers, 'answer')})"
    )


def _top_tier(config: LadderConfig) -> str:
    """The top tier's level names: from the first level a manager grants to the top."""
    from handlers.health._figures import top_tier_floor  # _figures imports this module: import when used

    return " and ".join(f"{rule.name}s" for rule in config.levels if rule.number >= top_tier_floor(config))


def _shape_table(report: "HealthReport", config: LadderConfig) -> list[str]:
    before_at = _day(report.shape_before_at, report)
    rows = [f"| Level | Name | Now | {before_at} | Change |", "| ---: | --- | ---: | ---: | ---: |"]
    for level, now in sorted(report.shape_now.items(), reverse=True):
        before = report.shape_before.get(level, 0)
        rows.append(f"| {level} | {_level(config, level)} | {now} | {before} | {_change(now, before)} |")
    now_total, before_total = sum(report.shape_now.values()), sum(report.shape_before.values())
    rows.append(f"|  | **Total** | {now_total} | {before_total} | {_change(now_total, before_total)} |")
    return rows


def _change(now: int, before: int) -> str:
    return f"{now - before:+d}" if now != before else "0"


def _alt(report: "HealthReport", config: LadderConfig) -> str:
    shape = ", ".join(
        f"{_level(config, level)} {count} ({report.shape_before.get(level, 0)})"
        for level, count in sorted(report.shape_now.items())
    )
    flow = ", ".join(f"{_level(config, lv)} {n}" for lv, n in report.promotions.items())
    return (
        f"Ladder chart of {defuse(report.community_name)}, {_span(report)}. Members per level now "
        f"(on {_day(report.shape_before_at, report)}): {shape}. "
        f"Promotions this period: {flow or 'none'}."
    )


def _period(report: "HealthReport") -> str:
    """The period line, in the community's own time zone (the one its digest schedule uses)."""
    return f"Period: {_span(report)}"


def _span(report: "HealthReport") -> str:
    """The period's start and end to the minute, and the time zone they are in."""
    start = local_time(report.period_start, report.timezone)
    end = local_time(report.period_end, report.timezone)
    return f"{start} to {end} ({report.timezone})"


def _day(moment: datetime | None, report: "HealthReport") -> str:
    """A date in the community's time zone, as in "Mon 02 Mar 2026"."""
    return NOT_AVAILABLE if moment is None else local_day(moment, report.timezone)


def _level(config: LadderConfig, level: int) -> str:
    return config.level_name(level) if 0 <= level <= config.top_level else f"Level {level}"
