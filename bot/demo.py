"""``ladder demo``: a deterministic simulated community driven through the real use cases.

A few hundred members join over twelve simulated weeks; they introduce themselves, ask (and
re-ask) questions in the help channel, answer when pinged, climb through quests, and answer calls.
Everything goes through the same :class:`~handlers.service.LadderService` the platforms use, with a fake
clock and a recording port; at the end the ladder and the last week's digest are printed and the
digest is written as Markdown with its PNG chart.
"""

import asyncio
import heapq
import itertools
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import func
from sqlmodel import col, select

from bot.console import render, wrap
from bot.database import open_database
from bot.demo_script import ANSWERS, CALLS, FOUNDERS, QUESTIONS, SKILLS
from bot.demo_sweeps import next_sweep_due
from bot.settings import Settings
from handlers.commands import ActionName
from handlers.health import build_report, report_markdown
from handlers.kernel import (
    Actor,
    CommunityRef,
    Context,
    Event,
    EventKind,
    FakeChatPort,
    FakeClock,
    LadderConfig,
    Managers,
    Message,
    Routing,
    Scope,
    Sent,
    load_config,
)
from handlers.service import LadderService
from models import CallSignup, Community, Member, Question, QuestionStatus, SignupStatus

COMMUNITY = CommunityRef("console", "demo", "Demo open-source community")
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
MANAGER = "ada"
STEP = timedelta(minutes=30)
DAY_START, DAY_END = 8, 20
EARLIER_ANSWER_OFFER = "This may already be answered"
_QUESTION_ID = re.compile(r"question #(\d+)")
_CALL_ID = re.compile(r"Call #(\d+)")
_PROMOTE = re.compile(r"/ladder promote <@([^>]+)> (\d+)")
_ANSWERED = re.compile(r"<@([^>]+)> replied to your question #(\d+)")
# How askers acknowledge an answer, as real ones do (DESIGN.md: reactions 38%, thanks in words
# 31%, ✅ 2%): mostly a reaction or a "thanks!", rarely ✅ or the button, sometimes nothing.
ACKNOWLEDGEMENTS = (
    ("react", "👍", 30),
    ("react", "🙏", 7),
    ("react", "❤️", 5),
    ("thank", "thanks!", 14),
    ("thank", "Thank you, that worked", 10),
    ("thank", "ty, works now", 5),
    ("react", "✅", 2),
    ("press", "", 2),
    ("nothing", "", 25),
)


class DemoDatabaseNotEmptyError(Exception):
    """The demo would mix its simulated community into existing data; nothing was written."""


@dataclass
class Persona:
    """A simulated member: how often they show up and how willing they are to help."""

    handle: str
    engagement: float
    helpfulness: float
    skills: tuple[str, ...]
    joined: bool = False
    asked: int = 0


@dataclass(order=True)
class Planned:
    """Something a member will do later in simulated time."""

    at: datetime
    order: int
    run: Callable[[], Awaitable[None]] = field(compare=False)


