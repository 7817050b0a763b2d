"""The Bolt ``AsyncApp``: ``/ladder``, events and button clicks wired to the core's one service.

Every listener acknowledges at once and hands the slow part (the core's transaction, outbound
messages) to :class:`Background`, so Slack gets its answer well within 3 seconds in HTTP and
Socket Mode alike, and tests and shutdown can wait for the work to finish with ``drain()``.
"""

import asyncio
import logging
import re
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.batcher import Batcher
from bot.slack import _render, _translate
from bot.slack._managers import MemberDirectory, actor_from_user
from bot.slack._port import SlackChatPort
from bot.slack._reachability import TrackedWebClient
from bot.slack._verify import SignedRequests
from handlers.kernel import ChatError, ChatPort, Context, Message, Visibility
from handlers.service import ServicePort

log = logging.getLogger(__name__)

HOME_COMMANDS = ("level", "why", "quests", "call list")
EVENTS = ("team_join", "message", "reaction_added", "app_home_opened")
RATE_LIMIT_RETRIES = 3
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
class Background:
    """Work started after an ack: failures are logged, and ``drain()`` waits for all of it."""

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


@dataclass
class SlackBot:
    """The Bolt app with its port, member directory and the core service it calls."""

    app: AsyncApp
    port: SlackChatPort
    directory: MemberDirectory
    service: ServicePort
    background: Background = field(default_factory=Background)
    batcher: Batcher = field(init=False)

    def __post_init__(self) -> None:
        """Events reach the core through one group-committing batcher (one transaction a batch)."""
        self.batcher = Batcher(self.service.events)

    async def on_command(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        """``/ladder …``: acknowledge now, run the command after."""
        await ack()
        self.background.spawn(self.run_command(body, respond), "command")

    async def run_command(self, body: dict[str, Any], respond: AsyncRespond) -> None:
        """Run a slash command in the core and send its replies to the member."""
        actor = await self.directory.actor(str(body["user_id"]))
        ctx = _translate.command_context(body, actor)
        try:
            replies = await self.service.command(ctx, _translate.unescape(body.get("text") or ""))
        except Exception:
            log.exception("/ladder %r failed", (body.get("text") or "")[:80])
            replies = [Message(text=SORRY)]
        await self.reply(ctx, replies, respond)

    async def on_action(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        """A Ladder button: acknowledge now, run the click after."""
        await ack()
        target = respond if body.get("response_url") else None
        self.background.spawn(self.run_action(body, action, target), "action")

    async def run_action(
        self, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond | None
    ) -> None:
        """Run a click in the core; reply in place of the click, or by DM from the App Home."""
        actor = await self.directory.actor(str((body.get("user") or {})["id"]))
        ctx = _translate.action_context(body, actor)
        name = _render.action_name(str(action.get("action_id") or ""))
        try:
            replies = await self.service.action(ctx, name, str(action.get("value") or ""))
        except Exception:
            log.exception("button %r failed", name)
            replies = [Message(text=SORRY)]
        await self.reply(ctx, replies, respond)
        if (body.get("view") or {}).get("type") == "home":
            await self.publish_home(ctx)

    async def reply(self, ctx: Context, replies: Sequence[Message], respond: AsyncRespond | None) -> None:
        """Send replies to the actor: ephemeral or in channel via ``response_url``, else by DM."""
        member = ctx.actor.external_id
        for message in replies:
            try:
                if respond is None:
                    await self.port.dm(member, message)
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
                    await self.port.upload_image(channel, message.image, chart)
            except (ChatError, SlackClientError, aiohttp.ClientError, OSError) as error:
                log.warning("Could not deliver a reply to %s: %s", member, error)

    async def on_event(self, body: dict[str, Any]) -> None:
        """Any subscribed event: acknowledged now, handled after. A redelivery is dropped by the
        batcher (a key it holds or wrote) or by the core (a key already in the database); a key
        whose write failed is forgotten, so Slack's retry of it is recorded."""
        self.background.spawn(self.run_event(body), "event")

    async def run_event(self, body: dict[str, Any]) -> None:
        """Translate an event and hand it to the core (or publish the App Home)."""
        event: dict[str, Any] = body.get("event") or {}
        kind = event.get("type")
        if kind == "message" and not _translate.is_spoken_message(event):
            return
        user = event.get("user")
        if kind == "team_join" and isinstance(user, dict):
            actor = actor_from_user(user)
            self.directory.remember(actor)
        else:
            user_id = _translate.event_user(event)
            if user_id is None:
                return
            actor = await self.directory.actor(user_id)
        if actor.is_bot:
            return
        if kind == "app_home_opened":
            if event.get("tab") == "home":
                ctx = Context(
                    community=_translate.community(str(body.get("team_id") or "")),
                    actor=actor,
                    channel_id=event.get("channel"),
                )
                await self.publish_home(ctx)
            return
        neutral = _translate.to_event(body, actor)
        if neutral is not None:
            await self.batcher.submit(neutral)

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
) -> SlackBot:
    """Build the Bolt app on ``client`` and register every Ladder listener on it.

    ``process_before_response=True`` makes each listener's return the ack; the listeners only
    ack and start background work, so that stays fast and behaves the same in Socket Mode.
    """
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret,
        process_before_response=True,
        request_verification_enabled=False,
        before_authorize=SignedRequests(signing_secret),
    )
    directory = MemberDirectory(client)
    port = SlackChatPort(client, directory)
    bot = SlackBot(app=app, port=port, directory=directory, service=make_service(port))
    app.command("/ladder")(bot.on_command)
    app.action(re.compile("^" + re.escape(_render.ACTION_PREFIX)))(bot.on_action)
    for name in EVENTS:
        app.event(name)(bot.on_event)
    return bot
