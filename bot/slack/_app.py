"""The Bolt ``AsyncApp``: ``/ladder``, events and button clicks wired to the core's one service.

Every listener commits the request to the durable inbox (:mod:`bot.inbox`), acknowledges, and
hands the slow part (the core's transaction, outbound messages) to :class:`AckedWork`, so Slack
gets its answer well within 3 seconds in HTTP and Socket Mode alike and an answer means the
request survives a crash; tests and shutdown can wait for the work to finish with ``drain()``.
"""

import asyncio
import logging
import re
import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import aiohttp
from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.batcher import Batcher
from bot.inbox import Held, Inbox, InboxFullError
from bot.locks import Section, local_section
from bot.slack import _render, _translate
from bot.slack._managers import MemberDirectory, actor_from_user
from bot.slack._port import SlackChatPort
from bot.slack._reachability import TrackedWebClient
from bot.slack._verify import SignedRequests
from handlers.kernel import ChatError, ChatPort, Context, Event, Message, Visibility
from handlers.service import ServicePort

log = logging.getLogger(__name__)

HOME_COMMANDS = ("level", "why", "quests", "call list")
EVENTS = ("team_join", "message", "reaction_added", "app_home_opened")
RATE_LIMIT_RETRIES = 3
CONCURRENT_COMMANDS = 8
"""Commands and clicks run at once, at most (the rest wait their turn, held in the inbox)."""
Turns = tuple["asyncio.Future[None] | None", "asyncio.Future[None]"]
SORRY = "Something went wrong on Ladder's side and it was logged. Nothing you did caused it."


def create_client(token: str, base_url: str) -> TrackedWebClient:
    """The Web API client, retrying rate limits (honouring Retry-After) and dropped connections,
    and remembering whether Slack answers (for ``/healthz``)."""
    return TrackedWebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncConnectionErrorRetryHandler(),
        ],
    )


