"""HTTP mode's web application: Bolt's ``POST /slack/events`` plus ``GET /healthz``.

Built in one function so other endpoints (``/metrics``, a richer health check) can be added to
the same application by whoever owns them.
"""

import asyncio
import logging

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.runtime import Runtime

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HEALTH_TIMEOUT = 5.0


async def database_reachable(runtime: Runtime) -> bool:
    """Run ``SELECT 1``: the one dependency without which Ladder cannot answer anyone."""
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT), runtime.sessions() as session:
            connection = await session.connection()
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError, TimeoutError) as error:
        log.warning("Health check: database unreachable: %s", error)
        return False
    return True


def build_web_app(app: AsyncApp, runtime: Runtime) -> web.Application:
    """The aiohttp application HTTP mode serves: Slack's endpoint and the health check."""
    web_app = app.web_app(path=EVENTS_PATH)

    async def healthz(_request: web.Request) -> web.Response:
        ok = await database_reachable(runtime)
        return web.json_response({"ok": ok, "database": ok}, status=200 if ok else 503)

    web_app.router.add_get(HEALTH_PATH, healthz)
    return web_app
