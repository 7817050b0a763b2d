"""Health and metrics over HTTP: ``GET /healthz`` and ``GET /metrics`` (Prometheus text format).

Adapters mount both on the aiohttp app they already serve (Slack HTTP mode) with
:func:`add_routes`, or start :func:`start_http_server` on ``LADDER_HTTP_PORT`` (console, Discord,
Slack Socket Mode). Counters live in one :class:`Metrics` that the runtime builds and passes down
(there is no process-wide instance); the service calls its ``command`` / ``credited`` /
``escalated`` / ``digest_posted`` methods as its observer, and every log record at ERROR or above
is counted by :class:`ErrorCounter`.
Database-derived figures (open questions) are read at scrape time, so every replica reports the
same truth.
"""

import asyncio
import errno
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    generate_latest,
)
from sqlalchemy import func, literal
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import Question, QuestionStatus

log = logging.getLogger(__name__)

DATABASE_TIMEOUT_SECONDS = 2.0


class Metrics:
    """Ladder's Prometheus metrics, on a registry of their own (no global state shared by tests)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.commands = Counter(
            "ladder_commands", "Commands run, by subcommand.", ["command"], registry=self.registry
        )
        self.events_credited = Counter(
            "ladder_events_credited",
            "Contributions credited to members, by kind.",
            ["kind"],
            registry=self.registry,
        )
        self.escalations = Counter(
            "ladder_escalations", "Questions escalated to the next tier.", registry=self.registry
        )
        self.digests_posted = Counter(
            "ladder_digests_posted",
            "Scheduled digests posted; late=yes when posted on start after downtime.",
            ["late"],
            registry=self.registry,
        )
        self.errors = Counter(
            "ladder_errors", "Errors logged, by logger.", ["source"], registry=self.registry
        )
        self.open_questions = Gauge(
            "ladder_open_questions",
            "Questions still waiting for a first response (all communities), read at scrape time.",
            registry=self.registry,
        )
        self.database_up = Gauge(
            "ladder_database_up",
            "1 when the database answered the last probe.",
            registry=self.registry,
        )
        self.scheduler_leader = Gauge(
            "ladder_scheduler_leader",
            "1 when this instance holds the scheduler lock and runs the jobs.",
            registry=self.registry,
        )

    def command(self, name: str) -> None:
        """Count one ``/ladder`` command (``name`` is the subcommand: ask, call, digest…)."""
        self.commands.labels(command=name).inc()

    def credited(self, kind: str, count: int = 1) -> None:
        """Count contributions newly credited (ledger rows actually inserted)."""
        self.events_credited.labels(kind=kind).inc(count)

    def escalated(self, count: int = 1) -> None:
        """Count questions moved to the next tier by a sweep."""
        self.escalations.inc(count)

    def digest_posted(self, *, late: bool) -> None:
        """Count one digest posted to its channel."""
        self.digests_posted.labels(late="yes" if late else "no").inc()

    def error(self, source: str) -> None:
        """Count one error (a job that failed, a send that raised…)."""
        self.errors.labels(source=source).inc()


class ErrorCounter(logging.Handler):
    """Counts every log record at ERROR or above in ``ladder_errors_total{source=<logger>}``."""

    def __init__(self, target: Metrics) -> None:
        super().__init__(level=logging.ERROR)
        self.target = target

    def emit(self, record: logging.LogRecord) -> None:
        """Count the record (never raises: logging must not fail because of metrics)."""
        self.target.error(record.name)


def count_logged_errors(target: Metrics) -> ErrorCounter:
    """Attach an :class:`ErrorCounter` for ``target`` to the root logger once; return it."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, ErrorCounter) and handler.target is target:
            return handler
    handler = ErrorCounter(target)
    root.addHandler(handler)
    return handler


