"""`/healthz` follows Slack's Web API: it fails while every call to Slack fails, and recovers."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from fake_slack import FakeSlack
from slack_harness import BOT_TOKEN, SECRET, payload, signed_headers

from bot.settings import Settings
from bot.slack import create_client, serve
from bot.slack._reachability import FRESH_SECONDS


@contextlib.asynccontextmanager
async def slack_http(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[str]:
    """`ladder run --platform slack` in HTTP mode against the fake; yields its base URL."""
    settings = Settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'ladder.db'}",
        LADDER_HTTP_HOST="127.0.0.1",
        LADDER_HTTP_PORT=0,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.base_url,
    )
    bound: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(settings, on_listening=bound.set_result))
    try:
        done, _ = await asyncio.wait(_either(bound, task), timeout=30, return_when="FIRST_COMPLETED")
        if task in done:
            task.result()
        yield f"http://127.0.0.1:{bound.result()}"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def health(http: aiohttp.ClientSession, url: str) -> tuple[int, Any]:
    """GET /healthz as a load balancer does."""
    async with http.get(f"{url}/healthz") as response:
        return response.status, (await response.json())["checks"]["adapter"]


async def test_healthz_fails_while_every_slack_call_fails_and_recovers(
    tmp_path: Path, fake: FakeSlack
) -> None:
    """A revoked token makes every Web API call fail: /healthz says 503 instead of 'connected',
    and 200 again once Slack answers."""
    async with slack_http(tmp_path, fake) as url, aiohttp.ClientSession() as http:

        async def command(user: str) -> None:
            form = payload("slash_command") | {
                "user_id": user,
                "response_url": fake.response_url(),
                "trigger_id": f"{user}.trigger",  # each command is its own (a repeat is run once)
            }
            body = urlencode(form).encode()
            headers = signed_headers(body, "application/x-www-form-urlencoded")
            replies = len(fake.to("response_url")) + 1  # counted before: the reply may beat the 200
            async with http.post(f"{url}/slack/events", data=body, headers=headers) as response:
                assert response.status == 200
            await fake.wait_for(lambda: len(fake.to("response_url")) == replies)

        await command("U0JANE")
        assert await health(http, url) == (200, "connected")
        fake.outage = "invalid_auth"
        await command("U0HELPER")  # Ladder's own calls (users.info) now fail
        assert fake.to("users.info")[-1].result == {}
        assert await health(http, url) == (503, "disconnected")
        fake.outage = ""
        assert await health(http, url) == (200, "connected")


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        """The current reading."""
        return self.now


async def test_an_idle_ladder_notices_slack_going_away(fake: FakeSlack) -> None:
    """With no traffic, a stale success is re-checked with auth.test, so an outage shows."""
    clock = Clock()
    client = create_client(BOT_TOKEN, fake.base_url)
    client.clock = clock
    await client.chat_postMessage(channel="C0GENERAL", text="hi")
    fake.outage = "service_unavailable"
    assert await client.reachable()
    assert [c.method for c in fake.calls] == ["chat.postMessage"]
    clock.now += FRESH_SECONDS + 1
    assert not await client.reachable()
    assert [c.method for c in fake.calls][-1] == "auth.test"


async def test_an_answer_about_the_request_is_not_an_outage(fake: FakeSlack) -> None:
    """channel_not_found or missing_scope means Slack answered: health stays ok, no probe."""
    client = create_client(BOT_TOKEN, fake.base_url)
    fake.fail("chat.postMessage", "channel_not_found")
    with contextlib.suppress(Exception):
        await client.chat_postMessage(channel="C0GONE", text="hi")
    assert await client.reachable()
    assert [c.method for c in fake.calls] == ["chat.postMessage"]


def _either(*futures: "asyncio.Future[Any]") -> "set[asyncio.Future[Any]]":
    """The futures to wait on together (a start-up that binds, or a serve that fails)."""
    return set(futures)
