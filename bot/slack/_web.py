"""HTTP mode's web application: Bolt's ``POST /slack/events`` plus ``/healthz`` and ``/metrics``.

Slack's signature is checked on the raw bytes before Bolt reads the body: Bolt parses a body
before its own check runs, so an unsigned ``payload=notjson`` would otherwise be a 500 with a
traceback. A refused request is a 401 and one log line (see :mod:`bot.slack._verify`).
"""

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from slack_bolt.async_app import AsyncApp

from bot.observability import HealthProbe, add_routes
from bot.runtime import Runtime
from bot.slack._verify import SignedRequests

EVENTS_PATH = "/slack/events"


def build_web_app(
    app: AsyncApp, runtime: Runtime, probe: HealthProbe | None = None, *, signing_secret: str
) -> web.Application:
    """The aiohttp application HTTP mode serves: Slack's endpoint, health and metrics.

    Without a ``probe`` (benchmarks, tests) health reports the scheduler as not started.
    """
    web_app = app.web_app(path=EVENTS_PATH)
    web_app.middlewares.append(_signed_only(SignedRequests(signing_secret)))
    add_routes(web_app, probe or HealthProbe(runtime.sessions))
    return web_app


def _signed_only(verifier: SignedRequests) -> Middleware:
    @web.middleware
    async def signed_only(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != EVENTS_PATH or request.method != "POST":
            return await handler(request)
        body = await request.read()
        reason = verifier.rejection(
            body,
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
        )
        if reason is not None:
            verifier.log_rejection(reason, len(body))
            return web.json_response({"error": "invalid request"}, status=401)
        return await handler(request)

    return signed_only
