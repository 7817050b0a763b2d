"""The write path for platform events: one batch, one transaction, each event recorded once.

Live adapters and the history importer share it. Events already seen (by key, in this batch or
in the ``processedevent`` table) are skipped before anything else is written; members and their
activity are then written with a few set-based statements per batch (their SQL lives beside the
tables, :mod:`models.members`, :mod:`models.queries`). A live batch goes on to run the use cases
that talk to people (welcome, routing, answer DMs); a history batch (:func:`record_history`)
records questions, answers and acceptances the same way (:mod:`handlers.ingest._history`) and
tells nobody anything; its plain chat, joins and other reactions need no key. Both read the
batch with the one rulebook (:mod:`handlers.routing`).
"""

import logging
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import bindparam, update
from sqlmodel import col, select

from handlers.ingest import _history as history
from handlers.kernel import (
    Actor,
    DirectMessage,
    Event,
    EventKind,
    Message,
    Notice,
    Outcome,
    Scope,
    is_manager,
)
from handlers.ladder import credit, insert_active_days
from handlers.routing import (
    EarlierMatches,
    MemberInfo,
    Terms,
    activity_only,
    answer_notices,
    offer_or_route,
    question_limits,
    read_batch,
    store_batch,
)
from models import Member, MemberStatus, ProcessedEvent, Question, QuestionStatus
from models.members import stored_members, touch_last_active
from models.queries import chunks, insert_new, insert_new_keys, sqlite_stamp
from models.questions import TEXT_LIMIT

log = logging.getLogger(__package__)  # named for the capability, not its private module


async def record(
    scope: Scope,
    events: Sequence[Event],
    terms: Terms,
    *,
    live: bool = True,
    questions: Collection[str] = frozenset(),
    ahead: EarlierMatches | None = None,
) -> Outcome:
    """Record a batch of events in order; ``live=False`` (import) sends nothing to anyone.

    ``questions`` names the keys of messages a history importer recognised as questions (live,
    a new message in a help channel is a question). ``ahead`` holds the earlier-answer search
    run before the transaction for the live batch's likely questions.
    """
    if not live:
        await record_history(scope, events, terms, questions=questions)
        return Outcome()
    by_key = _by_key(events)
    new = await _new_keys(scope, list(by_key))
    fresh = [clipped(e) for k, e in by_key.items() if k in new and not e.actor.is_bot]
    if not fresh:
        return Outcome()
    fresh.sort(key=lambda e: e.at)
    ids, info = await _member_ids(scope, fresh, history=False)
    await _touch_ids(
        scope, [(ids[e.actor.external_id], e.at) for e in fresh if _active(e, live=True)], live=True
    )
    for event in fresh:
        log.info(
            "%s in %s",
            event.kind.value,
            scope.community.external_id,
            extra={"community": scope.community.external_id, "kind": event.kind.value},
        )
    return await _live(scope, fresh, ids, info, terms, ahead or EarlierMatches())


async def record_history(
    scope: Scope,
    events: Sequence[Event],
    terms: Terms,
    *,
    questions: Collection[str] = frozenset(),
    keyed: Collection[str] = frozenset(),
) -> int:
    """Record a history batch, telling nobody; return how many of its events were new.

    Only events that can mean more than activity are checked against (and stored as) processed
    keys; bots' events (never recorded) and those that only show their actor present
    (:func:`handlers.routing.activity_only`: plain chat, joins, reactions that are no signal;
    idempotent) skip that per-event statement and count as new: the importer reads only files it
    has not committed. ``keyed`` names events that keep
    their keys all the same (those of a file split across batches, which a resume re-reads).
    """
    only_activity = activity_only(scope.config, questions)
    by_key = _by_key(events)
    unkeyed = {k for k, e in by_key.items() if k not in keyed and (e.actor.is_bot or only_activity(e))}
    new = await _new_keys(scope, [key for key in by_key if key not in unkeyed])
    fresh = [clipped(e) for k, e in by_key.items() if (k in new or k in unkeyed) and not e.actor.is_bot]
    fresh.sort(key=lambda e: e.at)
    if fresh:
        ids, info = await _member_ids(scope, fresh, history=True)
        await _touch_ids(
            scope, [(ids[e.actor.external_id], e.at) for e in fresh if _active(e, live=False)], live=False
        )
        await history.store_history(scope, fresh, ids, info, questions, terms)
    return len(new) + len(unkeyed)


def _active(event: Event, *, live: bool) -> bool:
    """Whether an event shows its actor active at its time. An export keeps no time for
    reactions (they carry their message's), so only live reactions count."""
    if event.kind is EventKind.MESSAGE:
        return True
    return live and event.kind is EventKind.REACTION


def clipped(event: Event) -> Event:
    """An event whose text fits the columns it is stored in: the one place, live and history,
    where member text is bounded (a longer message is kept, its text cut at ``TEXT_LIMIT``)."""
    if len(event.text) <= TEXT_LIMIT:
        return event
    return replace(event, text=event.text[:TEXT_LIMIT])


def _by_key(events: Sequence[Event]) -> dict[str, Event]:
    """The batch's events by key, in their order (the first of any repeated key)."""
    by_key: dict[str, Event] = {}
    for event in events:
        by_key.setdefault(event.key, event)
    return by_key


async def _new_keys(scope: Scope, keys: list[str]) -> set[str]:
    """Mark the keys as processed in one statement; return those not seen before."""
    columns = {"community_id": scope.community_id}
    return await insert_new_keys(scope.session, ProcessedEvent, columns, "event_key", keys)


