"""``/ladder dashboard`` on Discord: a private link to the dashboard the standalone server serves."""

import asyncio
import re
from pathlib import Path

import aiohttp
import pytest
from fake_discord import EPHEMERAL, GUILD, FakeDiscord
from test_discord_serve import settings_for

from bot.discord import serve

LINK = re.compile(r"http://127\.0\.0\.1:\d+/dashboard/signin/[A-Za-z0-9_\-]+")


async def test_a_server_manager_gets_a_link_that_opens_the_dashboard(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """Mara (Manage Server) gets an ephemeral link on the port Ladder bound beside /healthz; it
    opens the sign-in page. Alice, a member, is refused."""
    settings = settings_for(fake, tmp_path).model_copy(update={"http_host": "127.0.0.1", "http_port": 0})
    task = asyncio.create_task(serve(settings, int(GUILD)))
    try:
        await asyncio.wait_for(fake.connected.wait(), 5)
        await fake.wait_for("PUT", rf"/applications/\d+/guilds/{GUILD}/commands")
        refused = await (await fake.command("alice", "dashboard")).text()
        answers = await (await fake.command("mara", "dashboard")).answers()
        answered = "\n".join(answer.content for answer in answers)
        found = LINK.search(answered)
        assert found is not None, answered
        assert all(answer.flags & EPHEMERAL for answer in answers if answer.content)
        async with aiohttp.ClientSession() as http, http.get(found[0]) as page:
            assert page.status == 200 and "Sign in" in await page.text()
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert "Only managers" in refused and "/dashboard/" not in refused
