"""HTTP mode's web application: Bolt's ``POST /slack/events`` plus ``/healthz`` and ``/metrics``."""

from aiohttp import web
from slack_bolt.async_app import AsyncApp

from bot.observability import HealthProbe, add_routes
from bot.runtime import Runtime

EVENTS_PATH = "/slack/events"


def build_web_app(app: AsyncApp, runtime: Runtime, probe: HealthProbe | None = None) -> web.Application:
    """The aiohttp application HTTP mode serves: Slack's endpoint, health and metrics.

    Without a ``probe`` (benchmarks, tests) health reports the scheduler as not started.
    """
    web_app = app.web_app(path=EVENTS_PATH)
    add_routes(web_app, probe or HealthProbe(runtime.sessions))
    return web_app
