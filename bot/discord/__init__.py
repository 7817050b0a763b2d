"""Ladder on Discord: ``ladder run --platform discord`` (see docs/discord.md).

``serve`` checks the settings, points discord.py at DISCORD_API_URL / DISCORD_GATEWAY_URL when
they are set (Discord-compatible servers, loopback tests), opens the runtime and runs the client.
"""

from collections.abc import Callable
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl

from bot.background import background
from bot.discord._client import LadderClient, run_until_closed
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from handlers.kernel import ChatPort
from handlers.service import LadderService, RecordingPort

__all__ = ["DiscordSettingsError", "LadderClient", "build_client", "point_at", "serve"]


class DiscordSettingsError(ValueError):
    """A Discord setting Ladder cannot run with; its text says what to change."""


def point_at(settings: Settings) -> None:
    """Send discord.py's REST calls and gateway connection where the settings say.

    Both overrides are checked before either is applied, so a bad one changes nothing.
    """
    api, gateway = settings.discord_api_url, settings.discord_gateway_url
    if api and not api.startswith(("http://", "https://")):
        raise DiscordSettingsError(
            f"DISCORD_API_URL must be an http(s) URL like https://discord.com/api/v10, got {api!r}"
        )
    if gateway and not gateway.startswith(("ws://", "wss://")):
        raise DiscordSettingsError(
            f"DISCORD_GATEWAY_URL must be a ws(s) URL like wss://gateway.discord.gg/, got {gateway!r}"
        )
    if api:
        discord.http.Route.BASE = api.rstrip("/")
    if gateway:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


def build_client(
    runtime: Runtime,
    sync_guild: int | None,
    service_factory: Callable[[ChatPort], RecordingPort] | None = None,
    **options: Any,
) -> LadderClient:
    """The client for one runtime: its service (built on the client's port), config and database."""
    return LadderClient(
        service_factory=service_factory or runtime.service,
        config=runtime.config,
        sessions=runtime.sessions,
        sync_guild=sync_guild,
        **options,
    )


async def serve(settings: Settings, sync_guild: int | None) -> None:
    """Run Ladder on Discord until stopped; ``sync_guild`` syncs commands to one server only."""
    token = settings.discord_token.strip()
    if not token:
        raise DiscordSettingsError(
            "DISCORD_TOKEN is not set: copy the bot token from your application's Bot page "
            "(https://discord.com/developers/applications) into DISCORD_TOKEN."
        )
    point_at(settings)
    async with open_runtime(settings) as runtime:
        ladders: list[LadderService] = []

        def make_ladder(port: ChatPort) -> LadderService:
            ladders.append(runtime.service(port))
            return ladders[-1]

        client = build_client(runtime, sync_guild, service_factory=make_ladder)
        try:
            async with background(
                runtime,
                ladders[0],
                connected=lambda: client.is_ready() and not client.is_closed(),
                serve_http=True,
            ):
                await run_until_closed(client, token)
        except discord.LoginFailure:
            raise DiscordSettingsError(
                "Discord refused DISCORD_TOKEN: reset the token on the application's Bot page "
                "and set it again."
            ) from None
        except discord.PrivilegedIntentsRequired:
            raise DiscordSettingsError(
                "Discord refused the privileged intents: enable SERVER MEMBERS INTENT and "
                "MESSAGE CONTENT INTENT on the application's Bot page (see docs/discord.md)."
            ) from None
