"""Request signing, mention injection and the 3-second ack: what keeps the app safe and quick."""

import asyncio
import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient, TestServer
from db import migrated_database_url
from fake_slack import FakeSlack
from slack_harness import HELP_CHANNEL, SECRET, SlackHarness, payload, signed_headers
from sqlmodel import func, select

from bot.database import create_engine, session_factory
from bot.inbox import DatabaseStore, Inbox
from bot.slack import build_bot, create_client
from handlers.kernel import ChatPort, Context, Event, Message
from models import Member

LIVE_INJECTION = re.compile(r"<!(channel|here|everyone|subteam\^S1)[|>]|<@U999>")
INJECTED = "Help <!channel> <!here> <!everyone> <!subteam^S1> <@U999> please"


async def members(slack: SlackHarness) -> int:
    """How many members the database holds."""
    async with slack.runtime.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(Member))).one())


def command_body(slack: SlackHarness, text: str = "ask am I in?") -> bytes:
    """A form-encoded /ladder command as Slack posts it."""
    form = payload("slash_command") | {"text": text, "response_url": slack.fake.response_url()}
    return urlencode(form).encode()


async def post_raw(slack: SlackHarness, body: bytes, headers: dict[str, str]) -> int:
    """POST without the harness's signing; return the status after the work settles."""
    response = await slack.http.post("/slack/events", data=body, headers=headers)
    await slack.bot.background.drain()
    return int(response.status)


async def assert_rejected(slack: SlackHarness, headers: dict[str, str]) -> None:
    """401, no Web API call, no reply, nothing stored."""
    assert await post_raw(slack, command_body(slack), headers) == 401
    assert slack.fake.calls == []
    assert await members(slack) == 0


async def test_missing_signature_is_rejected(slack: SlackHarness) -> None:
    """A request without Slack's signature headers changes nothing."""
    await assert_rejected(slack, {"Content-Type": "application/x-www-form-urlencoded"})


async def test_wrong_signature_is_rejected(slack: SlackHarness) -> None:
    """A request signed with another secret changes nothing."""
    headers = signed_headers(
        command_body(slack), "application/x-www-form-urlencoded", secret="not-the-secret"
    )
    await assert_rejected(slack, headers)


async def test_stale_signature_is_rejected(slack: SlackHarness) -> None:
    """A correctly signed request older than 5 minutes (a replay) changes nothing."""
    stale = int(time.time()) - 5 * 60 - 10
    headers = signed_headers(command_body(slack), "application/x-www-form-urlencoded", timestamp=stale)
    await assert_rejected(slack, headers)


async def test_tampered_body_is_rejected(slack: SlackHarness) -> None:
    """A signature for one body does not cover another."""
    headers = signed_headers(command_body(slack, "help"), "application/x-www-form-urlencoded")
    await assert_rejected(slack, headers)


async def test_signed_event_with_bad_signature_is_rejected_too(slack: SlackHarness) -> None:
    """Events are checked like commands: a forged team_join welcomes nobody."""
    body = json.dumps(payload("event_team_join")).encode()
    headers = signed_headers(body, "application/json", secret="forged")
    assert await post_raw(slack, body, headers) == 401
    assert slack.fake.calls == []


def assert_nothing_live(calls: Sequence[object]) -> None:
    """No outbound text or block carries a live mass mention or a stranger's mention."""
    for call in calls:
        shown = call.all_text  # type: ignore[attr-defined]
        assert not LIVE_INJECTION.search(shown), shown


async def test_injected_mentions_in_ask_never_reach_slack_live(slack: SlackHarness) -> None:
    """A question full of <!channel>/<!here>/<!everyone>/<!subteam^…>/<@U…> pings nobody, in
    the ephemeral reply, the channel post, or the managers' DM."""
    await slack.command("help", user="U0ADMIN")
    await slack.command(f"ask {INJECTED}", channel=HELP_CHANNEL)
    (posted,) = [c for c in slack.fake.to("chat.postMessage") if c.args["channel"] == HELP_CHANNEL]
    assert "channel" in posted.args["text"] and "U999" in posted.args["text"]
    assert len(slack.fake.outbound()) >= 3
    assert_nothing_live(slack.fake.outbound())
    for call in slack.fake.to("chat.postMessage"):
        assert call.args.get("link_names") in (False, "false", "0", 0)


async def test_injected_mentions_in_help_channel_messages_and_replies(slack: SlackHarness) -> None:
    """The same text posted in #help and answered in its thread is repeated inert everywhere."""
    await slack.command("help", user="U0ADMIN")
    root = await slack.message(INJECTED)
    await slack.message(f"Answer: {INJECTED}", user="U0HELPER", thread=root)
    await slack.click("ladder:accept_answer", "1")
    await slack.message("Help channel here everyone please", user="U0NEWBIE")
    assert len(slack.fake.outbound()) >= 3
    assert_nothing_live(slack.fake.outbound())


async def test_injected_mentions_in_a_call_title(slack: SlackHarness) -> None:
    """A call title is posted in a channel: it cannot ping the channel either."""
    await slack.command('call new "Help <!channel> <@U999>" need=2 post=yes', user="U0ADMIN")
    assert slack.fake.to("chat.postMessage")
    assert_nothing_live(slack.fake.outbound())


class SlowService:
    """A service whose command waits until released, to show the ack does not wait for it."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def command(self, ctx: Context, text: str, *, receipt: str | None = None) -> list[Message]:
        """Wait, then answer."""
        await self.release.wait()
        return [Message(text="done")]

    async def action(
        self, ctx: Context, name: str, value: str, *, receipt: str | None = None
    ) -> list[Message]:
        """Not used."""
        return []

    async def events(self, events: Sequence[Event]) -> None:
        """Not used."""


async def test_command_is_acked_before_slow_work_finishes(fake: FakeSlack, tmp_path: Path) -> None:
    """Slack's 3-second limit: the HTTP ack returns while the core is still working."""
    service = SlowService()

    def make(port: ChatPort) -> SlowService:
        return service

    engine = create_engine(migrated_database_url(tmp_path))
    inbox = Inbox(DatabaseStore(session_factory(engine)), "slack")
    bot = build_bot(create_client("xoxb-1", fake.base_url), SECRET, make, inbox)
    form = payload("slash_command") | {"response_url": fake.response_url()}
    body = urlencode(form).encode()
    async with TestClient(TestServer(bot.app.web_app(), host="127.0.0.1")) as http:
        response = await asyncio.wait_for(
            http.post(
                "/slack/events",
                data=body,
                headers=signed_headers(body, "application/x-www-form-urlencoded"),
            ),
            timeout=3,
        )
        assert response.status == 200
        assert fake.to("response_url") == []
        service.release.set()
        await bot.background.drain()
    await inbox.close()
    await engine.dispose()
    assert [c.args["text"] for c in fake.to("response_url")] == ["done"]
