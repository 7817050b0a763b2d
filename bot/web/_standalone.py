"""``ladder demo --serve``: the dashboard alone, over a finished simulated community."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.observability import listen
from bot.settings import Settings
from bot.web._app import build_dashboard, mount_dashboard
from bot.web._shell import shell_link
from handlers.kernel import ChatPort, LadderConfig, SystemClock
from handlers.service import LadderService
from handlers.signin import DashboardAddress


class ShiftedClock:
    """Real time, shifted so that it starts at ``start``: the demo's figures are as of its last
    simulated day, and "3 days ago" stays true while it is served."""

    def __init__(self, start: datetime) -> None:
        self.offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        """The shifted current time."""
        return datetime.now(UTC) + self.offset


async def serve_community(
    sessions: async_sessionmaker[AsyncSession],
    config: LadderConfig,
    port: ChatPort,
    settings: Settings,
    *,
    start: datetime,
    community: str,
    manager: str,
    on_link: Callable[[str], None],
) -> None:
    """Serve the dashboard until cancelled, after handing ``on_link`` a sign-in link."""
    address = DashboardAddress(settings.dashboard_url())
    service = LadderService(sessions, config, port, ShiftedClock(start), dashboard=address)
    app = web.Application()
    real_time = SystemClock()
    dashboard = await build_dashboard(service, address, secret_key=settings.secret_key, link_clock=real_time)
    mount_dashboard(app, dashboard)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        bound = await listen(runner, settings.http_host, settings.http_port)
        address.url = settings.dashboard_url(bound)
        url, _, _ = await shell_link(sessions, address, real_time, community=community, manager=manager)
        on_link(url)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
