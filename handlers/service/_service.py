"""The Ladder application service: the one entry point every adapter calls.

Each command, button or batch of events runs as one transaction: the use case reads and writes
through a :class:`~handlers.kernel.Scope`, the service commits once, and only then are notices
sent through the :class:`~handlers.kernel.ChatPort`. A refusal rolls everything back; a failed send
is logged and never undoes the record it announces.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Protocol

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers import calls, commands, ingest, ladder, privacy, routing
from handlers.kernel import (
    Acting,
    ChatError,
    ChatPort,
    Clock,
    CommunityRef,
    Context,
    Delivery,
    Event,
    LadderConfig,
    Message,
    NoObserver,
    Notice,
    Observer,
    Outcome,
    Refusal,
    Scope,
    SystemClock,
    all_communities,
    ensure_community,
    ensure_member,
    is_manager,
    record_receipt,
)
from handlers.service._dispatch import command_name, dispatch
from handlers.signin import DashboardAddress
from models import Community
from models.sessions import readers_of

log = logging.getLogger(__name__)

MANAGERS_ONLY = (
    "Only managers can do that. Nothing was changed. "
    "(Managers are workspace/server admins and members listed in the config.)"
)


InTransaction = Callable[[AsyncSession, int], Awaitable[None]]
"""More writes for a batch's own transaction, given its session and community id (an adapter's
bookkeeping that must commit with the events, or not at all)."""


@dataclass(frozen=True)
class Undelivered:
    """The notices a committed batch owes one community, for an adapter that sends them itself."""

    community: Community
    notices: Sequence[Notice]


class ServicePort(Protocol):
    """What a platform adapter calls (the inbound port; :class:`ChatPort` is the outbound one)."""

    async def command(self, ctx: Context, text: str, *, receipt: str | None = None) -> list[Message]:
        """Run ``/ladder <text>`` (at most once per receipt)."""
        ...

    async def action(
        self, ctx: Context, name: str, value: str, *, receipt: str | None = None
    ) -> list[Message]:
        """Run a button click (at most once per receipt)."""
        ...

    async def events(self, events: Sequence[Event]) -> None:
        """Record platform events."""
        ...


class RecordingPort(ServicePort, Protocol):
    """What an adapter that sends a batch's notices itself calls, so its next batch commits while
    they go out (the Discord client)."""

    async def record(
        self, events: Sequence[Event], *, within: InTransaction | None = None
    ) -> list[Undelivered]:
        """Commit live platform events; return their notices, unsent."""
        ...

    async def deliver(self, owed: Undelivered) -> None:
        """Send a committed batch's notices."""
        ...


def _by_community(events: Sequence[Event]) -> Iterator[list[Event]]:
    """A batch's events grouped by community (one transaction each)."""
    ordered = sorted(events, key=lambda e: (e.community.platform, e.community.external_id))
    for _, group in groupby(ordered, key=lambda e: (e.community.platform, e.community.external_id)):
        yield list(group)


