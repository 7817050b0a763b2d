"""Participation health: the digest's figures and their SQL, the words and the chart, the cron
schedule of the digest and its claim/period/post use case, and the managers' digest commands.
"""

from handlers.health._chart import chart_figure, render_chart
from handlers.health._digest import DigestOutcome, latest_period, post_digest, post_latest, schedule_of
from handlers.health._figures import (
    UP_TO_NOW,
    HealthReport,
    absence_factor,
    build_report,
    health_now,
    median,
    stalled_below,
)
from handlers.health._period import Period
from handlers.health._queries import Answerer, shape_at, stalled_conditions
from handlers.health._schedule import digest_channel, digest_schedule
from handlers.health._words import (
    flag_samples,
    format_duration,
    format_share,
    report_markdown,
    report_message,
    report_period,
    report_sections,
)

__all__ = [
    "UP_TO_NOW",
    "Answerer",
    "DigestOutcome",
    "HealthReport",
    "Period",
    "absence_factor",
    "build_report",
    "chart_figure",
    "digest_channel",
    "digest_schedule",
    "flag_samples",
    "format_duration",
    "format_share",
    "health_now",
    "latest_period",
    "median",
    "post_digest",
    "post_latest",
    "render_chart",
    "report_markdown",
    "report_message",
    "report_period",
    "report_sections",
    "schedule_of",
    "shape_at",
    "stalled_below",
    "stalled_conditions",
]
