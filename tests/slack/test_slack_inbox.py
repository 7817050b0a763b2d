"""The durable inbox behind Slack's acknowledgements: an ack means the request is stored, a full
backlog refuses instead of growing, and whatever a stop left behind runs at the next start, once."""

import asyncio
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient, TestServer
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app
from slack_harness import SECRET, SlackHarness, payload, signed_headers
from slack_sdk.socket_mode.request import SocketModeRequest
from sqlalchemy import event as sa_event
from sqlmodel import func, select

from bot.inbox import DatabaseStore, Inbox
from bot.slack import SlackBot, build_bot, create_client
from handlers.kernel import ChatPort, Context, Event, Message
from handlers.service import LadderService
from models import InboxItem, Question


class HeldService:
    """The real service, except that commands wait until released (a slow core)."""

    def __init__(self, real: LadderService) -> None:
        self.real, self.release = real, asyncio.Event()

    async def command(self, ctx: Context, text: str, *, receipt: str | None = None) -> list[Message]:
        """Wait, then run the command for real."""
        await self.release.wait()
        return await self.real.command(ctx, text, receipt=receipt)

    async def action(
        self, ctx: Context, name: str, value: str, *, receipt: str | None = None
    ) -> list[Message]:
        """Run the click for real."""
        return await self.real.action(ctx, name, value, receipt=receipt)

    async def events(self, events: Sequence[Event]) -> None:
        """Record events for real."""
        await self.real.events(events)


def restarted(slack: SlackHarness, inbox: Inbox, make: Any = None) -> SlackBot:
    """A second process on the same database: a new bot, a new inbox, nothing in memory."""
    runtime, clock = slack.runtime, slack.clock

    def service(port: ChatPort) -> Any:
        return LadderService(runtime.sessions, runtime.config, port, clock)

    return build_bot(create_client("xoxb-restarted", slack.fake.base_url), SECRET, make or service, inbox)


async def inbox_rows(slack: SlackHarness) -> list[InboxItem]:
    """The rows the inbox holds now."""
    async with slack.runtime.sessions() as session:
        return list((await session.exec(select(InboxItem))).all())


def command_form(slack: SlackHarness, text: str) -> dict[str, str]:
    """A ``/ladder`` command as Slack posts it, with its own trigger id."""
    form: dict[str, str] = payload("slash_command") | {
        "text": text,
        "response_url": slack.fake.response_url(),
        "trigger_id": slack.trigger_id(),
    }
    return form


async def test_the_ack_comes_after_the_command_is_stored(slack: SlackHarness) -> None:
    """When Slack gets its 200 the command is already in the inbox, though not yet run."""
    held = HeldService(
        LadderService(slack.runtime.sessions, slack.runtime.config, slack.bot.port, slack.clock)
    )
    inbox = Inbox(DatabaseStore(slack.runtime.sessions), "slack")
    bot = restarted(slack, inbox, lambda port: held)
    body = urlencode(command_form(slack, "level")).encode()
    async with TestClient(TestServer(bot.app.web_app(), host="127.0.0.1")) as http:
        response = await http.post(
            "/slack/events", data=body, headers=signed_headers(body, "application/x-www-form-urlencoded")
        )
        assert response.status == 200
        [row] = await inbox_rows(slack)
        assert (row.kind, json.loads(row.payload)["text"]) == ("command", "level")
        assert slack.fake.to("response_url") == []
        held.release.set()
        await bot.background.drain()
    await inbox.close()
    assert "is level 0" in slack.fake.to("response_url")[0].args["text"]
    assert await inbox_rows(slack) == []


async def test_a_full_backlog_answers_503_until_there_is_room(slack: SlackHarness) -> None:
    """With the backlog full Slack hears 503 (it redelivers later) rather than an ack nobody keeps."""
    held = HeldService(
        LadderService(slack.runtime.sessions, slack.runtime.config, slack.bot.port, slack.clock)
    )
    inbox = Inbox(DatabaseStore(slack.runtime.sessions), "slack", backlog=1, wait=0.05)
    bot = restarted(slack, inbox, lambda port: held)
    async with TestClient(TestServer(bot.app.web_app(), host="127.0.0.1")) as http:

        async def post(text: str) -> int:
            body = urlencode(command_form(slack, text)).encode()
            headers = signed_headers(body, "application/x-www-form-urlencoded")
            async with http.post("/slack/events", data=body, headers=headers) as response:
                return response.status

        assert await post("level") == 200
        assert await post("why") == 503
        held.release.set()
        await bot.background.drain()
        assert await post("why") == 200
        await bot.background.drain()
    await inbox.close()
    assert len(slack.fake.to("response_url")) == 2


async def test_the_inbox_counts_its_backlog_and_remembers_the_largest(slack: SlackHarness) -> None:
    """The backlog the benchmark reports is the requests held and not yet done, never over the limit."""
    held = HeldService(
        LadderService(slack.runtime.sessions, slack.runtime.config, slack.bot.port, slack.clock)
    )
    inbox = Inbox(DatabaseStore(slack.runtime.sessions), "slack", backlog=2, wait=0.05)
    bot = restarted(slack, inbox, lambda port: held)
    async with TestClient(TestServer(bot.app.web_app(), host="127.0.0.1")) as http:

        async def post(text: str) -> int:
            body = urlencode(command_form(slack, text)).encode()
            headers = signed_headers(body, "application/x-www-form-urlencoded")
            async with http.post("/slack/events", data=body, headers=headers) as response:
                return response.status

        assert [await post("level"), await post("why"), await post("level")] == [200, 200, 503]
        assert (inbox.held, inbox.most_held) == (2, 2)
        held.release.set()
        await bot.background.drain()
    await inbox.close()
    assert (inbox.held, inbox.most_held, inbox.limit) == (0, 2, 2)