@dataclass
class AckedWork:
    """Work started after an ack (the process-wide scheduler and server are
    :class:`bot.background.Background`): failures are logged, and ``drain()`` waits for all of it."""

    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        """Start ``work`` without waiting for it."""
        task = asyncio.create_task(self._guarded(work, name), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guarded(work: Coroutine[Any, Any, None], name: str) -> None:
        try:
            await work
        except Exception:
            log.exception("Slack %s failed", name)

    async def drain(self) -> None:
        """Wait until every started piece of work (and whatever it started) has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self, grace: float) -> None:
        """Let the work finish for up to ``grace`` seconds, then cancel what is left (whatever was
        acknowledged stays in the inbox and is resumed at the next start)."""
        try:
            await asyncio.wait_for(self.drain(), grace)
        except TimeoutError:
            left = len(self._tasks)
            log.warning("stopping with %d requests in progress; they resume at the next start", left)
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


class InboxKind(StrEnum):
    """What an inbox row holds."""

    EVENT = "event"
    COMMAND = "command"
    ACTION = "action"


def inbox_key(kind: InboxKind, body: Mapping[str, Any]) -> str:
    """A request's unique key: Slack's ``event_id``, or the ``trigger_id`` of a command or click."""
    ident = body.get("event_id") if kind is InboxKind.EVENT else body.get("trigger_id")
    return f"{kind.value}:{ident or uuid.uuid4().hex}"


@dataclass
class SlackBot:
    """The Bolt app with its port, member directory, inbox and the core service it calls.

    Every event, command and click Ladder acts on is committed to the inbox before Slack gets
    its 200 (or, in Socket Mode, its envelope ack), then processed; when the inbox cannot take
    it (its backlog is full or the database failed) Slack gets a 503 instead and redelivers.
    """

    app: AsyncApp
    port: SlackChatPort
    directory: MemberDirectory
    service: ServicePort
    inbox: Inbox
    background: AckedWork = field(default_factory=AckedWork)
    batcher: Batcher = field(init=False)
    _last_turn: "asyncio.Future[None] | None" = None
    _workers: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(CONCURRENT_COMMANDS))

    def __post_init__(self) -> None:
        """Events reach the core through one group-committing batcher (one transaction a batch)."""
        self.batcher = Batcher(self.service.events)

    async def on_command(self, ack: AsyncAck, body: dict[str, Any]) -> BoltResponse | None:
        """``/ladder …``: keep it in the inbox, acknowledge, run it after."""
        refused = await self.hold(InboxKind.COMMAND, body)
        if refused is None:
            await ack()
        return refused

    async def on_action(self, ack: AsyncAck, body: dict[str, Any]) -> BoltResponse | None:
        """A Ladder button: keep it in the inbox, acknowledge, run the click after."""
        refused = await self.hold(InboxKind.ACTION, body)
        if refused is None:
            await ack()
        return refused

    async def on_event(self, body: dict[str, Any]) -> BoltResponse | None:
        """Any subscribed event: kept in the inbox before the ack when Ladder may record it.

        A redelivery is dropped by the inbox (a key it holds), the batcher (a key it holds or
        wrote) or the core (a key already in the database). The App Home is only a view: it is
        published without being kept, and messages Ladder never records are not kept either.
        """
        event: dict[str, Any] = body.get("event") or {}
        kind = event.get("type")
        if kind == "app_home_opened":
            self.background.spawn(self.open_home(body), "app home")
            return None
        if kind == "message" and not _translate.is_spoken_message(event):
            return None
        return await self.hold(InboxKind.EVENT, body)

    async def hold(self, kind: InboxKind, body: dict[str, Any]) -> BoltResponse | None:
        """Commit a request to the inbox and start processing it; a response refusing it if the
        inbox cannot take it now (Slack then redelivers, or tells the member it failed)."""
        key = inbox_key(kind, body)
        try:
            item_id = await self.inbox.accept(kind, key, body)
        except InboxFullError as full:
            log.warning("%s; Slack will redeliver", full)
            return BoltResponse(status=503, body="Ladder is busy; try again shortly.")
        except Exception as error:  # noqa: BLE001 - any store failure: refuse with 503 so Slack redelivers
            log.warning("could not keep %s in the inbox (%s); refused", key, type(error).__name__)
            return BoltResponse(status=503, body="Ladder cannot record this right now; try again shortly.")
        if item_id is not None:
            self.start(Held(item_id, kind, key, body))
        return None

    async def resume(self) -> None:
        """Start processing what a previous run acknowledged and left unprocessed (before serving)."""
        left = await self.inbox.left_behind()

        async def feed() -> None:
            resumed = 0
            async for held in left:
                self.start(held)
                resumed += 1
            if resumed:
                log.warning("resumed %d requests acknowledged before the last stop", resumed)

        self.background.spawn(feed(), "resume")

    def start(self, held: Held) -> None:
        """Process a held request in the background; events reach the batcher in inbox order."""
        if held.kind != InboxKind.EVENT:
            self.background.spawn(self.process(held, None), held.kind)
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        previous, self._last_turn = self._last_turn, turn
        self.background.spawn(self.process(held, (previous, turn)), "event")

    async def process(self, held: Held, turns: Turns | None) -> None:
        """Run a held request; its inbox row is deleted once it ran, and kept when it could not
        finish (an event the database refused, a stop mid-way): the next start runs it again."""
        keep = True
        try:
            if held.kind == InboxKind.COMMAND:
                async with self._workers:
                    await self.run_command(held.payload, receipt=held.key)
            elif held.kind == InboxKind.ACTION:
                async with self._workers:
                    await self.run_action(held.payload, receipt=held.key)
            else:
                assert turns is not None
                await self.run_event(held.payload, *turns)
            keep = False
        finally:
            self.inbox.finish(held.id, keep=keep)

    def responder(self, body: Mapping[str, Any]) -> AsyncRespond | None:
        """Where replies to a command or click go: its ``response_url`` (kept in the inbox, so a
        resumed command answers there too), or None for a DM."""
        url = body.get("response_url")
        if not url:
            return None
        return AsyncRespond(response_url=str(url), proxy=self.app.client.proxy, ssl=self.app.client.ssl)

    async def run_command(self, body: dict[str, Any], *, receipt: str | None = None) -> None:
        """Run a slash command in the core and send its replies to the member."""
        actor = await self.directory.actor(str(body["user_id"]))
        ctx = _translate.command_context(body, actor)
        text = _translate.unescape(body.get("text") or "")
        try:
            replies = await self.service.command(ctx, text, receipt=receipt)
        except Exception:
            log.exception("/ladder %r failed", text[:80])
            replies = [Message(text=SORRY)]
        await self.reply(ctx, replies, self.responder(body))

    async def run_action(self, body: dict[str, Any], *, receipt: str | None = None) -> None:
        """Run a click in the core; reply in place of the click, or by DM from the App Home."""
        actor = await self.directory.actor(str((body.get("user") or {})["id"]))
        ctx = _translate.action_context(body, actor)
        action: dict[str, Any] = (body.get("actions") or [{}])[0]
        name = _render.action_name(str(action.get("action_id") or ""))
        try:
            replies = await self.service.action(ctx, name, str(action.get("value") or ""), receipt=receipt)
        except Exception:
            log.exception("button %r failed", name)
            replies = [Message(text=SORRY)]
        await self.reply(ctx, replies, self.responder(body))
        if (body.get("view") or {}).get("type") == "home":
            await self.publish_home(ctx)

    async def reply(self, ctx: Context, replies: Sequence[Message], respond: AsyncRespond | None) -> None:
        """Send replies to the actor: ephemeral or in channel via ``response_url``, else by DM."""
        member = ctx.actor.external_id
        for message in replies:
            try:
                if respond is None:
                    await self.port.dm(ctx.community, member, message)
                else:
                    content = await self.port.content(message)
                    visible = message.visibility is Visibility.CHANNEL
                    response = await respond(
                        **content,
                        response_type="in_channel" if visible else "ephemeral",
                        replace_original=False,
                    )
                    if response.status_code != 200:
                        log.warning("response_url answered %s", response.status_code)
                if message.image is not None:
                    chart = Message(text=message.image.alt or message.title, title=message.title)
                    channel = await self.port.dm_channel(member)
                    await self.port.upload_image(ctx.community, channel, message.image, chart)
            except (ChatError, SlackClientError, aiohttp.ClientError, OSError) as error:
                log.warning("Could not deliver a reply to %s: %s", member, error)

    async def run_event(
        self, body: dict[str, Any], previous: "asyncio.Future[None] | None", turn: "asyncio.Future[None]"
    ) -> None:
        """Translate an event and hand it to the core, after every event held before it.

        Looking members up may take a Web API call each, so events are translated concurrently;
        ``previous``/``turn`` chain them so they still reach the batcher in the order Slack sent
        them (a reply never overtakes its question).
        """
        written: asyncio.Future[None] | None = None
        try:
            neutral = await self._translate_event(body)
            if previous is not None:
                await asyncio.shield(previous)
            if neutral is not None:
                written = self.batcher.enqueue(neutral)
        finally:
            turn.set_result(None)
        if written is not None:
            await asyncio.shield(written)

    async def _translate_event(self, body: dict[str, Any]) -> Event | None:
        """The neutral event for an envelope, or None for one Ladder does not record."""
        event: dict[str, Any] = body.get("event") or {}
        user = event.get("user")
        if event.get("type") == "team_join" and isinstance(user, dict):
            actor = actor_from_user(user)
            self.directory.remember(actor)
        else:
            user_id = _translate.event_user(event)
            if user_id is None:
                return None
            actor = await self.directory.actor(user_id)
        if actor.is_bot:
            return None
        return _translate.to_event(body, actor)

    async def open_home(self, body: dict[str, Any]) -> None:
        """``app_home_opened`` on the Home tab: publish the member's App Home."""
        event: dict[str, Any] = body.get("event") or {}
        user_id = _translate.event_user(event)
        if event.get("tab") != "home" or user_id is None:
            return
        actor = await self.directory.actor(user_id)
        if actor.is_bot:
            return
        ctx = Context(
            community=_translate.community(str(body.get("team_id") or "")),
            actor=actor,
            channel_id=event.get("channel"),
        )
        await self.publish_home(ctx)

    async def publish_home(self, ctx: Context) -> None:
        """Publish the member's App Home: level, what they still need, quests and open calls."""
        messages: list[Message] = []
        for text in HOME_COMMANDS:
            messages.extend(await self.service.command(ctx, text))
        unlisted: set[str] = set()
        for message in messages:
            unlisted |= _render.unlisted_members(message)
        view = _render.home_view(messages, await self.directory.names(unlisted))
        try:
            await self.app.client.views_publish(user_id=ctx.actor.external_id, view=view)
        except (SlackApiError, SlackClientError) as error:
            log.warning("views.publish failed for %s: %s", ctx.actor.external_id, error)


def build_bot(
    client: AsyncWebClient,
    signing_secret: str,
    make_service: Callable[[ChatPort], ServicePort],
    inbox: Inbox,
    user_groups: Section | None = None,
) -> SlackBot:
    """Build the Bolt app on ``client`` and register every Ladder listener on it.

    ``process_before_response=True`` makes each listener's return the ack: the listeners commit
    the request to the inbox (a group commit, milliseconds), ack and start background work, so
    an ack always means "recorded", within Slack's 3 seconds, in HTTP and Socket Mode alike.
    ``user_groups`` makes user-group changes exclusive across replicas (default: this process).
    """
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret,
        process_before_response=True,
        request_verification_enabled=False,
        before_authorize=SignedRequests(signing_secret),
    )
    directory = MemberDirectory(client)
    port = SlackChatPort(client, directory, user_groups or local_section())
    bot = SlackBot(app=app, port=port, directory=directory, service=make_service(port), inbox=inbox)
    app.command("/ladder")(bot.on_command)
    app.action(re.compile("^" + re.escape(_render.ACTION_PREFIX)))(bot.on_action)
    for name in EVENTS:
        app.event(name)(bot.on_event)
    return bot
