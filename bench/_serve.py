"""A Slack HTTP-mode server for the live benchmarks: Ladder's app, or a bare Bolt app that only acks.

Run as ``python -m bench._serve bare|live|help|help_samefile <db>``; prints the app's port and the
fake Web API's port, serves until killed. The fake Web API answers every call the app makes (and
the commands' ``response_url``), so nothing leaves the machine; its ``/stats`` reports the inbox's
backlog (now, largest, limit) and the commands answered.

Every Ladder kind is the app as ``ladder run`` serves it: the durable inbox (its backlog bounded by
``LADDER_INBOX_BACKLOG``), events group-committed by the adapter's batcher, and the heap settled
after start-up (``bot.background.settle_heap``). ``live`` (benchmark 5) and ``help`` are
the shipped app with ``CHELP`` as a help channel (``help``: the durable path alone);
``help_samefile`` keeps its inbox in the database file itself instead of the file beside it, to
show why SQLite's inbox lives apart (an ack would wait for the use cases' writer lock).
"""

import asyncio
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

if TYPE_CHECKING:
    from bot.inbox import Inbox

SECRET = "bench-signing-secret"


REPLIES = {"count": 0}


class _ErrorCount(logging.Handler):
    """Counts what the server logs as an error (failed work), so a run whose work fails cannot
    pass for a fast one: the benchmark reports the count and checks it is zero."""

    count = 0

    def emit(self, record: logging.LogRecord) -> None:
        _ErrorCount.count += 1


async def _reply_url(request: web.Request) -> web.Response:
    """A command's ``response_url``: counted, so the benchmark can tell when the work is done."""
    REPLIES["count"] += 1
    return await _fake_api(request)


async def _replies(_request: web.Request) -> web.Response:
    return web.json_response(REPLIES)


SERVED: list["Inbox"] = []


async def _stats(_request: web.Request) -> web.Response:
    """The backlog now, the largest so far and its limit, the commands answered so far, and the CPU
    time this process has used (all its threads: SQLite's work runs in aiosqlite's)."""
    found: dict[str, int] = REPLIES | {"cpu_ms": int(time.process_time() * 1000), "errors": _ErrorCount.count}
    for inbox in SERVED:
        found |= {"held": inbox.held, "most_held": inbox.most_held, "limit": inbox.limit}
    return web.json_response(found)


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
    logging.getLogger().addHandler(_ErrorCount(logging.ERROR))
    api = web.Application()
    api.router.add_route("*", "/api/{method}", _fake_api)
    api.router.add_route("*", "/response/{name}", _reply_url)
    api.router.add_get("/replies", _replies)
    api.router.add_get("/stats", _stats)
    _, api_port = await _start(api)
    client = AsyncWebClient(token="xoxb-bench", base_url=f"http://127.0.0.1:{api_port}/api/")
    if kind == "bare":
        bolt = AsyncApp(client=client, signing_secret=SECRET, process_before_response=True)

        async def ack_only(ack: Any) -> None:
            await ack()

        bolt.command("/ladder")(ack_only)
        bolt.event("message")(ack_only)
        bolt.event("reaction_added")(ack_only)
        _, port = await _start(bolt.web_app(path="/slack/events"))
        print(port, api_port, flush=True)
        await asyncio.Event().wait()
    else:
        from bench._common import fresh_runtime
        from bot.background import settle_heap
        from bot.inbox import DatabaseStore, open_inbox
        from bot.settings import Settings
        from bot.slack import build_bot, build_web_app
        from handlers.kernel import LadderConfig, Routing

        config = LadderConfig()
        if kind.startswith("help") or kind == "live":
            config = config.model_copy(update={"routing": Routing(help_channels=("CHELP",))})
        runtime, _ = fresh_runtime(db, config)
        backlog = Settings().inbox_backlog
        async with open_inbox(runtime.database_url, runtime.sessions, "slack", backlog=backlog) as beside:
            inbox = Inbox(DatabaseStore(runtime.sessions), "slack") if kind == "help_samefile" else beside
            SERVED.append(inbox)
            bot = build_bot(client, SECRET, runtime.service, inbox)
            _, port = await _start(build_web_app(bot.app, runtime, signing_secret=SECRET))
            settle_heap()
            print(port, api_port, flush=True)
            await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], Path(sys.argv[2])))
