"""``serve``: the entry point ``ladder run --platform discord`` calls, driven on loopback."""

import asyncio
from pathlib import Path
from typing import Any, cast

import discord
import pytest
from db import fresh_database_url
from fake_discord import GUILD, FakeDiscord

from bot.discord import DiscordSettingsError, serve
from bot.discord._client import ladder_intents
from bot.settings import Settings


def settings_for(fake: FakeDiscord, tmp_path: Path, token: str = "fake-token") -> Settings:
    """Settings as the environment would give them, pointing at the fake and a fresh database."""
    return Settings(
        DISCORD_TOKEN=token,
        DISCORD_API_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        DATABASE_URL=fresh_database_url(tmp_path),
    )


async def test_missing_token_is_refused_clearly(tmp_path: Path) -> None:
    """No DISCORD_TOKEN: a DiscordSettingsError that says where to find one, before any I/O."""
    with pytest.raises(DiscordSettingsError, match="DISCORD_TOKEN is not set"):
        await serve(Settings(DISCORD_TOKEN="", DATABASE_URL=f"sqlite:///{tmp_path}/x.db"), None)
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("DISCORD_API_URL", "discord.com/api"), ("DISCORD_GATEWAY_URL", "https://gateway.discord.gg")],
)
async def test_malformed_urls_are_refused(tmp_path: Path, field: str, value: str) -> None:
    """An override that is not a URL of the right scheme is named in the error."""
    settings = Settings(
        DISCORD_TOKEN="t", DATABASE_URL=f"sqlite:///{tmp_path}/x.db", **cast(dict[str, Any], {field: value})
    )
    with pytest.raises(DiscordSettingsError, match=field):
        await serve(settings, None)


async def test_serve_runs_end_to_end_and_syncs_to_a_guild(fake: FakeDiscord, tmp_path: Path) -> None:
    """Serving logs in, syncs to --sync-guild only, identifies with Ladder's intents, answers."""
    task = asyncio.create_task(serve(settings_for(fake, tmp_path), int(GUILD)))
    try:
        await fake.wait_for("PUT", rf"/applications/\d+/guilds/{GUILD}/commands")
        await asyncio.wait_for(fake.connected.wait(), 5)
        assert fake.identifies[0]["token"] == "fake-token"
        assert fake.identifies[0]["intents"] == ladder_intents().value
        assert not fake.find("PUT", r"/applications/\d+/commands")
        callback = await (await fake.command("alice", "why")).callback()
        assert "Participant" in callback.content
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_refused_token_becomes_a_settings_error(fake: FakeDiscord, tmp_path: Path) -> None:
    """Discord answering 401 to the login is reported as a bad DISCORD_TOKEN, not a traceback."""
    with pytest.raises(DiscordSettingsError, match="refused DISCORD_TOKEN"):
        await serve(settings_for(fake, tmp_path, token="revoked"), None)


async def test_disallowed_intents_become_a_settings_error(fake: FakeDiscord, tmp_path: Path) -> None:
    """Close code 4014 (privileged intents not enabled) says which switches to turn on."""
    fake.refuse_intents = True
    with pytest.raises(DiscordSettingsError, match="MESSAGE CONTENT INTENT"):
        await asyncio.wait_for(serve(settings_for(fake, tmp_path), None), 10)


def test_intents_are_only_what_ladder_reads() -> None:
    """Guilds, members, guild messages, message content and guild reactions; nothing else."""
    wanted = discord.Intents.none()
    wanted.guilds = wanted.members = wanted.guild_messages = True
    wanted.message_content = wanted.guild_reactions = True
    assert ladder_intents() == wanted
    assert not ladder_intents().presences and not ladder_intents().dm_messages