async def test_socket_mode_does_not_ack_an_envelope_the_inbox_refused(slack: SlackHarness) -> None:
    """Socket Mode acknowledges an envelope only on a 200: a refused one is redelivered by Slack."""
    held = HeldService(
        LadderService(slack.runtime.sessions, slack.runtime.config, slack.bot.port, slack.clock)
    )
    inbox = Inbox(DatabaseStore(slack.runtime.sessions), "slack", backlog=1, wait=0.05)
    bot = restarted(slack, inbox, lambda port: held)
    envelope = payload("socket_mode_slash_command")

    def request(trigger: str) -> SocketModeRequest:
        body = envelope["payload"] | {"trigger_id": trigger, "response_url": slack.fake.response_url()}
        return SocketModeRequest(type="slash_commands", envelope_id=trigger, payload=body)

    assert (await run_async_bolt_app(bot.app, request("t1"))).status == 200
    assert (await run_async_bolt_app(bot.app, request("t2"))).status == 503
    held.release.set()
    await bot.background.drain()
    await inbox.close()


async def test_a_command_left_in_the_inbox_runs_at_the_next_start_and_answers_its_response_url(
    slack: SlackHarness,
) -> None:
    """Acknowledged, then the process died: the next start runs it and answers through Slack's
    ``response_url``, as if nothing had happened."""
    dead = Inbox(DatabaseStore(slack.runtime.sessions), "slack")
    form = command_form(slack, "ask How do I rebase onto main?")
    assert await dead.accept("command", f"command:{form['trigger_id']}", form) is not None

    inbox = Inbox(DatabaseStore(slack.runtime.sessions), "slack")
    bot = restarted(slack, inbox)
    await bot.resume()
    await bot.background.drain()
    await inbox.close()
    [reply] = slack.fake.to("response_url")
    assert "Question #1" in reply.args["text"]
    assert await inbox_rows(slack) == []


async def test_a_command_that_ran_before_the_crash_does_not_run_again(slack: SlackHarness) -> None:
    """The crash came after the command committed but before its inbox row was deleted: the next
    start finds the row, sees the command's receipt and neither runs nor answers it again."""
    await slack.command("ask How do I rebase onto main?")
    assert len(await inbox_rows(slack)) == 1, "the row's deletion is still pending, as at a crash"

    inbox = Inbox(DatabaseStore(slack.runtime.sessions), "slack")
    bot = restarted(slack, inbox)
    await bot.resume()
    await bot.background.drain()
    await inbox.close()
    assert len(slack.fake.to("response_url")) == 1
    async with slack.runtime.sessions() as session:
        assert (await session.exec(select(func.count()).select_from(Question))).one() == 1
    assert await inbox_rows(slack) == []


async def test_an_event_the_core_could_not_record_stays_for_the_next_start(slack: SlackHarness) -> None:
    """A help-channel question the database refused is kept, not dropped; the next start records it."""

    class Refusing(HeldService):
        async def events(self, events: Sequence[Event]) -> None:
            """The database refuses the batch."""
            raise ValueError("disk I/O error")

    broken = Inbox(DatabaseStore(slack.runtime.sessions), "slack")
    real = LadderService(slack.runtime.sessions, slack.runtime.config, slack.bot.port, slack.clock)
    bot = restarted(slack, broken, lambda port: Refusing(real))
    envelope = payload("event_message")
    assert await bot.on_event(envelope) is None
    await bot.background.drain()
    await broken.close()
    assert len(await inbox_rows(slack)) == 1

    inbox = Inbox(DatabaseStore(slack.runtime.sessions), "slack")
    again = restarted(slack, inbox)
    await again.resume()
    await again.background.drain()
    await inbox.close()
    async with slack.runtime.sessions() as session:
        [question] = (await session.exec(select(Question))).all()
    assert question.text == envelope["event"]["text"]
    assert await inbox_rows(slack) == []


async def test_requests_arriving_together_are_stored_in_one_commit(slack: SlackHarness) -> None:
    """Group commit: fifty requests accepted at once cost one transaction, not fifty."""
    engine = slack.runtime.sessions.kw["bind"]
    commits: list[int] = []

    def count(_connection: Any) -> None:
        commits.append(1)

    sa_event.listen(engine.sync_engine, "commit", count)
    inbox = Inbox(DatabaseStore(slack.runtime.sessions), "slack")
    accepted = await asyncio.gather(*(inbox.accept("event", f"event:Ev{n}", {"n": n}) for n in range(50)))
    sa_event.remove(engine.sync_engine, "commit", count)
    assert len(set(accepted)) == 50 and None not in accepted
    assert len(commits) == 1
    again = await inbox.accept("event", "event:Ev7", {"n": 7})
    assert again is None, "a redelivery of a request still held is not stored twice"
    await inbox.close()


async def test_a_burst_from_a_new_member_looks_them_up_once(slack: SlackHarness) -> None:
    """Five messages from a member Ladder has not seen, arriving together: one ``users.info``."""
    envelopes = []
    for n in range(5):
        envelope = payload("event_message")
        envelope["event_id"] = f"EvBURST{n}"
        envelope["event"] |= {"user": "U0NEWBIE", "text": f"hello {n}", "ts": f"1700000200.00000{n}"}
        envelopes.append(envelope)
    refused = await asyncio.gather(*(slack.bot.on_event(e) for e in envelopes))
    await slack.bot.background.drain()
    assert refused == [None] * 5
    assert len([c for c in slack.fake.to("users.info") if c.args.get("user") == "U0NEWBIE"]) == 1
