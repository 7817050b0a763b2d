"""Driving the Slack adapter as Slack does: captured payloads, signed requests, one harness.

Requests are signed exactly as Slack signs them and sent over HTTP to the aiohttp application
HTTP mode serves; assertions look at the HTTP status and at the calls the fake Web API recorded.
"""

import copy
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from fake_slack import Call, FakeSlack
from slack_sdk.signature import SignatureVerifier

from bot.runtime import Runtime
from bot.slack import SlackBot
from handlers.kernel import FakeClock, LadderConfig, Managers, Routing

PAYLOADS = Path(__file__).parent.parent / "payloads" / "slack"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1234-5678-ladderfaketoken"
HELP_CHANNEL = "C0HELP"
GENERAL = "C0GENERAL"
LISTED_MANAGER = "U0LISTED"


def payload(name: str) -> dict[str, Any]:
    """A captured Slack payload from tests/payloads/slack/ (a fresh copy each time)."""
    return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text()))


def signed_headers(
    body: bytes, content_type: str, *, secret: str = SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """Headers Slack sends: the request timestamp and the v0 HMAC signature of the body."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }


def ladder_config() -> LadderConfig:
    """The default ladder with #help as help channel and one manager named in the config."""
    return LadderConfig().model_copy(
        update={
            "routing": Routing(help_channels=(HELP_CHANNEL,)),
            "managers": Managers(slack=(LISTED_MANAGER,)),
        }
    )


@dataclass
class SlackHarness:
    """Drives the Slack adapter as Slack would and reads what it sent to the fake Web API."""

    fake: FakeSlack
    bot: SlackBot
    http: TestClient[Any, Any]
    clock: FakeClock
    runtime: Runtime
    sequence: int = 0

    async def send(
        self, body: bytes, content_type: str, *, headers: dict[str, str] | None = None
    ) -> ClientResponse:
        """POST a body to /slack/events, signed, then wait for the work it started."""
        sent = signed_headers(body, content_type) | (headers or {})
        response = await self.http.post("/slack/events", data=body, headers=sent)
        await response.read()
        await self.bot.background.drain()
        return response

    async def command(self, text: str, *, user: str = "U0JANE", channel: str = GENERAL) -> ClientResponse:
        """Run ``/ladder <text>`` as a member, the way Slack posts a slash command."""
        form = payload("slash_command") | {
            "text": text,
            "user_id": user,
            "user_name": user.lower(),
            "channel_id": channel,
            "response_url": self.fake.response_url(),
            "trigger_id": self.trigger_id(),
        }
        return await self.send(urlencode(form).encode(), "application/x-www-form-urlencoded")

    async def replies(self, text: str, **kwargs: Any) -> list[Call]:
        """Run a command and return the replies it sent through ``response_url``."""
        before = len(self.fake.to("response_url"))
        response = await self.command(text, **kwargs)
        assert response.status == 200
        return list(self.fake.to("response_url")[before:])

    async def reply_text(self, text: str, **kwargs: Any) -> str:
        """Run a command and return its replies' text joined, as the member reads it."""
        return "\n".join(c.args["text"] for c in await self.replies(text, **kwargs))

    def trigger_id(self) -> str:
        """A fresh ``trigger_id``: Slack gives every command and click its own."""
        self.sequence += 1
        return f"{self.sequence}.738474920.8088930838d88f008e0"

    def dms(self, user: str) -> list[Call]:
        """Messages posted in the DM channel the fake opened with ``user``."""
        return [c for c in self.fake.to("chat.postMessage") if c.args.get("channel") == "D" + user]

    async def event(
        self, envelope: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> ClientResponse:
        """Deliver an Events API envelope, stamped with the clock's time."""
        envelope.setdefault("event_time", int(self.clock.now().timestamp()))
        body = json.dumps(envelope).encode()
        return await self.send(body, "application/json", headers=headers)

    async def message(
        self,
        text: str,
        *,
        user: str = "U0JANE",
        channel: str = HELP_CHANNEL,
        thread: str | None = None,
        key: str | None = None,
    ) -> str:
        """A member posts a message (in a thread when ``thread`` is given); returns its ts."""
        envelope = payload("event_message")
        self.sequence += 1
        ts = f"{int(self.clock.now().timestamp())}.{self.sequence:06d}"
        envelope["event"] |= {"user": user, "text": text, "channel": channel, "ts": ts}
        envelope["event"]["event_ts"] = ts
        if thread is not None:
            envelope["event"]["thread_ts"] = thread
        envelope["event_id"] = key or f"Ev{ts.replace('.', '')}{user}"
        envelope["event_time"] = int(self.clock.now().timestamp())
        response = await self.event(envelope)
        assert response.status == 200
        return ts

    async def click(
        self, action: str, value: str, *, user: str = "U0JANE", home: bool = False
    ) -> ClientResponse:
        """Click a Ladder button (in a message, or in the App Home when ``home``)."""
        body = payload("block_actions_home" if home else "block_actions")
        body["trigger_id"] = self.trigger_id()
        body["user"] |= {"id": user, "username": user.lower(), "name": user.lower()}
        body["actions"][0] |= {"action_id": action, "value": value}
        if not home:
            body["response_url"] = self.fake.response_url("action")
        form = urlencode({"payload": json.dumps(body)}).encode()
        return await self.send(form, "application/x-www-form-urlencoded")
