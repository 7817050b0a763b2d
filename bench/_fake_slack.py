"""The fake Slack Web API the live benchmarks' servers call, in a process of its own.

Slack's API is on the other side of the network: serving its calls (DMs, ``chat.postMessage``,
a command's ``response_url``) on the server's own event loop charged the app under test for
Slack's work, as the Discord benchmark's in-process fake gateway did. Run as
``python -m bench._fake_slack``: prints its port, serves until its standard input closes (its
parent, the server, holds the other end: when the server is killed, the fake stops too).
"""

import asyncio
import sys
from typing import Any

from aiohttp import web


async def _fake_api(request: web.Request) -> web.Response:
    """Answer any Web API method (and a ``response_url``) with a superset of the shapes Ladder reads."""
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


async def serve() -> None:
    """Serve the fake API on a free port, print it, and stop when standard input closes."""
    api = web.Application()
    api.router.add_route("*", "/api/{method}", _fake_api)
    api.router.add_route("*", "/response/{name}", _fake_api)
    runner = web.AppRunner(api, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.to_thread(sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(serve())
