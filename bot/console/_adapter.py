"""Console lines → neutral commands and events; replies and notices printed per member.

A line names the member acting, so one terminal (or one script) can play a whole community::

    @alice /ladder ask How do I run the tests?
    @bob reply 1 Try `make test`
    @alice react c2 ✅
    @carol #intros say Hi, I'm Carol and I write docs
    @dave joins
    wait 45m                 # two spaces, then # starts a comment
"""

from __future__ import annotations

import asyncio
import itertools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from bot.background import background
from bot.console._port import ConsolePort
from bot.console._render import render, wrap
from bot.runtime import open_runtime
from bot.settings import Settings
from handlers.commands import UsageError, is_number, parse_duration
from handlers.kernel import Actor, CommunityRef, Context, Event, EventKind, Message
from handlers.service import LadderService
from models import Question

COMMUNITY = CommunityRef("console", "console", "Console community")
DEFAULT_CHANNEL = "general"
_LINE = re.compile(r"^@(?P<who>[\w.\-]+)(?:\s+#(?P<channel>[\w\-]+))?\s+(?P<rest>\S.*)$")
_TRAILING_COMMENT = re.compile(r"\s{2,}#(?:\s.*)?$")
FORMAT = (
    "Lines: `@who /ladder <command>` · `@who [#channel] say <text>` · `@who reply <question> <text>` · "
    "`@who react <message> <emoji>` · `@who press <action> <value>` · `@who joins` · `wait 45m` · "
    "`# comment` (also after a line, two spaces before the #)"
)


class ShiftableClock:
    """Real time plus an offset that ``wait`` lines push forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        """The real UTC time, shifted."""
        return datetime.now(UTC) + self.offset


@dataclass
class ConsoleAdapter:
    """Turns console lines into calls on the service and prints what each member sees."""

    ladder: LadderService
    clock: ShiftableClock
    managers: frozenset[str]
    say: Callable[[str, str], None]
    port: ConsolePort
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def handle(self, line: str) -> None:
        """Handle one line; a malformed line gets the format, never a traceback."""
        line = _TRAILING_COMMENT.sub("", line).strip()
        if not line or line.startswith("#"):
            return
        if line.startswith("wait "):
            await self._wait(line.removeprefix("wait ").strip())
            return
        match = _LINE.match(line)
        if match is None:
            self.say("console", f"Not understood: {line[:60]!r}.\n{FORMAT}")
            return
        who, channel, rest = match["who"], match["channel"] or DEFAULT_CHANNEL, match["rest"]
        verb, _, args = rest.partition(" ")
        actor = Actor(who, who, is_admin=who in self.managers)
        if verb == "/ladder":
            ctx = Context(COMMUNITY, actor, channel_id=channel)
            self._replies(who, await self.ladder.command(ctx, args))
        elif verb == "press":
            action, _, value = args.partition(" ")
            ctx = Context(COMMUNITY, actor, channel_id=channel)
            self._replies(who, await self.ladder.action(ctx, action, value.strip()))
        elif verb == "say" and args:
            await self._message(actor, channel, args, thread=None)
        elif verb == "reply":
            await self._reply(actor, args)
        elif verb == "react":
            await self._react(actor, channel, args)
        elif verb == "joins":
            await self._event(EventKind.MEMBER_JOINED, actor, channel)
        else:
            self.say("console", f"Unknown action {verb!r}.\n{FORMAT}")

    def _replies(self, who: str, replies: list[Message]) -> None:
        for reply in replies:
            where = "in channel" if reply.visibility == "channel" else "only you see this"
            self.say(f"→ @{who} ({where})", render(reply))

    async def _wait(self, text: str) -> None:
        try:
            delta = parse_duration("help", text)
        except UsageError:
            self.say("console", "wait takes a duration like 30m, 2h or 1d.")
            return
        self.clock.offset += delta
        changed = await self.ladder.sweep()
        self.say("console", f"… {text} later ({changed} scheduled change{'s' if changed != 1 else ''}).")

    async def _react(self, actor: Actor, channel: str, args: str) -> None:
        message_id, _, emoji = args.partition(" ")
        if not self.port.printed(message_id):
            self.say(
                "console",
                f"There is no message {message_id[:20]!r} to react to: each message's id is printed "
                "when it is posted, like (@bob's message c3 in #general) or #general (m4).",
            )
            return
        await self._event(EventKind.REACTION, actor, channel, message_id=message_id, text=emoji.strip())

    async def _message(self, actor: Actor, channel: str, text: str, *, thread: str | None) -> str:
        message_id = self.port.remember(f"c{next(self._ids)}")
        await self._event(
            EventKind.MESSAGE,
            actor,
            channel,
            message_id=message_id,
            thread_id=thread,
            text=text,
            key=message_id,
        )
        self.say("console", f"(@{actor.external_id}'s message {message_id} in #{channel})")
        return message_id

    async def _reply(self, actor: Actor, args: str) -> None:
        number, _, text = args.partition(" ")
        if not is_number(number.lstrip("#")) or not text.strip():
            self.say("console", "reply takes a question number and text: `@bob reply 3 Try make test`.")
            return
        async with self.ladder.sessions() as session:
            question = await session.get(Question, int(number.lstrip("#")))
        if question is None or question.thread_id is None:
            self.say("console", f"There is no question #{number} with a thread to reply in.")
            return
        await self._message(actor, question.channel_id or DEFAULT_CHANNEL, text, thread=question.thread_id)

    async def _event(
        self,
        kind: EventKind,
        actor: Actor,
        channel: str,
        *,
        key: str | None = None,
        message_id: str | None = None,
        thread_id: str | None = None,
        text: str = "",
    ) -> None:
        event = Event(
            kind,
            COMMUNITY,
            actor,
            self.clock.now(),
            key or f"e{next(self._ids)}",
            channel_id=channel,
            message_id=message_id,
            thread_id=thread_id,
            text=text,
        )
        await self.ladder.events([event])


async def serve(
    settings: Settings, script: Path | None, managers: frozenset[str] = frozenset({"admin"})
) -> None:
    """Run the console until the script or stdin ends.

    Interactively the scheduler runs too (digests, escalations on real time); a script is driven
    by its own ``wait`` lines instead, so its output is the same on every run.
    """
    console = Console(highlight=False, soft_wrap=True)  # the terminal wraps: a link stays whole

    def say(header: str, text: str) -> None:
        console.print(f"[bold]{escape(header)}[/]\n{escape(wrap(text, console.width))}", soft_wrap=True)

    clock = ShiftableClock()
    async with open_runtime(settings, clock) as runtime:
        port = ConsolePort(say)
        adapter = ConsoleAdapter(
            runtime.service(port), clock, managers | set(runtime.config.managers.console), say, port
        )
        if script is not None:
            runtime.dashboard.url = ""  # a script runs and ends: no server stays up to open a link on
            lines = (await asyncio.to_thread(script.read_text, encoding="utf-8")).splitlines()
            for line in lines:
                console.print(f"[dim]{escape(line)}[/]")
                await adapter.handle(line)
            return
        async with background(runtime, adapter.ladder, connected=lambda: True, serve_http=True):
            console.print(
                f"Ladder console. Managers: {', '.join(sorted(adapter.managers))}. "
                f"Dashboard: {runtime.dashboard.url}/dashboard/ "
                "(sign in with `@<manager> /ladder dashboard`)."
                f"\n{FORMAT}"
            )
            while line := await asyncio.to_thread(sys.stdin.readline):
                await adapter.handle(line)
