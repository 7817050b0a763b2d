"""The Overview: the digest's figures and flags (the very report the digest uses) and the
ladder's shape week by week over the last twelve weeks."""

from aiohttp import web

from bot.web._chart import shape_chart
from bot.web._view import page, scope_of
from handlers.dashboard import overview
from handlers.health import flag_samples, report_period, report_sections

SHAPE_WEEKS = 12


async def overview_page(request: web.Request) -> web.Response:
    """Figures and flags for the last digest period, and twelve weeks of the ladder's shape."""
    async with scope_of(request) as scope:
        found = await overview(scope, SHAPE_WEEKS)
    shape = found.shape
    weeks = [week.ends_at for week in shape.weeks]
    counts = {level: [week.members.get(level, 0) for week in shape.weeks] for level, _ in shape.levels}
    names = dict(shape.levels)
    return page(
        request,
        "overview.html",
        active="overview",
        title="Overview",
        report=found.report,
        ready=found.ready,
        period=report_period(found.report),
        sections=report_sections(found.report, scope.config),
        flag_samples=flag_samples(scope.config),
        chart=shape_chart(weeks, counts, names),
        counts=counts,
        totals=[week.total for week in shape.weeks],
        weeks=weeks,
        names=names,
    )
