"""A local fake of Discord's REST API and gateway, on loopback and an ephemeral port.

discord.py logs in, connects and receives events from it exactly as from Discord: HELLO →
IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME after a RECONNECT. Every REST call the
client makes is recorded (method, path, JSON body or ``payload_json``, uploaded file names) so
tests assert on what a real server would have received. Payload shapes live in
``tests/payloads/discord/``.
"""

import asyncio
import copy
import itertools
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

PAYLOADS = Path(__file__).parent.parent / "payloads" / "discord"
API_PREFIX = "/api/v10"
EPHEMERAL = 64


def payload(name: str) -> dict[str, Any]:
    """A captured payload shape, as a fresh dict."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return data


WORLD = payload("guild_create")
GUILD = WORLD["id"]
BOT = payload("ready")["user"]["id"]
CHANNELS = {c["name"]: c["id"] for c in WORLD["channels"]}
ROLES = {r["name"]: r["id"] for r in WORLD["roles"]}
USERS = {m["user"]["username"]: m["user"] for m in WORLD["members"]}
MEMBERS = {m["user"]["username"]: m for m in WORLD["members"]}
OTHER_GUILD = "900000000000000900"


def uid(name: str) -> str:
    """A test member's user id."""
    return str(USERS[name]["id"])


def now_iso() -> str:
    """A Discord timestamp for now."""
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class Request:
    """One REST call the client made."""

    method: str
    path: str
    body: Any
    files: tuple[str, ...] = ()
    query: dict[str, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)

    @property
    def content(self) -> str:
        """The message text: content plus embed titles, descriptions and fields."""
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        if not isinstance(data, dict):
            return ""
        parts = [data.get("content") or ""]
        for embed in data.get("embeds") or []:
            parts += [embed.get("title", ""), embed.get("description", "")]
            parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
        return "\n".join(p for p in parts if p)

    @property
    def flags(self) -> int:
        """The message flags (64 = ephemeral)."""
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        return int(data.get("flags") or 0) if isinstance(data, dict) else 0

    @property
    def custom_ids(self) -> list[str]:
        """Every button custom id in the message."""
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        rows = data.get("components") or [] if isinstance(data, dict) else []
        return [c["custom_id"] for row in rows for c in row.get("components", []) if "custom_id" in c]


Handler = Callable[[web.Request, re.Match[str], Any, tuple[str, ...]], Awaitable[web.Response]]


def reply(data: Any, status: int = 200) -> web.Response:
    """A JSON reply with the content type discord.py insists on (no charset)."""
    if status == 204:
        return web.Response(status=204)
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )


def refused() -> web.Response:
    """Discord's answer when the bot lacks a permission."""
    return reply({"message": "Missing Permissions", "code": 50013}, status=403)