@dataclass
class HealthProbe:
    """What ``/healthz`` checks. Adapters pass how to tell they are connected (a plain or an
    async check: Slack's asks the Web API when its last outcome is a failure or stale).

    ``scheduler_state`` returns "leader" (runs the jobs), "standby" (another instance holds the
    lock; this one waits to take over) or "stopped"; only "stopped" is unhealthy.
    """

    sessions: async_sessionmaker[AsyncSession]
    adapter_connected: Callable[[], bool | Awaitable[bool]] = lambda: True
    scheduler_state: Callable[[], str] = lambda: "not started"
    target: Metrics = field(default_factory=Metrics)

    async def database_reachable(self) -> bool:
        """Run ``SELECT 1`` with a short timeout."""
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS), self.sessions() as session:
                await session.exec(select(literal(1)))
        except Exception as error:  # noqa: BLE001 - any driver or timeout error means "unreachable"
            log.warning("health probe: database unreachable: %s", error)
            self.target.database_up.set(0)
            return False
        self.target.database_up.set(1)
        return True

    async def report(self) -> tuple[bool, dict[str, str]]:
        """Every check by name, and whether they all pass."""
        database = await self.database_reachable()
        answer = self.adapter_connected()
        connected = await answer if inspect.isawaitable(answer) else answer
        scheduler = self.scheduler_state()
        checks = {
            "database": "ok" if database else "unreachable",
            "adapter": "connected" if connected else "disconnected",
            "scheduler": scheduler,
        }
        healthy = database and connected and scheduler in ("leader", "standby")
        return healthy, checks

    async def refresh_gauges(self) -> None:
        """Read the database-derived figures; leave them as they were if the database is down."""
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS), self.sessions() as session:
                waiting = (
                    await session.exec(select(func.count()).where(Question.status == QuestionStatus.OPEN))
                ).one()
        except Exception as error:  # noqa: BLE001 - a scrape reports the last figures while the database is down
            log.warning("metrics: cannot read open questions: %s", error)
            self.target.database_up.set(0)
            return
        self.target.database_up.set(1)
        self.target.open_questions.set(waiting)


def add_routes(app: web.Application, health: HealthProbe) -> None:
    """Mount ``GET /healthz`` and ``GET /metrics`` on an aiohttp app."""

    async def healthz(_request: web.Request) -> web.Response:
        healthy, checks = await health.report()
        body = {"status": "ok" if healthy else "failing", "checks": checks}
        return web.json_response(body, status=200 if healthy else 503)

    async def metrics_page(_request: web.Request) -> web.Response:
        await health.refresh_gauges()
        return web.Response(
            body=generate_latest(health.target.registry),
            headers={"Content-Type": CONTENT_TYPE_LATEST},
        )

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)


class ListenError(Exception):
    """Ladder cannot listen on ``LADDER_HTTP_HOST``:``LADDER_HTTP_PORT``; the text is one line."""


async def listen(runner: web.AppRunner, host: str, port: int) -> int:
    """Serve a set-up runner on ``host:port`` and return the bound port (``0`` picks one)."""
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        in_use = error.errno == errno.EADDRINUSE
        reason = "the address is already in use" if in_use else (error.strerror or str(error))
        raise ListenError(
            f"Cannot listen on {host}:{port}: {reason}. Set LADDER_HTTP_PORT (or LADDER_HTTP_HOST) "
            "to a free address, or stop the other server."
        ) from None
    return bound_port(runner, port)


async def start_http_server(
    health: HealthProbe,
    port: int,
    host: str,
    mount: Callable[[web.Application], None] | None = None,
) -> web.AppRunner:
    """Serve ``/healthz`` and ``/metrics`` (console, Discord, Socket Mode), plus whatever
    ``mount`` adds (the dashboard); ``cleanup()`` stops it."""
    app = web.Application()
    add_routes(app, health)
    if mount is not None:
        mount(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        bound = await listen(runner, host, port)
    except ListenError:
        await runner.cleanup()
        raise
    log.info("health and metrics on http://%s:%d/healthz and /metrics", host, bound)
    return runner


def bound_port(runner: web.AppRunner, asked: int) -> int:
    """The port a started runner listens on (the one asked for, unless that was 0)."""
    return int(runner.addresses[0][1]) if runner.addresses else asked
