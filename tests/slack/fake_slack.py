"""A local fake of Slack's Web API on an ephemeral loopback port, recording every call.

It answers the methods Ladder and Bolt use in Slack's own shapes, serves ``response_url``
posts, the files v2 upload URL and a Socket Mode WebSocket, and can be told to fail a method
(``fail``), rate-limit it with HTTP 429 and ``Retry-After`` (``throttle``), or answer every
method with one error (``outage = "invalid_auth"``, as when a token is revoked).
"""

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

TEAM_ID = "T0LADDER"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"


@dataclass
class Call:
    """One request the fake received: the Web API method (or ``response_url``/``upload``)."""

    method: str
    args: dict[str, Any]
    token: str = ""
    result: dict[str, Any] = field(default_factory=dict)

    def json_arg(self, name: str) -> Any:
        """An argument Slack sends JSON-encoded in forms (``blocks``, ``view``, ``users``)."""
        value = self.args.get(name)
        return json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value

    @property
    def blocks(self) -> list[dict[str, Any]]:
        """The Block Kit blocks sent with a message (or a published view)."""
        view = self.json_arg("view")
        if isinstance(view, dict):
            return list(view.get("blocks") or [])
        return list(self.json_arg("blocks") or [])

    @property
    def all_text(self) -> str:
        """Every text the call would show: fallback text and each block's text, as sent."""
        return str(self.args.get("text", "")) + "\n" + json.dumps(self.blocks, ensure_ascii=False)


