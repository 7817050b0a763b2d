"""The Overview: the digest's figures and flags (the very report the digest uses) and the
ladder's shape week by week over the last twelve weeks."""

from datetime import timedelta

from aiohttp import web

from bot.web._chart import shape_chart
from bot.web._guard import viewer
from bot.web._state import DASHBOARD
from bot.web._view import page
from handlers.health import UP_TO_NOW, build_report
from handlers.health_queries import shape_at
from handlers.report import report_period, report_sections
from handlers.scope import Scope

SHAPE_WEEKS = 12


async def overview(request: web.Request) -> web.Response:
    """Figures and flags for the last digest period, and twelve weeks of the ladder's shape."""
    dashboard, who = request.app[DASHBOARD], viewer(request)
    config, now = dashboard.config, dashboard.clock.now()
    weeks = [now - timedelta(weeks=back) for back in range(SHAPE_WEEKS - 1, -1, -1)]
    async with dashboard.sessions() as session:
        scope = Scope(session, config, now, who.community)
        start = now - timedelta(days=config.digest.period_days)
        report = await build_report(scope, start, now + UP_TO_NOW)
        shapes = [await shape_at(session, who.community_id, week + UP_TO_NOW) for week in weeks]
    levels = [rule.number for rule in config.levels]
    counts = {level: [shape.get(level, 0) for shape in shapes] for level in levels}
    names = {rule.number: rule.name for rule in config.levels}
    return page(
        request,
        "overview.html",
        active="overview",
        title="Overview",
        report=report,
        period=report_period(report),
        sections=report_sections(report, config),
        chart=shape_chart(weeks, counts, names),
        counts=counts,
        totals=[sum(shape.get(level, 0) for level in levels) for shape in shapes],
        weeks=weeks,
        names=names,
    )