class FakeDiscord:
    """The fake server; ``forbid_roles`` makes role changes fail as without Manage Roles, and
    :meth:`add_other_server` adds Ladder to a second server some members share."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.forbid_roles = False
        self.refuse_intents = False
        self.closed_dms: set[str] = set()
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.connected = asyncio.Event()
        self._recorded = asyncio.Condition()
        self._current = Request("", "", None)
        self._ids = itertools.count(1_200_000_000_000_000_000)
        self._seq = 0
        self._ws: web.WebSocketResponse | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(r"/users/@me"), self._me),
            ("GET", re.compile(r"/oauth2/applications/@me"), self._application),
            ("PUT", re.compile(r"/applications/\d+(/guilds/\d+)?/commands"), self._sync),
            ("POST", re.compile(r"/interactions/(\d+)/([^/]+)/callback"), self._callback),
            ("POST", re.compile(r"/webhooks/\d+/([^/]+)"), self._followup),
            ("PATCH", re.compile(r"/webhooks/\d+/([^/]+)/messages/@original"), self._edit_original),
            ("POST", re.compile(r"/channels/(\d+)/messages"), self._create_message),
            ("PATCH", re.compile(r"/channels/(\d+)/messages/(\d+)"), self._edit_message),
            ("GET", re.compile(r"/channels/(\d+)/messages"), self._history),
            ("POST", re.compile(r"/channels/(\d+)/messages/(\d+)/threads"), self._start_thread),
            ("GET", re.compile(r"/channels/(\d+)"), self._get_channel),
            ("POST", re.compile(r"/users/@me/channels"), self._open_dm),
            ("POST", re.compile(r"/guilds/(\d+)/roles"), self._create_role),
            ("PUT", re.compile(r"/guilds/(\d+)/members/(\d+)/roles/(\d+)"), self._add_role),
            ("DELETE", re.compile(r"/guilds/(\d+)/members/(\d+)/roles/(\d+)"), self._remove_role),
            ("GET", re.compile(r"/guilds/(\d+)/members/(\d+)"), self._get_member),
        ]
        self.member_roles: dict[str, list[str]] = {
            str(m["user"]["id"]): list(m["roles"]) for m in WORLD["members"]
        }
        self.created_roles: list[dict[str, Any]] = []
        self.newcomers: dict[str, dict[str, Any]] = {}
        self.dm_channels: dict[str, str] = {}
        self.said: dict[str, list[dict[str, Any]]] = {}
        self.threads: list[dict[str, Any]] = []
        self.throttle_history = 0
        self.sends_open = asyncio.Event()
        self.sends_open.set()
        self.sends_held = 0
        self.other_servers: list[dict[str, Any]] = []
        self.other_roles: dict[tuple[str, str], list[str]] = {}

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """What DISCORD_API_URL should be."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """What DISCORD_GATEWAY_URL should be."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        """Listen on 127.0.0.1, on a port the OS picks."""
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        """Stop serving."""
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def next_id(self) -> str:
        """A fresh snowflake."""
        return str(next(self._ids))

    # --- gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for frame in ws:
            if frame.type is not WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            if message["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif message["op"] == 2:
                self.identifies.append(message["d"])
                if self.refuse_intents:
                    await ws.close(code=4014, message=b"Disallowed intent(s).")
                    break
                await self._identify()
            elif message["op"] == 6:
                self.resumes.append(message["d"])
                await self.dispatch("RESUMED", {})
                self.connected.set()
        return ws

    async def _identify(self) -> None:
        ready = payload("ready")
        ready["session_id"] = f"session-{len(self.identifies)}"
        ready["resume_gateway_url"] = self.gateway_url
        self._seq = 0
        await self.dispatch("READY", ready)
        world = copy.deepcopy(WORLD)
        for member in world["members"]:
            member["roles"] = self.member_roles[str(member["user"]["id"])]
        world["roles"] += self.created_roles
        world["threads"] = copy.deepcopy(self.threads)
        await self.dispatch("GUILD_CREATE", world)
        for server in self.other_servers:
            await self.dispatch("GUILD_CREATE", self._with_roles(server))
        self.connected.set()

    async def add_other_server(self, *usernames: str) -> str:
        """Ladder is added to a second server (GUILD_CREATE) that the named members are in too;
        it has Ladder's role with the same rights, and no channels. Returns its id."""
        server = copy.deepcopy(WORLD)
        everyone, ladder = (
            next(r for r in WORLD["roles"] if r["name"] == n) for n in ("@everyone", "Ladder")
        )
        ladder_role = {**ladder, "id": self.next_id()}
        server.update(
            id=OTHER_GUILD,
            name="Other server",
            roles=[{**everyone, "id": OTHER_GUILD}, ladder_role],
            channels=[],
            threads=[],
            members=[{**MEMBERS[name], "roles": []} for name in ("ladder", *usernames)],
            member_count=1 + len(usernames),
            system_channel_id=None,
            rules_channel_id=None,
        )
        server.pop("unavailable")  # a server joined after READY: discord.py dispatches guild_join
        self.other_roles[(OTHER_GUILD, BOT)] = [ladder_role["id"]]
        self.other_servers.append(server)
        await self.dispatch("GUILD_CREATE", self._with_roles(server))
        return OTHER_GUILD

    def _with_roles(self, server: dict[str, Any]) -> dict[str, Any]:
        """Another server as it stands, with its members' roles now."""
        server = copy.deepcopy(server)
        for member in server["members"]:
            member["roles"] = self._roles_of(server["id"], str(member["user"]["id"]))
        return server

    def _roles_of(self, guild_id: str, user_id: str) -> list[str]:
        """A member's role ids in one server (the main one keeps them in ``member_roles``)."""
        if guild_id == GUILD:
            return self.member_roles.setdefault(user_id, [])
        return self.other_roles.setdefault((guild_id, user_id), [])

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH (op 0) to the connected client."""
        assert self._ws is not None, "no client is connected"
        self._seq += 1
        await self._ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def reconnect(self) -> None:
        """Ask the client to reconnect (op 7); it comes back with RESUME."""
        assert self._ws is not None
        self.connected.clear()
        await self._ws.send_str(json.dumps({"op": 7, "d": None}))
        await asyncio.wait_for(self.connected.wait(), 5)

    # --- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body, files = await self._body(request)
        recorded = Request(request.method, path, body, files, dict(request.query))
        response = reply({"message": f"fake Discord has no {request.method} {path}", "code": 0}, 404)
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if method == request.method and match:
                self._current = recorded
                response = await handler(request, match, body, files)
                break
        async with self._recorded:
            self.requests.append(recorded)
            self._recorded.notify_all()
        return response

    async def _body(self, request: web.Request) -> tuple[Any, tuple[str, ...]]:
        if request.content_type.startswith("multipart/"):
            body: Any = None
            files: list[str] = []
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":  # type: ignore[union-attr]
                    body = json.loads(await part.text())  # type: ignore[union-attr]
                else:
                    files.append(part.filename or "")  # type: ignore[union-attr]
                    await part.read()  # type: ignore[union-attr]
            return body, tuple(files)
        text = await request.text()
        return (json.loads(text) if text else None), ()

    def message(self, channel_id: str, body: dict[str, Any], files: tuple[str, ...] = ()) -> dict[str, Any]:
        """Store and return the message Discord would create from a send."""
        data = payload("message_create")
        data.update(
            id=self.next_id(),
            channel_id=channel_id,
            author=USERS["ladder"],
            content=body.get("content") or "",
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            flags=body.get("flags") or 0,
            timestamp=now_iso(),
            attachments=[
                {
                    "id": self.next_id(),
                    "filename": f,
                    "size": 1,
                    "url": f"https://cdn/{f}",
                    "proxy_url": f"https://cdn/{f}",
                }
                for f in files
            ],
        )
        data.pop("member", None)
        self.messages[data["id"]] = data
        self._current.created.append(data["id"])
        return data

    async def _me(self, request: web.Request, *_: Any) -> web.Response:
        if request.headers.get("Authorization") != "Bot fake-token":
            return reply({"message": "401: Unauthorized", "code": 0}, 401)
        return reply(payload("ready")["user"])

    async def _application(self, *_: Any) -> web.Response:
        return reply(payload("application"))

    async def _sync(self, _r: web.Request, _m: re.Match[str], body: Any, _f: Any) -> web.Response:
        return reply([{**c, "id": self.next_id(), "application_id": BOT, "version": "1"} for c in body])

    async def _callback(self, _r: web.Request, m: re.Match[str], body: Any, files: Any) -> web.Response:
        kind = body["type"]
        interaction = {"id": m[1], "type": 2, "response_message_loading": kind == 5}
        if kind in (4, 5, 7):
            message = self.message("0", body.get("data") or {}, files)
            interaction["response_message_id"] = message["id"]
            interaction["response_message_ephemeral"] = bool(message["flags"] & EPHEMERAL)
            return reply({"interaction": interaction, "resource": {"type": kind, "message": message}})
        return reply({"interaction": interaction})

    async def _followup(self, _r: web.Request, _m: re.Match[str], body: Any, files: Any) -> web.Response:
        return reply(self.message("0", body, files))

    async def _edit_original(self, _r: web.Request, _m: re.Match[str], body: Any, files: Any) -> web.Response:
        return reply(self.message("0", body, files))

    async def _create_message(self, _r: web.Request, m: re.Match[str], body: Any, files: Any) -> web.Response:
        async with self._recorded:
            self.sends_held += 1
            self._recorded.notify_all()
        await self.sends_open.wait()  # a test clears it to hold every send, as a slow Discord would
        self.sends_held -= 1
        if m[1] in {self.dm_channels.get(user) for user in self.closed_dms}:
            return reply({"message": "Cannot send messages to this user", "code": 50007}, 403)
        return reply(self.message(m[1], body, files))

    async def _edit_message(self, _r: web.Request, m: re.Match[str], body: Any, files: Any) -> web.Response:
        data = self.messages.get(m[2]) or self.message(m[1], {})
        data.update({k: v for k, v in body.items() if k in ("content", "embeds", "components")})
        return reply(data)

    async def _start_thread(self, _r: web.Request, m: re.Match[str], body: Any, _f: Any) -> web.Response:
        thread = payload("thread_create")
        thread.update(id=m[2], parent_id=m[1], name=body.get("name", "thread"), owner_id=BOT)
        thread.pop("member", None)
        await self.dispatch("THREAD_CREATE", thread)
        return reply(thread)

    async def _history(self, request: web.Request, m: re.Match[str], *_: Any) -> web.Response:
        """``GET /channels/{id}/messages?after=&limit=``: the oldest ``limit`` messages after an id,
        newest first as Discord sends them; answers 429 while ``throttle_history`` lasts."""
        if self.throttle_history > 0:
            self.throttle_history -= 1
            limited = {"message": "You are being rate limited.", "retry_after": 0.05, "global": False}
            response = reply(limited, 429)
            response.headers["Via"] = "1.1 google"  # discord.py takes a 429 without it for a ban
            return response
        after = int(request.query.get("after", "0"))
        limit = int(request.query.get("limit", "50"))
        later = [message for message in self.said.get(m[1], []) if int(message["id"]) > after]
        later.sort(key=lambda message: int(message["id"]))
        return reply(list(reversed(later[:limit])))

    async def _get_channel(self, _r: web.Request, m: re.Match[str], *_: Any) -> web.Response:
        for channel in WORLD["channels"]:
            if channel["id"] == m[1]:
                return reply(channel)
        return reply({"message": "Unknown Channel", "code": 10003}, 404)

    async def _open_dm(self, _r: web.Request, _m: re.Match[str], body: Any, _f: Any) -> web.Response:
        user_id = str(body["recipient_id"])
        user = next(u for u in [*USERS.values(), *self.newcomers.values()] if u["id"] == user_id)
        channel_id = self.dm_channels.setdefault(user_id, self.next_id())
        return reply({"id": channel_id, "type": 1, "recipients": [user], "last_message_id": None})

    async def _create_role(self, _r: web.Request, m: re.Match[str], body: Any, _f: Any) -> web.Response:
        if self.forbid_roles:
            return refused()
        role = {
            **payload("guild_create")["roles"][1],
            "id": self.next_id(),
            "name": body["name"],
            "position": 1,
        }
        if m[1] == GUILD:
            self.created_roles.append(role)
        else:
            next(s for s in self.other_servers if s["id"] == m[1])["roles"].append(role)
        await self.dispatch("GUILD_ROLE_CREATE", {"guild_id": m[1], "role": role})
        return reply(role)

    async def _add_role(self, _r: web.Request, m: re.Match[str], *_: Any) -> web.Response:
        if self.forbid_roles:
            return refused()
        roles = self._roles_of(m[1], m[2])
        if m[3] not in roles:
            roles.append(m[3])
        await self._member_update(m[1], m[2])
        return reply(None, 204)

    async def _remove_role(self, _r: web.Request, m: re.Match[str], *_: Any) -> web.Response:
        if self.forbid_roles:
            return refused()
        roles = self._roles_of(m[1], m[2])
        if m[3] in roles:
            roles.remove(m[3])
        await self._member_update(m[1], m[2])
        return reply(None, 204)

    async def _member_update(self, guild_id: str, user_id: str) -> None:
        user = next((u for u in USERS.values() if u["id"] == user_id), None)
        if user is not None:
            await self.dispatch(
                "GUILD_MEMBER_UPDATE",
                {
                    "guild_id": guild_id,
                    "user": user,
                    "roles": self._roles_of(guild_id, user_id),
                    "joined_at": MEMBERS[user["username"]]["joined_at"],
                },
            )

    async def _get_member(self, _r: web.Request, m: re.Match[str], *_: Any) -> web.Response:
        for member in WORLD["members"]:
            if member["user"]["id"] == m[2]:
                return reply({**member, "roles": self.member_roles[m[2]]})
        return reply({"message": "Unknown Member", "code": 10007}, 404)

    # --- what tests look at ----------------------------------------------------------------

    def find(self, method: str, pattern: str) -> list[Request]:
        """Recorded calls whose path fully matches a regex."""
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    async def wait_for(self, method: str, pattern: str, count: int = 1) -> list[Request]:
        """Wait (at most 5 s) until ``count`` matching calls were made; return them."""
        return await self._wait(lambda r: r.method == method and bool(re.fullmatch(pattern, r.path)), count)

    async def wait_for_any(self, pattern: str, count: int = 1) -> list[Request]:
        """Wait (at most 5 s) until ``count`` calls of any method hit a path; return them."""
        return await self._wait(lambda r: bool(re.fullmatch(pattern, r.path)), count)

    async def _wait(self, wanted: Callable[[Request], bool], count: int) -> list[Request]:
        async with asyncio.timeout(5), self._recorded:
            await self._recorded.wait_for(lambda: len([r for r in self.requests if wanted(r)]) >= count)
        return [r for r in self.requests if wanted(r)]

    async def wait_sends_held(self, count: int) -> None:
        """Wait (at most 5 s) until ``count`` sends are held at once (``sends_open`` cleared)."""
        async with asyncio.timeout(5), self._recorded:
            await self._recorded.wait_for(lambda: self.sends_held >= count)

    def dms(self, user_id: str) -> list[Request]:
        """Messages the bot sent in a member's DM channel."""
        channel = self.dm_channels.get(user_id)
        return [r for r in self.requests if r.method == "POST" and r.path == f"/channels/{channel}/messages"]

    async def wait_dms(self, user_id: str, count: int = 1) -> list[Request]:
        """Wait until the bot sent ``count`` DMs to a member; return all of them."""
        await self._wait(
            lambda r: r.method == "POST" and r.path == f"/channels/{self.dm_channels.get(user_id)}/messages",
            count,
        )
        return self.dms(user_id)

    async def wait_dm(self, user_id: str, containing: str) -> Request:
        """Wait for the bot's DM to a member that contains some text; return it."""

        def channel() -> str:
            return f"/channels/{self.dm_channels.get(user_id)}/messages"

        (found, *_) = await self._wait(
            lambda r: r.method == "POST" and r.path == channel() and containing in r.content, 1
        )
        return found

    # --- what members do -------------------------------------------------------------------

    async def say(
        self,
        who: str,
        content: str,
        channel: str | int = "help",
        *,
        message_id: str | None = None,
        replying_to: str | None = None,
        mentioning: tuple[str, ...] = (),
        delivered: bool = True,
    ) -> str:
        """A member posts a message (in a channel by name, or a thread by id), optionally as an
        inline reply and mentioning members by name; returns its id. The channel's history keeps
        it; ``delivered=False`` keeps it there only, as for a bot that was down or whose session
        dropped."""
        data = payload("message_create")
        channel_id = CHANNELS[channel] if isinstance(channel, str) else str(channel)
        data.update(
            id=message_id or self.next_id(),
            channel_id=channel_id,
            author=USERS[who],
            content=content,
            timestamp=now_iso(),
            mentions=[USERS[name] for name in mentioning],
        )
        data["member"]["roles"] = self.member_roles[uid(who)]
        if replying_to is not None:
            data.update(
                type=19,
                message_reference={
                    "type": 0,
                    "message_id": replying_to,
                    "channel_id": channel_id,
                    "guild_id": GUILD,
                },
            )
        stored = copy.deepcopy(data)
        stored.pop("member", None)
        self.said.setdefault(channel_id, []).append(stored)
        if delivered:
            await self.dispatch("MESSAGE_CREATE", data)
        return str(data["id"])

    async def open_forum_post(self, who: str, title: str, content: str) -> str:
        """A member opens a post in the help forum: THREAD_CREATE, then its starter message."""
        thread = payload("thread_create")
        thread_id = self.next_id()
        thread.update(id=thread_id, name=title, owner_id=uid(who), parent_id=CHANNELS["help-forum"])
        thread["member"].update(id=thread_id, user_id=uid(who))
        self.threads.append({k: v for k, v in thread.items() if k != "member"})
        await self.dispatch("THREAD_CREATE", thread)
        await self.say(who, content, int(thread_id), message_id=thread_id)
        return thread_id

    async def open_thread(self, message_id: str, channel: str = "help") -> str:
        """Someone opens a public thread under a message (THREAD_CREATE; same id as the message)."""
        thread = payload("thread_create")
        thread.update(id=message_id, parent_id=CHANNELS[channel], name="thread")
        thread.pop("member")
        self.threads.append(thread)
        await self.dispatch("THREAD_CREATE", thread)
        return message_id

    async def join(self, username: str, *, dms_open: bool = True) -> str:
        """A new member joins the server (GUILD_MEMBER_ADD); returns their id."""
        data = payload("guild_member_add")
        data["user"].update(id=self.next_id(), username=username, global_name=username.title())
        data["joined_at"] = now_iso()
        self.newcomers[username] = data["user"]
        self.member_roles[data["user"]["id"]] = []
        if not dms_open:
            self.closed_dms.add(data["user"]["id"])
        await self.dispatch("GUILD_MEMBER_ADD", data)
        return str(data["user"]["id"])

    async def react(self, who: str, message_id: str, channel: str | int = "help", emoji: str = "✅") -> None:
        """A member adds a reaction (MESSAGE_REACTION_ADD)."""
        data = payload("message_reaction_add")
        data.update(
            user_id=uid(who),
            message_id=message_id,
            channel_id=CHANNELS[channel] if isinstance(channel, str) else str(channel),
        )
        data["emoji"]["name"] = emoji
        data["member"].update(user=USERS[who], roles=self.member_roles[uid(who)])
        await self.dispatch("MESSAGE_REACTION_ADD", data)

    def _interaction(self, who: str, kind: int, data: dict[str, Any], channel: str) -> dict[str, Any]:
        body = payload("interaction_create")
        body.update(id=self.next_id(), type=kind, token=f"token-{self.next_id()}", data=data)
        body["member"].update(user=USERS[who], roles=self.member_roles[uid(who)])
        body["channel_id"] = CHANNELS[channel]
        body["channel"] = next(c for c in WORLD["channels"] if c["name"] == channel)
        return body

    async def command(
        self,
        who: str,
        path: str,
        /,
        *,
        in_channel: str = "general",
        focused: str | None = None,
        **options: Any,
    ) -> "Sent":
        """A member runs ``/ladder <path>`` with options (type 2), or autocompletes one (type 4).

        Option values: str, int or bool as given; ``Member("bob")`` and ``Channel("digest")``
        resolve like Discord's own ``resolved`` block.
        """
        resolved: dict[str, dict[str, Any]] = {}
        leaf = [self._option(name, value, resolved, name == focused) for name, value in options.items()]
        *groups, name = path.split()
        tree: list[dict[str, Any]] = [{"name": name, "type": 1, "options": leaf}]
        for group in reversed(groups):
            tree = [{"name": group, "type": 2, "options": tree}]
        data: dict[str, Any] = {"id": "1", "name": "ladder", "type": 1, "options": tree}
        if resolved:
            data["resolved"] = resolved
        body = self._interaction(who, 4 if focused else 2, data, in_channel)
        await self.dispatch("INTERACTION_CREATE", body)
        return Sent(self, body["id"])

    def _option(
        self, name: str, value: Any, resolved: dict[str, dict[str, Any]], focused: bool
    ) -> dict[str, Any]:
        option: dict[str, Any] = {"name": name}
        if focused:
            option["focused"] = True
        if isinstance(value, Member):
            user = USERS.get(value.name) or self.newcomers[value.name]
            resolved.setdefault("users", {})[user["id"]] = user
            member = {
                k: v
                for k, v in (MEMBERS.get(value.name) or {"roles": [], "joined_at": now_iso()}).items()
                if k != "user"
            }
            resolved.setdefault("members", {})[user["id"]] = {**member, "permissions": "0"}
            option.update(type=6, value=user["id"])
        elif isinstance(value, Channel):
            channel = next(c for c in WORLD["channels"] if c["name"] == value.name)
            resolved.setdefault("channels", {})[channel["id"]] = {**channel, "permissions": "0"}
            option.update(type=7, value=channel["id"])
        elif isinstance(value, bool):
            option.update(type=5, value=value)
        elif isinstance(value, int):
            option.update(type=4, value=value)
        else:
            option.update(type=3, value=value)
        return option

    async def click(self, who: str, message_id: str, custom_id: str, *, in_dm: bool = False) -> "Sent":
        """A member clicks a button on a message the bot sent earlier (type 3), in a DM or not."""
        message = copy.deepcopy(self.messages[message_id])
        data = {"custom_id": custom_id, "component_type": 2}
        body = self._interaction(who, 3, data, "general")
        if in_dm:
            for key in ("guild_id", "guild", "member"):
                body.pop(key)
            channel_id = self.dm_channels[uid(who)]
            body.update(user=USERS[who], channel_id=channel_id, context=1)
            body["channel"] = {
                "id": channel_id,
                "type": 1,
                "recipients": [USERS[who]],
                "last_message_id": None,
            }
            message["channel_id"] = channel_id
        body["message"] = message
        await self.dispatch("INTERACTION_CREATE", body)
        return Sent(self, body["id"])


@dataclass(frozen=True)
class Member:
    """A member option, by test username."""

    name: str


@dataclass(frozen=True)
class Channel:
    """A channel option, by name."""

    name: str


@dataclass(frozen=True)
class Sent:
    """An interaction the fake delivered; wait here for the bot's answers to it."""

    fake: FakeDiscord
    interaction_id: str

    async def callback(self) -> Request:
        """The interaction response (``POST /interactions/{id}/{token}/callback``)."""
        found = await self.fake.wait_for("POST", rf"/interactions/{self.interaction_id}/[^/]+/callback")
        return found[0]

    async def answers(self, count: int = 1) -> list[Request]:
        """The response plus follow-ups and edits of the original, in order (at least ``count``)."""
        first = await self.callback()
        token = first.path.split("/")[3]
        pattern = rf"/webhooks/\d+/{token}(/messages/@original)?"
        if count > 1:
            await self.fake.wait_for_any(pattern, count - 1)
        return [first, *(r for r in self.fake.requests if re.fullmatch(pattern, r.path))]

    async def text(self) -> str:
        """Everything the member was shown, joined."""
        return "\n".join(r.content for r in await self.answers())
