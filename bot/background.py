"""What runs beside every platform adapter: the scheduler and, where asked, the HTTP server with
health, metrics and the managers' dashboard."""

import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

from bot.observability import HealthProbe, add_routes, bound_port, start_http_server
from bot.runtime import Runtime
from bot.scheduling import SchedulerHandle, start_scheduler
from bot.web import build_dashboard, mount_dashboard
from handlers.service import LadderService

log = logging.getLogger(__name__)


@dataclass
class Background:
    """The running scheduler, the health probe the HTTP routes answer from, and the dashboard."""

    scheduler: SchedulerHandle
    probe: HealthProbe
    dashboard: web.Application

    def mount(self, app: web.Application) -> None:
        """Add ``/healthz``, ``/metrics`` and ``/dashboard/`` to an adapter's own web app (Slack
        HTTP mode)."""
        add_routes(app, self.probe)
        mount_dashboard(app, self.dashboard)


def settle_heap() -> None:
    """Take everything alive after start-up out of the garbage collector's sight.

    Modules, SQLAlchemy, Bolt and discord.py metadata never die; left in the oldest generation,
    every full collection walks them and stalls the event loop for 100–170 ms (measured in
    ``python -m bench``). ``gc.freeze()`` is the standard-library answer for long-lived servers.
    """
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def background(
    runtime: Runtime,
    service: LadderService,
    *,
    connected: Callable[[], bool | Awaitable[bool]],
    serve_http: bool,
) -> AsyncIterator[Background]:
    """Start the scheduler (and a standalone server for health, metrics and the dashboard unless
    the adapter serves HTTP itself); stop both on exit."""
    settings = runtime.settings
    dashboard = await build_dashboard(service, runtime.dashboard, secret_key=settings.secret_key)
    scheduler = await start_scheduler(runtime, service)
    probe = HealthProbe(
        runtime.sessions, adapter_connected=connected, scheduler_state=scheduler.state, target=runtime.metrics
    )
    runner = None
    if serve_http:
        try:
            runner = await start_http_server(
                probe,
                settings.http_port,
                settings.http_host,
                mount=lambda app: mount_dashboard(app, dashboard),
            )
        except BaseException:
            await scheduler.stop()
            raise
        runtime.listening_on(bound_port(runner, settings.http_port))
    settle_heap()
    try:
        yield Background(scheduler, probe, dashboard)
    finally:
        if runner is not None:
            await runner.cleanup()
        await scheduler.stop()
