"""A Slack HTTP-mode server for the live benchmarks: Ladder's app, or a bare Bolt app that only acks.

Run as ``python -m bench._serve bare|live|help|help_samefile <db>``; prints the app's port, its
``/stats`` port and the fake Web API's port, serves until killed. The fake Web API
(:mod:`bench._fake_slack`, a process of its own, as Slack is) answers every call the app makes
and the commands' ``response_url``, so nothing leaves the machine; ``/stats`` reports the inbox's
backlog (now, largest, limit), the errors logged and the CPU time used.

Every Ladder kind is the app as ``ladder run`` serves it: the durable inbox (its backlog bounded by
``LADDER_INBOX_BACKLOG``), events group-committed by the adapter's batcher, and the heap settled
after start-up (``bot.background.settle_heap``). ``live`` (benchmark 5) and ``help`` are
the shipped app with ``CHELP`` as a help channel (``help``: the durable path alone);
``help_samefile`` keeps its inbox in the database file itself instead of the file beside it, to
show why SQLite's inbox lives apart (an ack would wait for the use cases' writer lock).
"""

import asyncio
import logging
import subprocess
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


class _ErrorCount(logging.Handler):
    """Counts what the server logs as an error (failed work), so a run whose work fails cannot
    pass for a fast one: the benchmark reports the count and checks it is zero."""

    count = 0

    def emit(self, record: logging.LogRecord) -> None:
        _ErrorCount.count += 1


SERVED: list["Inbox"] = []


async def _stats(_request: web.Request) -> web.Response:
    """The backlog now, the largest so far and its limit, the errors logged, and the CPU time this
    process has used (all its threads: SQLite's work runs in aiosqlite's)."""
    found = {"cpu_ms": int(time.process_time() * 1000), "errors": _ErrorCount.count}
    for inbox in SERVED:
        found |= {"held": inbox.held, "most_held": inbox.most_held, "limit": inbox.limit}
    return web.json_response(found)


async def _start(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1]


async def serve(kind: str, db: Path) -> None:
    """Start the fake Web API (its own process), the stats endpoint and the app; print the app's,
    the stats' and the fake API's ports; run forever."""
    logging.getLogger().addHandler(_ErrorCount(logging.ERROR))
    fake = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench._fake_slack", stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert fake.stdout is not None
    fake_port = int(await fake.stdout.readline())
    stats = web.Application()
    stats.router.add_get("/stats", _stats)
    _, stats_port = await _start(stats)
    client = AsyncWebClient(token="xoxb-bench", base_url=f"http://127.0.0.1:{fake_port}/api/")
    if kind == "bare":
        bolt = AsyncApp(client=client, signing_secret=SECRET, process_before_response=True)

        async def ack_only(ack: Any) -> None:
            await ack()

        bolt.command("/ladder")(ack_only)
        bolt.event("message")(ack_only)
        bolt.event("reaction_added")(ack_only)
        _, port = await _start(bolt.web_app(path="/slack/events"))
        print(port, stats_port, fake_port, flush=True)
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
            print(port, stats_port, fake_port, flush=True)
            await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], Path(sys.argv[2])))