class Simulation:
    """Plays the community forward, step by step, through the service."""

    def __init__(
        self, ladder: LadderService, port: FakeChatPort, clock: FakeClock, rng: random.Random
    ) -> None:
        self.ladder, self.port, self.clock, self.rng = ladder, port, clock, rng
        self.people: dict[str, Persona] = {}
        self.plans: list[Planned] = []
        self._seen = 0
        self._ids = itertools.count(1)
        self.solved_texts: set[str] = set()
        self.answer_messages: dict[tuple[int, str], tuple[str, str, str]] = {}
        self.chatter: list[Event] = []
        self.levels: dict[str, int] = {}

    def ctx(self, who: str, channel: str = "general") -> Context:
        """The context of a member acting."""
        return Context(COMMUNITY, Actor(who, who.title(), is_admin=who == MANAGER), channel_id=channel)

    async def command(self, who: str, text: str, channel: str = "general") -> None:
        """Run a slash command as a member; an asker weighs an earlier answer offered in the reply
        as they would one offered by DM (ignored, it would hold their question for a whole timer)."""
        for reply in await self.ladder.command(self.ctx(who, channel), text):
            if reply.title == EARLIER_ANSWER_OFFER:
                await self._respond(Sent(COMMUNITY, "dm", who, reply))

    async def message(self, who: str, channel: str, text: str, thread: str | None = None) -> str:
        """Post a message as a member and return its id."""
        key = f"d{next(self._ids)}"
        event = Event(
            EventKind.MESSAGE,
            COMMUNITY,
            Actor(who, who.title()),
            self.clock.now(),
            key,
            channel_id=channel,
            message_id=key,
            thread_id=thread,
            text=text,
        )
        await self.ladder.events([event])
        return key

    def plan(self, delay: timedelta, run: Callable[[], Awaitable[None]]) -> None:
        """Do something after a delay."""
        heapq.heappush(self.plans, Planned(self.clock.now() + delay, next(self._ids), run))

    async def found(self, population: int) -> None:
        """The manager and a few veterans exist on day one; everyone else joins over time."""
        self.people[MANAGER] = Persona(MANAGER, 0.9, 0.6, ("docs", "events"), joined=True)
        await self.command(MANAGER, "skills docs,events")
        for handle, level, reason in FOUNDERS:
            self.people[handle] = Persona(
                handle,
                self.rng.uniform(0.5, 0.9),
                self.rng.uniform(0.5, 0.9),
                tuple(self.rng.sample(SKILLS, 2)),
                joined=True,
            )
            await self.command(handle, f"skills {','.join(self.people[handle].skills)}")
            await self.command(MANAGER, f"promote @{handle} {level} {reason}")
        for number in range(population - len(self.people)):
            handle = f"member{number + 1:03d}"
            self.people[handle] = Persona(
                handle,
                self.rng.betavariate(1.2, 5.0),
                self.rng.random(),
                tuple(self.rng.sample(SKILLS, self.rng.randint(0, 2))),
            )
            if self.people[handle].skills:
                await self.command(handle, f"skills {','.join(self.people[handle].skills)}")

    async def run(self, weeks: int) -> None:
        """Simulate ``weeks`` of community life."""
        newcomers = [p for p in self.people.values() if not p.joined]
        days = weeks * 7
        for day in range(days):
            self.clock.set(START + timedelta(days=day))
            arrivals = newcomers[day * len(newcomers) // days : (day + 1) * len(newcomers) // days]
            for persona in arrivals:
                self.plan(self._random_time(), partial(self._join, persona))
            if day % 7 == 0:
                self.plan(timedelta(hours=2), self._open_call)
            for persona in self.people.values():
                if persona.joined and self.rng.random() < persona.engagement:
                    self.plan(self._random_time(), partial(self._active, persona))
            await self._play_day(START + timedelta(days=day))

    def _random_time(self) -> timedelta:
        return timedelta(minutes=self.rng.randrange(0, (DAY_END - DAY_START) * 60))

    async def _play_day(self, day: datetime) -> None:
        """Play one day around the clock: members act in daytime, but their delayed replies, the
        escalation timers and call deadlines run whenever they fall, as they would live."""
        await self._read_levels()
        moment, end = day, day + timedelta(days=1)
        while moment < end:
            moment += STEP
            sweeping = True
            while (due := await self._next_due(moment, sweeping)) is not None:
                self.clock.set(due)
                if self.plans and self.plans[0].at <= due:
                    await heapq.heappop(self.plans).run()
                else:
                    sweeping = await self.ladder.sweep() > 0  # nothing moved: due again only later
                await self._react_to_notices()
            self.clock.set(moment)
            await self._flush_chatter()
            await self.ladder.sweep()
            await self._react_to_notices()

    async def _next_due(self, until: datetime, sweeping: bool) -> datetime | None:
        """The next planned act or (when ``sweeping``) sweep at or before ``until``."""
        sweep = None
        if sweeping:
            async with self.ladder.sessions() as session:
                sweep = await next_sweep_due(session, until)
        planned = self.plans[0].at if self.plans and self.plans[0].at <= until else None
        due = [moment for moment in (planned, sweep) if moment is not None]
        return min(due) if due else None

    async def _flush_chatter(self) -> None:
        """Plain chat only counts towards active days: it goes in as one batch, as live chat would."""
        if self.chatter:
            batch, self.chatter = self.chatter, []
            await self.ladder.events(batch)

    async def _join(self, persona: Persona) -> None:
        persona.joined = True
        actor = Actor(persona.handle, persona.handle.title())
        self.chatter.append(
            Event(
                EventKind.MEMBER_JOINED,
                COMMUNITY,
                actor,
                self.clock.now(),
                f"join:{persona.handle}",
            )
        )
        if self.rng.random() < 0.55:
            key = f"d{next(self._ids)}"
            self.chatter.append(
                Event(
                    EventKind.MESSAGE,
                    COMMUNITY,
                    actor,
                    self.clock.now() + timedelta(minutes=1),
                    key,
                    channel_id="introductions",
                    message_id=key,
                    text=f"Hi, I'm {persona.handle.title()}!",
                )
            )

    async def _active(self, persona: Persona) -> None:
        key = f"d{next(self._ids)}"
        self.chatter.append(
            Event(
                EventKind.MESSAGE,
                COMMUNITY,
                Actor(persona.handle, persona.handle.title()),
                self.clock.now(),
                key,
                channel_id="general",
                message_id=key,
                text="(chat)",
            )
        )
        level = self.levels.get(persona.handle, 0)
        if level <= 1 and self.rng.random() < 0.2:
            await self._ask(persona)
        elif level >= 1 and self.rng.random() < 0.15:
            await self._quest(persona, level)
        if 1 <= level <= 2 and persona.helpfulness > 0.5 and self.rng.random() < 0.4:
            await self._answer_unprompted(persona.handle)

    async def _ask(self, persona: Persona) -> None:
        pair = self.rng.choice(QUESTIONS)
        text = pair[persona.asked % len(pair)] if pair[0] not in self.solved_texts else pair[-1]
        persona.asked += 1
        if self.rng.random() < 0.5:
            await self.command(persona.handle, f"ask {text}", channel="help")
        else:
            await self.message(persona.handle, "help", text)

    async def _quest(self, persona: Persona, level: int) -> None:
        evidence = {
            1: ("read-the-guide", "I'd add a section on running tests"),
            2: ("write-a-faq", "https://example.org/faq#tests"),
            3: ("mentor-a-newcomer", "paired with a newcomer for two weeks"),
        }
        if level in evidence:
            quest, proof = evidence[level]
            await self.command(persona.handle, f"quest submit {quest} {proof}")

    async def _open_call(self) -> None:
        title, skill = self.rng.choice(CALLS)
        need = self.rng.randint(2, 5)
        await self.command(
            MANAGER,
            f'call new "{title}" need={need} skills={skill} deadline=5d post=yes',
            "general",
        )

    async def _read_levels(self) -> None:
        async with self.ladder.sessions() as session:
            self.levels = dict((await session.exec(select(Member.external_id, Member.level))).all())

    async def _answer_unprompted(self, who: str) -> None:
        """Members who are not pinged still answer open questions they come across."""
        async with self.ladder.sessions() as session:
            open_ids = (
                await session.exec(
                    select(Question.id)
                    .where(Question.status == QuestionStatus.OPEN, col(Question.thread_id).is_not(None))
                    .order_by(col(Question.id).desc())
                    .limit(5)
                )
            ).all()
        if open_ids:
            await self._answer(who, self.rng.choice(list(open_ids)) or 0)

    async def _react_to_notices(self) -> None:
        """Members respond to what Ladder sent them: pings, answers, invitations, reviews."""
        fresh, self._seen = self.port.sent[self._seen :], len(self.port.sent)
        for sent in fresh:
            await self._respond(sent)

    async def _respond(self, sent: Sent) -> None:
        message, who = sent.message, sent.target
        persona = self.people.get(who)
        if message is None or sent.method != "dm" or persona is None:
            return
        helpful = persona.helpfulness
        if message.title == "Can you help?" and (found := _QUESTION_ID.search(message.text)):
            if self.rng.random() < helpful * 0.8:
                delay = timedelta(minutes=self.rng.randint(3, 50))
                self.plan(delay, partial(self._answer, who, int(found.group(1))))
        elif message.title == "Someone answered" and (found := _ANSWERED.search(message.text)):
            self.plan(
                timedelta(minutes=self.rng.randint(10, 240)),
                partial(self._acknowledge, who, found.group(1), int(found.group(2)), message),
            )
        elif message.title == EARLIER_ANSWER_OFFER:
            helped = self.rng.random() < 0.7
            action = ActionName.EARLIER_ANSWER_HELPED if helped else ActionName.ASK_HELPERS
            value = message.buttons[0].value
            self.plan(timedelta(minutes=2), partial(self._press, who, action, value))
        elif message.title.startswith("Call #") and (found := _CALL_ID.search(message.title)):
            if self.rng.random() < 0.6:
                self.plan(
                    timedelta(hours=self.rng.randint(1, 30)),
                    partial(self.command, who, f"call join {found.group(1)}"),
                )
        elif message.title == "Quest to review" and message.buttons and self.rng.random() < 0.8:
            button = message.buttons[0] if self.rng.random() < 0.85 else message.buttons[1]
            self.plan(
                timedelta(hours=self.rng.randint(1, 20)),
                partial(self._press, who, button.action, button.value),
            )
        elif message.title == "Ready for promotion" and (found := _PROMOTE.search(message.text)):
            if self.rng.random() < 0.6:
                handle, level = found.groups()
                self.plan(
                    timedelta(hours=20),
                    partial(self.command, who, f"promote @{handle} {level} led calls and mentors"),
                )
        elif "reached its deadline" in message.text and (
            found := re.search(r"call done (\d+)", message.text)
        ):
            await self._credit_call(who, int(found.group(1)))

    async def _answer(self, who: str, question_id: int) -> None:

        async with self.ladder.sessions() as session:
            question = await session.get(Question, question_id)
        if question is None or question.thread_id is None or question.status == QuestionStatus.SOLVED:
            return
        channel = question.channel_id or "help"
        key = await self.message(who, channel, self.rng.choice(ANSWERS), thread=question.thread_id)
        self.answer_messages[(question_id, who)] = (key, channel, question.thread_id)
        self.solved_texts.add(question.text)

    async def _acknowledge(self, asker: str, helper: str, question_id: int, told: Message) -> None:
        """The asker says the answer helped the way real askers do (:data:`ACKNOWLEDGEMENTS`),
        through the same events a platform delivers."""
        kinds = [(kind, value) for kind, value, _ in ACKNOWLEDGEMENTS]
        kind, value = self.rng.choices(kinds, weights=[w for _, _, w in ACKNOWLEDGEMENTS])[0]
        answer = self.answer_messages.get((question_id, helper))
        if kind == "press" and told.buttons:
            await self._press(asker, told.buttons[0].action, told.buttons[0].value)
        elif kind == "react" and answer is not None:
            key, channel, _ = answer
            reaction = Event(
                EventKind.REACTION,
                COMMUNITY,
                Actor(asker, asker.title()),
                self.clock.now(),
                f"{key}:{asker}:{value}",
                channel_id=channel,
                message_id=key,
                text=value,
            )
            await self.ladder.events([reaction])
        elif kind == "thank" and answer is not None:
            _, channel, thread = answer
            await self.message(asker, channel, value, thread=thread)

    async def _press(self, who: str, action: str, value: str) -> None:
        await self.ladder.action(self.ctx(who), action, value)

    async def _credit_call(self, who: str, call_id: int) -> None:

        async with self.ladder.sessions() as session:
            rows = await session.exec(
                select(Member.external_id)
                .join(CallSignup, col(CallSignup.member_id) == col(Member.id))
                .where(CallSignup.call_id == call_id, CallSignup.status == SignupStatus.CONFIRMED)
            )
            handles = list(rows.all())
        if handles:
            await self.command(who, f"call done {call_id} " + " ".join(f"@{h}" for h in handles))


def demo_config(settings: Settings) -> LadderConfig:
    """The configured ladder with the demo's channels and manager filled in."""
    config = load_config(settings.ladder_config)
    routing = (
        config.routing.model_copy(update={"help_channels": ("help",), "intro_channels": ("introductions",)})
        if not config.routing.help_channels
        else config.routing
    )
    return config.model_copy(
        update={
            "routing": Routing.model_validate(routing.model_dump()),
            "managers": Managers(console=(MANAGER,)),
        }
    )


async def run_demo(
    settings: Settings, out: Path, *, members: int, weeks: int, seed: int, serve: bool = False
) -> None:
    """Simulate, then print the ladder and the digest and write them under ``out``; with
    ``serve``, then serve the community's dashboard until interrupted."""
    console = Console(highlight=False)
    began = time.perf_counter()
    await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
    url = settings.database_url
    if not url:
        (out / "ladder-demo.db").unlink(missing_ok=True)
        url = f"sqlite:///{(out / 'ladder-demo.db').resolve()}"
    config = demo_config(settings)
    clock, port = FakeClock(START), FakeChatPort()
    async with open_database(url) as sessions:
        async with sessions() as session:
            taken = (
                await session.exec(select(Community.id).where(Community.external_id == COMMUNITY.external_id))
            ).first()
        if taken is not None:
            raise DemoDatabaseNotEmptyError(
                "DATABASE_URL already holds a demo community: point it at an empty database "
                "(or leave it unset to use a fresh SQLite file under --out)."
            )
        ladder = LadderService(sessions, config, port, clock)
        simulation = Simulation(ladder, port, clock, random.Random(seed))  # noqa: S311 - a seeded simulation, no secret
        with console.status(f"Simulating {members} members over {weeks} weeks…"):
            await simulation.found(members)
            await simulation.run(weeks)
        end = clock.now()
        async with sessions() as session:
            community = (
                await session.exec(select(Community).where(Community.external_id == COMMUNITY.external_id))
            ).one()
            report = await build_report(
                Scope(session, config, end, community),
                end - timedelta(days=config.digest.period_days),
                end,
            )
            shape = dict(
                (
                    await session.exec(
                        select(Member.level, func.count())
                        .where(Member.community_id == community.id)
                        .group_by(col(Member.level))
                    )
                ).all()
            )
    from handlers.health import report_message

    message = report_message(report, config)
    chart = out / "ladder-health.png"
    assert message.image is not None
    chart.write_bytes(message.image.data)
    (out / "digest.md").write_text(report_markdown(report, config, chart.name), encoding="utf-8")
    table = Table(title=f"The ladder after {weeks} weeks")
    table.add_column("level")
    table.add_column("members", justify="right")
    for rule in reversed(config.levels):
        table.add_row(f"{rule.number} {rule.name}", str(shape.get(rule.number, 0)))
    console.print(table)
    console.print(escape(wrap(render(message), console.width)), soft_wrap=True)
    sent = len(port.sent)
    console.print(
        f"\nDigest written to {out / 'digest.md'} with chart {chart} "
        f"({sent:,} messages sent by Ladder; {time.perf_counter() - began:.1f} s)."
    )
    if serve:
        await _serve(settings, url, config, port, end, console)


async def _serve(
    settings: Settings, url: str, config: LadderConfig, port: FakeChatPort, end: datetime, console: Console
) -> None:
    """Serve the demo community's dashboard, signed in as its manager, until interrupted."""
    from bot.web import serve_community

    def announce(link: str) -> None:
        console.print(f"Dashboard: {link}", soft_wrap=True)
        console.print(
            "Serving the dashboard until interrupted (Ctrl+C). The link works once, for 15 minutes; "
            f"for another, run: DATABASE_URL={url} LADDER_PUBLIC_URL={link.split('/dashboard/')[0]} "
            "ladder dashboard "
            f"--community {COMMUNITY.platform}:{COMMUNITY.external_id}",
            soft_wrap=True,
        )
        console.file.flush()  # the link must reach a pipe (a test, `| tee`) while the server runs

    async with open_database(url) as sessions:
        await serve_community(
            sessions,
            config,
            port,
            settings,
            start=end,
            community=f"{COMMUNITY.platform}:{COMMUNITY.external_id}",
            manager=MANAGER,
            on_link=announce,
        )
