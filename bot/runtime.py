"""The composition root's shared pieces: settings → config, database and clock, opened once."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.database import open_database
from bot.observability import Metrics, count_logged_errors
from bot.readiness import wait_for_database
from bot.settings import Settings
from handlers.kernel import ChatPort, Clock, LadderConfig, SystemClock, load_config
from handlers.routing import Terms
from handlers.service import LadderService
from handlers.signin import DashboardAddress

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What every platform adapter needs to build its :class:`LadderService`: settings, config,
    database, clock, and the process's metrics and question-term reader (built here, once, and
    passed down)."""

    settings: Settings
    config: LadderConfig
    sessions: async_sessionmaker[AsyncSession]
    database_url: str
    clock: Clock = field(default_factory=SystemClock)
    metrics: Metrics = field(default_factory=Metrics)
    dashboard: DashboardAddress = field(default_factory=DashboardAddress)
    terms: Terms = field(default_factory=Terms)

    def __post_init__(self) -> None:
        if not self.dashboard.url:
            self.dashboard.url = self.settings.dashboard_url()

    def listening_on(self, port: int) -> None:
        """Record the port the HTTP server bound, so links name it when ``LADDER_HTTP_PORT`` is 0."""
        self.dashboard.url = self.settings.dashboard_url(port)
        log.info(
            "dashboard at %s/dashboard/ (managers get a sign-in link with /ladder dashboard)",
            self.dashboard.url,
        )

    def service(self, port: ChatPort) -> LadderService:
        """Build the service for one platform's outbound port, counting into the metrics."""
        return LadderService(
            self.sessions,
            self.config,
            port,
            self.clock,
            observer=self.metrics,
            dashboard=self.dashboard,
            terms=self.terms,
        )


@asynccontextmanager
async def open_runtime(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Runtime]:
    """Load the config, upgrade and open the database; close it on exit."""
    config = load_config(settings.ladder_config)
    url = settings.resolved_database_url()
    await wait_for_database(url)
    async with open_database(url) as sessions:
        runtime = Runtime(settings, config, sessions, url, clock or SystemClock())
        counter = count_logged_errors(runtime.metrics)
        try:
            yield runtime
        finally:
            logging.getLogger().removeHandler(counter)
