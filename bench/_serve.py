"""A Slack HTTP-mode server for benchmark 3: Ladder's app, or a bare Bolt app that only acks.

Run as ``python -m bench._serve ladder|batched|bare <db>``; prints the port, serves until killed.
A local fake Web API answers every call the app makes, so nothing leaves the machine.
"""

import asyncio
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.batcher import Batcher
from handlers.port import ChatPort
from handlers.service import Ladder
from handlers.types import Context, Event, Message

SECRET = "bench-signing-secret"


async def _fake_api(request: web.Request) -> web.Response:
    """Answer any Web API method with a superset of the shapes Ladder reads."""
    form = await request.post() if request.can_read_body else {}
    user = str(form.get("user") or request.query.get("user") or "U1")
    body: dict[str, Any] = {
        "ok": True,
        "team_id": "TBENCH",
        "user_id": "UBOT",
        "bot_id": "BBOT",
        "ts": "1.000001",
        "channel": {"id": "DBENCH"},
        "user": {"id": user, "name": user.lower(), "is_admin": False},
        "members": [],
        "usergroups": [],
        "response_metadata": {"next_cursor": ""},
    }
    return web.json_response(body)


async def _start(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1]


def _batched(make: Callable[[ChatPort], Ladder]) -> Callable[[ChatPort], "BatchedLadder"]:
    """The service with its events going through :class:`bot.batcher.Batcher`."""
    return lambda port: BatchedLadder(make(port))


class BatchedLadder:
    """Ladder's service whose ``events`` queue into the live batcher (flushed every 100 ms)."""

    def __init__(self, ladder: Ladder) -> None:
        self.ladder = ladder
        self.batcher = Batcher(ladder.events)

    async def command(self, ctx: Context, text: str) -> list[Message]:
        """Run ``/ladder <text>`` on the real service."""
        return await self.ladder.command(ctx, text)

    async def action(self, ctx: Context, name: str, value: str) -> list[Message]:
        """Run a button click on the real service."""
        return await self.ladder.action(ctx, name, value)

    async def events(self, events: Sequence[Event]) -> None:
        """Queue events; the batcher writes them within 100 ms."""
        for event in events:
            self.batcher.add(event)


async def serve(kind: str, db: Path) -> None:
    """Start the fake Web API and the app; print the app's port; run forever."""
    api = web.Application()
    api.router.add_route("*", "/api/{method}", _fake_api)
    api.router.add_route("*", "/response/{name}", _fake_api)
    _, api_port = await _start(api)
    client = AsyncWebClient(token="xoxb-bench", base_url=f"http://127.0.0.1:{api_port}/api/")
    if kind == "bare":
        bolt = AsyncApp(client=client, signing_secret=SECRET, process_before_response=True)

        async def ack_only(ack: Any) -> None:
            await ack()

        bolt.command("/ladder")(ack_only)
        bolt.event("message")(ack_only)
        _, port = await _start(bolt.web_app(path="/slack/events"))
    else:
        from bench._common import fresh_runtime
        from bot.slack import build_bot, build_web_app

        runtime, _ = fresh_runtime(db)
        make = runtime.ladder if kind == "ladder" else _batched(runtime.ladder)
        bot = build_bot(client, SECRET, make)
        _, port = await _start(build_web_app(bot.app, runtime))
    print(port, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], Path(sys.argv[2])))
