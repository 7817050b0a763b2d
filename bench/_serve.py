"""A Slack HTTP-mode server for benchmark 3: Ladder's app, or a bare Bolt app that only acks.

Run as ``python -m bench._serve bare|ladder|unfrozen <db>``; prints the app's port and the fake
Web API's port, serves until killed. The fake Web API answers every call the app makes (and the
commands' ``response_url``), so nothing leaves the machine.

``ladder`` is the app as ``ladder run`` serves it: events group-committed by the adapter's
batcher, and the heap settled after start-up (``bot.background.settle_heap``: ``gc.freeze()``,
so full collections no longer walk start-up objects and stall the loop for 100-170 ms).
``unfrozen`` is the same app without settling the heap, to show what that is worth.
``help`` is the shipped app with ``CHELP`` as a help channel (benchmark 4, the durable path);
``help_samefile`` keeps its inbox in the database file itself instead of the file beside it, to
show why SQLite's inbox lives apart (an ack would wait for the use cases' writer lock).
"""

import asyncio
import sys
from pathlib import Path
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

SECRET = "bench-signing-secret"


REPLIES = {"count": 0}


async def _reply_url(request: web.Request) -> web.Response:
    """A command's ``response_url``: counted, so the benchmark can tell when the work is done."""
    REPLIES["count"] += 1
    return await _fake_api(request)


async def _replies(_request: web.Request) -> web.Response:
    return web.json_response(REPLIES)


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
        "usergroup": {"id": "SBENCH", "handle": "ladder-bench", "users": []},
        "response_metadata": {"next_cursor": ""},
    }
    return web.json_response(body)


async def _start(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1]


async def serve(kind: str, db: Path) -> None:
    """Start the fake Web API and the app; print both ports; run forever."""
    api = web.Application()
    api.router.add_route("*", "/api/{method}", _fake_api)
    api.router.add_route("*", "/response/{name}", _reply_url)
    api.router.add_get("/replies", _replies)
    _, api_port = await _start(api)
    client = AsyncWebClient(token="xoxb-bench", base_url=f"http://127.0.0.1:{api_port}/api/")
    if kind == "bare":
        bolt = AsyncApp(client=client, signing_secret=SECRET, process_before_response=True)

        async def ack_only(ack: Any) -> None:
            await ack()

        bolt.command("/ladder")(ack_only)
        bolt.event("message")(ack_only)
        _, port = await _start(bolt.web_app(path="/slack/events"))
        print(port, api_port, flush=True)
        await asyncio.Event().wait()
    else:
        from bench._common import fresh_runtime
        from bot.background import settle_heap
        from bot.inbox import DatabaseStore, Inbox, open_inbox
        from bot.slack import build_bot, build_web_app
        from handlers.kernel import LadderConfig, Routing

        config = LadderConfig()
        if kind.startswith("help"):
            config = config.model_copy(update={"routing": Routing(help_channels=("CHELP",))})
        runtime, _ = fresh_runtime(db, config)
        async with open_inbox(runtime.database_url, runtime.sessions, "slack") as beside:
            inbox = Inbox(DatabaseStore(runtime.sessions), "slack") if kind == "help_samefile" else beside
            bot = build_bot(client, SECRET, runtime.service, inbox)
            _, port = await _start(build_web_app(bot.app, runtime, signing_secret=SECRET))
            if kind != "unfrozen":
                settle_heap()
            print(port, api_port, flush=True)
            await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], Path(sys.argv[2])))
