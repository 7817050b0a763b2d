"""Ladder on Slack: Bolt's ``AsyncApp`` in Socket Mode or HTTP mode, over the core service.

``serve(settings)`` is what ``ladder run --platform slack`` calls. It checks the settings first
(raising :class:`SlackSettingsError`, whose message is one line), opens the runtime, then runs
until cancelled.
"""

import asyncio
import logging
from collections.abc import Callable

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.background import background
from bot.inbox import open_inbox
from bot.locks import database_section
from bot.observability import listen
from bot.runtime import open_runtime
from bot.settings import Settings
from bot.slack._app import SlackBot, build_bot, create_client
from bot.slack._port import SlackChatPort
from bot.slack._settings import SlackSettingsError, api_base_url, check_settings
from bot.slack._web import build_web_app
from bot.web import mount_dashboard
from handlers.kernel import ChatPort
from handlers.service import LadderService
from models.locks import Budget

__all__ = [
    "SlackBot",
    "SlackChatPort",
    "SlackSettingsError",
    "build_bot",
    "build_web_app",
    "create_client",
    "serve",
]

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 10.0


async def serve(settings: Settings, *, on_listening: Callable[[int], None] | None = None) -> None:
    """Run Ladder on Slack until cancelled: Socket Mode with an app token, else HTTP mode.

    ``on_listening`` receives the bound HTTP port (useful with ``LADDER_HTTP_PORT=0``).
    """
    check_settings(settings)
    async with (
        open_runtime(settings) as runtime,
        open_inbox(runtime.database_url, runtime.sessions, "slack", backlog=settings.inbox_backlog) as inbox,
    ):
        client = create_client(settings.slack_bot_token.strip(), api_base_url(settings))
        ladders: list[LadderService] = []

        def make_ladder(port: ChatPort) -> LadderService:
            ladders.append(runtime.service(port))
            return ladders[-1]

        user_groups = database_section(runtime.sessions, Budget.SLACK_USER_GROUPS)
        bot = build_bot(client, settings.slack_signing_secret.strip(), make_ladder, inbox, user_groups)
        socket_mode = bool(settings.slack_app_token.strip())
        try:
            await bot.resume()
            async with background(
                runtime, ladders[0], connected=client.reachable, serve_http=socket_mode
            ) as jobs:
                if socket_mode:
                    await _run_socket_mode(bot, settings.slack_app_token.strip())
                else:
                    secret = settings.slack_signing_secret.strip()
                    web_app = build_web_app(bot.app, runtime, jobs.probe, signing_secret=secret)
                    mount_dashboard(web_app, jobs.dashboard)
                    runner = web.AppRunner(web_app, access_log=None)  # Ladder logs what matters

                    def listening(port: int) -> None:
                        runtime.listening_on(port)
                        if on_listening is not None:
                            on_listening(port)

                    await _run_http(runner, settings.http_host, settings.http_port, listening)
        finally:
            await bot.background.stop(SHUTDOWN_GRACE_SECONDS)


async def _run_socket_mode(bot: SlackBot, app_token: str) -> None:
    handler = AsyncSocketModeHandler(bot.app, app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]  # Bolt leaves it unannotated
    log.info("Ladder is connected to Slack in Socket Mode")
    try:
        await asyncio.Event().wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


async def _run_http(
    runner: web.AppRunner, host: str, port: int, on_listening: Callable[[int], None] | None
) -> None:
    await runner.setup()
    try:
        bound = await listen(runner, host, port)
        log.info("Ladder serves Slack on http://%s:%s/slack/events", host, bound)
        if on_listening is not None:
            on_listening(bound)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