@dataclass
class LadderService:
    """Ladder's use cases behind one object, wired to a database, a config, a clock and a port."""

    sessions: async_sessionmaker[AsyncSession]
    config: LadderConfig
    port: ChatPort
    clock: Clock = field(default_factory=SystemClock)
    observer: Observer = field(default_factory=NoObserver)
    dashboard: DashboardAddress = field(default_factory=DashboardAddress)
    terms: routing.Terms = field(default_factory=routing.Terms)

    @property
    def delivery(self) -> Delivery:
        """The sender of notices, bound to this service's port and database."""
        return Delivery(self.port, self.sessions)

    async def command(self, ctx: Context, text: str, *, receipt: str | None = None) -> list[Message]:
        """Run ``/ladder <text>`` for the actor and return the replies meant for them.

        ``receipt`` is the key of the acknowledged request (an adapter's inbox): it is recorded
        with the command's effects, and a command whose receipt is already recorded (run before
        a crash, or by another replica) runs no second time and answers nothing.
        """
        try:
            parsed = commands.parse(text)
        except commands.UsageError as error:
            return [Message(text=str(error))]
        return await self.run(ctx, parsed, receipt=receipt)

    async def action(
        self, ctx: Context, name: str, value: str, *, receipt: str | None = None
    ) -> list[Message]:
        """Run a button click (``name`` is a :class:`~handlers.commands.ActionName`); ``receipt`` as
        for :meth:`command`."""
        try:
            parsed = commands.parse_action(name, value)
        except Refusal as refusal:
            return [refusal.message()]
        return await self.run(ctx, parsed, receipt=receipt)

    async def run(
        self, ctx: Context, command: commands.Action, *, receipt: str | None = None
    ) -> list[Message]:
        """Run a parsed command in one transaction, then deliver its notices.

        Manager-only commands are refused before anything is touched. A refusal rolls the use
        case back but still records who asked, so a manager seen once is a manager on record.
        The receipt is recorded in whichever transaction commits; none is needed where nothing
        is written (a refusal before anything is touched is simply given again).
        """
        if commands.needs_manager(command) and not self._is_manager(ctx):
            return [Message(text=MANAGERS_ONLY)]
        if isinstance(command, commands.ForgetMe | commands.ExportMe) and not await privacy.holds_anything(
            self.sessions, ctx
        ):
            return [privacy.NOTHING_HELD]
        if isinstance(command, commands.DigestChannel):
            unusable = await self._unusable_channel(ctx.community, command.channel_id)
            if unusable is not None:
                reason = f"{unusable} Nothing was changed."
                return [Message(text=str(commands.UsageError("digest channel", reason)))]
        ahead = None
        if isinstance(command, commands.Ask):
            ahead = await self._search_ahead(ctx.community, [self.terms.stored(command.text)])
        try:
            async with self.sessions() as session, session.begin():
                acting = await self._acting(session, ctx)
                if not await self._first_receipt(acting.scope, receipt):
                    return []
                outcome = await dispatch(acting, ctx, command, self.terms, self.dashboard, ahead)
        except Refusal as refusal:
            async with self.sessions() as session, session.begin():
                acting = await self._acting(session, ctx)
                if not await self._first_receipt(acting.scope, receipt):
                    return []
            return [refusal.message()]
        self.observer.command(command_name(command))
        self._report(outcome)
        await self.delivery.send(outcome.notices, community=acting.scope.community)
        drawn = [await asyncio.to_thread(build) for build in outcome.later]
        return outcome.replies + drawn

    async def events(self, events: Sequence[Event], *, live: bool = True) -> None:
        """Record a batch of platform events: one transaction per community in the batch.

        ``live=False`` is for history: nothing is sent and nobody is pinged.
        """
        for batch in _by_community(events):
            await self.deliver(await self._commit(batch, live=live))

    async def record(
        self, events: Sequence[Event], *, within: InTransaction | None = None
    ) -> list[Undelivered]:
        """Commit a batch of live events, one transaction per community with ``within``'s writes
        in it, and return the notices owed, unsent: the caller delivers them (:meth:`deliver`)
        while its next batch commits. A failure raises before anything of its community commits.
        """
        return [await self._commit(batch, live=True, within=within) for batch in _by_community(events)]

    async def deliver(self, owed: Undelivered) -> None:
        """Send a committed batch's notices (a failed send is logged; the record stays)."""
        await self.delivery.send(owed.notices, community=owed.community)

    async def _commit(
        self, batch: Sequence[Event], *, live: bool, within: InTransaction | None = None
    ) -> Undelivered:
        """One community's events in one transaction; the credits are reported once it commits."""
        asked = [e for e in batch if live and routing.may_open_question(e, self.config)]
        ahead = await self._search_ahead(
            batch[0].community, [self.terms.stored(ingest.clipped(e).text) for e in asked]
        )
        async with self.sessions() as session, session.begin():
            scope = await self._scope(session, batch[0].community)
            outcome = await ingest.record(scope, batch, self.terms, live=live, ahead=ahead)
            if within is not None:
                await within(session, scope.community_id)
        self._report(outcome)
        return Undelivered(scope.community, outcome.notices)

    async def sweep(self) -> int:
        """Escalate due questions, close calls past their deadline and rest inactive helpers.

        One transaction per community for the three (each is idempotent; a failure is retried at
        the next sweep). Returns how many records changed. The scheduler calls this; so does the
        demo's clock.
        """
        async with self.sessions() as session:
            communities = await all_communities(session)
        changed = 0
        for community in communities:
            async with self.sessions() as session, session.begin():
                session.add(community)
                scope = Scope(session, self.config, self.clock.now(), community)
                escalated, escalations = await routing.escalate_due(scope)
                closed, closures = await calls.close_due(scope)
                rested, rests = await ladder.rest_inactive(scope)
            changed += escalations + closures + rests
            for outcome in (escalated, closed, rested):
                self._report(outcome)
                await self.delivery.send(outcome.notices, community=scope.community)
            if escalations:
                self.observer.escalated(escalations)
        return changed

    async def _search_ahead(self, community: CommunityRef, stored: list[str]) -> routing.EarlierMatches:
        """Search earlier answers for new questions' stored terms before the write transaction
        opens, in a read-only session: scoring reads the whole index and must not hold SQLite's
        write lock (every other writer would wait)."""
        if not stored:
            return routing.EarlierMatches()
        async with readers_of(self.sessions)() as session:
            return await routing.search_ahead(session, community, stored, self.config)

    @staticmethod
    async def _first_receipt(scope: Scope, receipt: str | None) -> bool:
        """Record a request's receipt; False when it was recorded before (already run)."""
        if receipt is None:
            return True
        if await record_receipt(scope.session, scope.community_id, receipt):
            return True
        log.info("%s was already run; not running it again", receipt)
        return False

    def _is_manager(self, ctx: Context) -> bool:
        """Whether the actor may run manager commands (checked before anything is written)."""
        return is_manager(self.config, ctx.community.platform, ctx.actor)

    async def _unusable_channel(self, community: CommunityRef, channel_id: str) -> str | None:
        """Why a channel cannot take the digest, or None; a check that fails refuses it too."""
        try:
            if await self.port.channel_exists(community, channel_id):
                return None
        except ChatError as error:
            log.warning("could not check channel %s: %s", channel_id, error)
            if not error.permission:
                return f"Ladder could not check <#{channel_id}> right now ({error}): try again later."
            missing = f"the permission {error.needed}" if error.needed else "a permission to read channels"
            return (
                f"Ladder could not check <#{channel_id}>: the app is missing {missing}. "
                "Add it in the app's settings, reinstall the app, then try again."
            )
        return f"<#{channel_id}> is not a channel Ladder can see."

    def _report(self, outcome: Outcome) -> None:
        for kind, count in outcome.credited.items():
            self.observer.credited(kind, count)

    async def _scope(self, session: AsyncSession, ref: CommunityRef) -> Scope:
        community = await ensure_community(session, ref, self.config, now=self.clock.now())
        return Scope(session, self.config, self.clock.now(), community)

    async def _acting(self, session: AsyncSession, ctx: Context) -> Acting:
        scope = await self._scope(session, ctx.community)
        member = await ensure_member(scope, ctx.actor)
        return Acting(scope, member, is_manager=member.is_manager)