async def _member_ids(
    scope: Scope, events: list[Event], *, history: bool
) -> tuple[dict[str, int], dict[int, MemberInfo]]:
    """Find or create every actor of the batch, with their level and manager rights (the stored
    flag, or the platform's or config's say now); history moves ``joined_at`` to the first act."""
    first: dict[str, tuple[Actor, datetime]] = {}
    for event in events:
        first.setdefault(event.actor.external_id, (event.actor, event.at))
    platform = scope.community.platform
    ids: dict[str, int] = {}
    info: dict[int, MemberInfo] = {}
    joined: dict[str, str | datetime] = {}
    stored = await stored_members(scope.session, scope.community_id, platform, list(first))
    for member_id, external_id, joined_at, level, manager in stored:
        ids[external_id] = member_id
        joined[external_id] = joined_at
        info[member_id] = MemberInfo(
            level, bool(manager) or is_manager(scope.config, platform, first[external_id][0])
        )
    new_rows = [
        {
            "community_id": scope.community_id,
            "platform": platform,
            "external_id": external_id,
            "display_name": (actor.display_name or external_id)[:200],
            "level": 0,
            "status": MemberStatus.ACTIVE.value,
            "skills": "",
            "is_bot": actor.is_bot,
            "is_manager": is_manager(scope.config, platform, actor),
            "joined_at": at,
            "level_since": at,
            "last_active_at": None,
        }
        for external_id, (actor, at) in first.items()
        if external_id not in ids
    ]
    if new_rows:
        created = await insert_new(
            scope.session,
            Member,
            new_rows,
            ("community_id", "platform", "external_id"),
            returning=(Member.id, Member.external_id),
        )
        for member_id, external_id in created:
            ids[external_id] = member_id
            info[member_id] = MemberInfo(0, is_manager(scope.config, platform, first[external_id][0]))
    earlier = [
        {"member": ids[external_id], "at": at}
        for external_id, (_, at) in first.items()
        if history and external_id in joined and _before(at, joined[external_id])
    ]
    if earlier:
        table = Member.__table__  # type: ignore[attr-defined]
        connection = await scope.session.connection()
        await connection.execute(
            update(table)
            .where(table.c.id == bindparam("member"), table.c.joined_at > bindparam("at"))
            .values(joined_at=bindparam("at")),
            earlier,
        )
    return ids, info


def _before(at: datetime, stored: str | datetime) -> bool:
    """Whether ``at`` is earlier than a stored time (SQLite text or a datetime)."""
    return sqlite_stamp(at) < stored if isinstance(stored, str) else at < stored


async def _touch_ids(scope: Scope, activity: list[tuple[int, datetime]], *, live: bool) -> None:
    """Active days and last-seen times for many members at once (resting helpers come back live)."""
    if not activity:
        return
    latest: dict[int, datetime] = {}
    days: set[tuple[int, date]] = set()
    for member_id, at in activity:
        if member_id not in latest or at > latest[member_id]:
            latest[member_id] = at
        days.add((member_id, at.date()))
    await insert_active_days(scope, sorted(days))
    await touch_last_active(scope.session, latest)
    if live:
        table = Member.__table__  # type: ignore[attr-defined]
        connection = await scope.session.connection()
        await connection.execute(
            update(table)
            .where(table.c.id.in_(list(latest)), table.c.status == MemberStatus.RESTING.value)
            .values(status=MemberStatus.ACTIVE.value)
        )


async def _live(
    scope: Scope,
    fresh: list[Event],
    ids: dict[str, int],
    info: dict[int, MemberInfo],
    terms: Terms,
    ahead: EarlierMatches,
) -> Outcome:
    """Read a live batch with the rulebook, store it, credit it, then tell people: welcomes,
    routing of new questions, answers to askers, acceptances to helpers."""
    members: dict[int, Member] = {}
    for chunk in chunks(sorted(set(ids.values()))):
        rows = await scope.session.exec(select(Member).where(col(Member.id).in_(chunk)))
        members.update({m.id: m for m in rows.all() if m.id is not None})
    decisions = await read_batch(scope, fresh, ids, info, live=True)
    limits = await question_limits(scope, [thread.asker for thread, _ in decisions.opened])
    credits = await store_batch(scope, decisions, info, terms)
    outcome = Outcome(notices=[_welcome(scope, members[m]) for m in decisions.joined])
    outcome.extend(await credit(scope, credits))
    outcome.notices += await answer_notices(scope, decisions, credits)
    for thread, _ in decisions.opened:
        if thread.question_id is None or thread.status != QuestionStatus.OPEN:
            continue
        question = await scope.session.get(Question, thread.question_id)
        if question is None:
            continue
        routed = await offer_or_route(scope, question, ahead, limits[thread.asker])
        asker = members[thread.asker].external_id
        outcome.notices.extend(routed.notices)
        outcome.notices.extend(DirectMessage(asker, reply) for reply in routed.replies)
    return outcome


def _welcome(scope: Scope, member: Member) -> Notice:
    first = next(iter(scope.config.quests_of(0)), None)
    quest = f" Your first quest: *{first.title}* — {first.description}" if first else ""
    text = (
        f"Welcome to {scope.community.name or 'the community'}!{quest}\n"
        "`/ladder quests` shows your path, `/ladder ask <question>` gets you help."
    )
    return DirectMessage(member.external_id, Message(text=text, title="Welcome"))
