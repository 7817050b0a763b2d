"""What runs beside every platform adapter: the scheduler and, where asked, health and metrics."""

import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

from bot.observability import HealthProbe, add_routes, start_http_server
from bot.runtime import Runtime
from bot.scheduling import SchedulerHandle, start_scheduler
from handlers.service import LadderService


@dataclass
class Background:
    """The running scheduler and the health probe the HTTP routes answer from."""

    scheduler: SchedulerHandle
    probe: HealthProbe

    def mount(self, app: web.Application) -> None:
        """Add ``/healthz`` and ``/metrics`` to an adapter's own web app (Slack HTTP mode)."""
        add_routes(app, self.probe)


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
    """Start the scheduler (and a standalone health/metrics server unless the adapter serves HTTP
    itself); stop both on exit."""
    scheduler = await start_scheduler(runtime, service)
    probe = HealthProbe(
        runtime.sessions, adapter_connected=connected, scheduler_state=scheduler.state, target=runtime.metrics
    )
    settings = runtime.settings
    runner = await start_http_server(probe, settings.http_port, settings.http_host) if serve_http else None
    settle_heap()
    try:
        yield Background(scheduler, probe)
    finally:
        if runner is not None:
            await runner.cleanup()
        await scheduler.stop()