@dataclass
class FakeSlack:
    """The fake Web API server. ``base_url`` is what ``AsyncWebClient(base_url=…)`` wants."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    usergroups: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    _failures: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _throttles: dict[str, list[int]] = field(default_factory=dict)
    missing_channels: set[str] = field(default_factory=set)
    outage: str = ""
    _serial: int = 0
    _runner: web.AppRunner | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _socket_ready: asyncio.Event = field(default_factory=asyncio.Event)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0

    @property
    def url(self) -> str:
        """The server's root URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The Web API base URL, with the trailing slash slack_sdk needs."""
        return f"{self.url}/api/"

    def response_url(self, name: str = "cmd") -> str:
        """A ``response_url`` that lands on this fake."""
        return f"{self.url}/response/{name}"

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a port the OS picks."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Close sockets and the server."""
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- steering -------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str = "",
        *,
        admin: bool = False,
        bot: bool = False,
        owner: bool = False,
    ) -> None:
        """Make ``users.info`` know a member (with Slack's admin/owner/bot flags)."""
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name or user_id.lower(),
            "real_name": name or user_id,
            "is_admin": admin,
            "is_owner": owner,
            "is_primary_owner": False,
            "is_bot": bot,
            "deleted": False,
            "profile": {"display_name": name, "real_name": name or user_id},
        }

    def fail(self, method: str, error: str, times: int = 1, **detail: str) -> None:
        """Answer the next ``times`` calls of ``method`` with ``{"ok": false, "error": …}`` and
        any ``detail`` Slack adds (``missing_scope`` names the scope ``needed``)."""
        self._failures.setdefault(method, []).extend([{"error": error, **detail}] * times)

    def throttle(self, method: str, retry_after: int = 0, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with HTTP 429 and ``Retry-After``."""
        self._throttles.setdefault(method, []).extend([retry_after] * times)

    def to(self, method: str) -> list[Call]:
        """The recorded calls of one method, in order."""
        return [c for c in self.calls if c.method == method]

    def outbound(self) -> list[Call]:
        """Calls that show something to someone (messages, ephemeral replies, views, uploads)."""
        shown = {
            "chat.postMessage",
            "chat.postEphemeral",
            "chat.update",
            "views.publish",
            "response_url",
            "files.completeUploadExternal",
        }
        return [c for c in self.calls if c.method in shown]

    def clear(self) -> None:
        """Forget recorded calls."""
        self.calls.clear()

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        """Push a Socket Mode envelope to the connected client."""
        await asyncio.wait_for(self._socket_ready.wait(), 5)
        await self._sockets[-1].send_str(json.dumps(envelope))

    async def wait_for(self, predicate: Callable[[], bool]) -> None:
        """Wait (at most 5 s) until ``predicate()`` holds: Socket Mode returns no response."""
        async with asyncio.timeout(5):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()

    # --- handlers -------------------------------------------------------------------------

    @staticmethod
    async def _args(request: web.Request) -> dict[str, Any]:
        """Arguments from the query string (``params=``) and the form or JSON body."""
        args: dict[str, Any] = dict(request.query)
        if request.method != "POST":
            return args
        if request.content_type == "application/json":
            body = await request.json()
            args.update(body if isinstance(body, dict) else {})
        else:
            args.update(parse_qsl((await request.read()).decode(), keep_blank_values=True))
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        token = token or str(args.get("token", ""))
        call = Call(method, args, token)
        self._record(call)
        throttled = self._throttles.get(method)
        if throttled:
            retry_after = throttled.pop(0)
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(retry_after)},
            )
        if self.outage:
            return web.json_response({"ok": False, "error": self.outage})
        failures = self._failures.get(method)
        if failures:
            return web.json_response({"ok": False, **failures.pop(0)})
        answer = self._answers().get(method)
        if answer is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        call.result = answer(call)
        return web.json_response(call.result)

    async def _response(self, request: web.Request) -> web.Response:
        self._record(Call("response_url", dict(await request.json())))
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        self.uploads[file_id] = await request.read()
        self._record(Call("upload", {"file_id": file_id, "size": len(self.uploads[file_id])}))
        return web.Response(text="OK - " + str(len(self.uploads[file_id])))

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0LADDER"}})
        )
        self._socket_ready.set()
        async for frame in ws:
            if frame.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(frame.data))
                self._changed.set()
        return ws

    # --- Web API methods (Slack's response shapes) ----------------------------------------

    def _answers(self) -> dict[str, Callable[[Call], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "views.publish": self._views_publish,
            "usergroups.list": self._usergroups_list,
            "usergroups.create": self._usergroups_create,
            "usergroups.users.update": self._usergroups_users_update,
            "usergroups.disable": self._usergroups_disable,
            "usergroups.enable": self._usergroups_enable,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
            "apps.connections.open": self._apps_connections_open,
        }

    def _next_ts(self) -> str:
        self._serial += 1
        return f"1700000000.{self._serial:06d}"

    def _auth_test(self, call: Call) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://ladder-test.slack.com/",
            "team": "Ladder Test",
            "user": "ladder",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _users_info(self, call: Call) -> dict[str, Any]:
        user = self.users.get(str(call.args.get("user")))
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}

    def _conversations_open(self, call: Call) -> dict[str, Any]:
        users = str(call.args.get("users", ""))
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0]}}

    def _conversations_info(self, call: Call) -> dict[str, Any]:
        channel = str(call.args.get("channel", ""))
        if channel in self.missing_channels:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": {"id": channel, "name": channel.lower(), "is_channel": True}}

    def _chat_post_message(self, call: Call) -> dict[str, Any]:
        ts = self._next_ts()
        return {
            "ok": True,
            "channel": call.args.get("channel"),
            "ts": ts,
            "message": {
                "type": "message",
                "text": call.args.get("text", ""),
                "ts": ts,
                "bot_id": BOT_ID,
                "user": BOT_USER_ID,
            },
        }

    def _chat_post_ephemeral(self, call: Call) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, call: Call) -> dict[str, Any]:
        return {
            "ok": True,
            "channel": call.args.get("channel"),
            "ts": call.args.get("ts"),
            "text": call.args.get("text", ""),
        }

    def _views_publish(self, call: Call) -> dict[str, Any]:
        return {
            "ok": True,
            "view": {"id": "V0HOME", "type": "home", **(call.json_arg("view") or {})},
        }

    def _usergroups_list(self, call: Call) -> dict[str, Any]:
        return {"ok": True, "usergroups": [dict(g) for g in self.usergroups]}

    def _usergroups_create(self, call: Call) -> dict[str, Any]:
        group = {
            "id": f"S{len(self.usergroups) + 1:04d}",
            "team_id": TEAM_ID,
            "name": call.args.get("name"),
            "handle": call.args.get("handle"),
            "description": call.args.get("description", ""),
            "date_delete": 0,
            "users": [],
        }
        self.usergroups.append(group)
        return {"ok": True, "usergroup": dict(group)}

    def _group(self, call: Call) -> dict[str, Any] | None:
        return next((g for g in self.usergroups if g["id"] == call.args.get("usergroup")), None)

    def _usergroups_users_update(self, call: Call) -> dict[str, Any]:
        group = self._group(call)
        if group is None:
            return {"ok": False, "error": "no_such_subteam"}
        users = call.json_arg("users")
        group["users"] = users if isinstance(users, list) else str(users).split(",")
        return {"ok": True, "usergroup": dict(group)}

    def _usergroups_disable(self, call: Call) -> dict[str, Any]:
        group = self._group(call)
        if group is None:
            return {"ok": False, "error": "no_such_subteam"}
        group["date_delete"] = 1700000000
        return {"ok": True, "usergroup": dict(group)}

    def _usergroups_enable(self, call: Call) -> dict[str, Any]:
        group = self._group(call)
        if group is None:
            return {"ok": False, "error": "no_such_subteam"}
        group["date_delete"] = 0
        return {"ok": True, "usergroup": dict(group)}

    def _files_get_upload_url_external(self, call: Call) -> dict[str, Any]:
        file_id = f"F{len(self.to('files.getUploadURLExternal')):04d}"
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload_external(self, call: Call) -> dict[str, Any]:
        files = call.json_arg("files") or []
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def _apps_connections_open(self, call: Call) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
