"""The write path for platform events: one batch, one transaction, each event recorded once.

Live adapters and the history importer share it. Events already seen (by key, in this batch or
in the ``processedevent`` table) are skipped before anything else is written.
"""

from collections.abc import Sequence

from sqlmodel import col, select

from handlers.answers import on_reaction, record_reply
from handlers.ledger import Credit, credit, touch
from handlers.routing import open_question
from handlers.scope import Scope
from handlers.types import Actor, Event, EventKind, Message, Notice, NoticeKind, Outcome
from models import Member, ProcessedEvent, Question
from models.queries import chunks, insert_new


async def record(scope: Scope, events: Sequence[Event], *, live: bool = True) -> Outcome:
    """Record a batch of events in order; ``live=False`` (import) sends nothing to anyone."""
    fresh = [e for e in await _unseen(scope, events) if not e.actor.is_bot]
    if not fresh:
        return Outcome()
    members = await _members(scope, fresh)
    outcome = Outcome()
    active = [(members[e.actor.external_id], e.at) for e in fresh if e.kind is not EventKind.MEMBER_JOINED]
    await touch(scope, active)
    routing = scope.config.routing
    credits: list[Credit] = []
    for event in sorted(fresh, key=lambda e: e.at):
        member = members[event.actor.external_id]
        assert member.id is not None
        if event.kind is EventKind.MEMBER_JOINED:
            if live:
                outcome.notices.append(_welcome(scope, member))
        elif event.kind is EventKind.REACTION and event.message_id:
            outcome.extend(await on_reaction(scope, member, event.message_id, event.text, event.at))
        elif event.kind is EventKind.MESSAGE:
            if event.thread_id and event.thread_id != event.message_id:
                question = await _question_in_thread(scope, event)
                if question is not None:
                    outcome.extend(
                        await record_reply(
                            scope, question, member, event.text,
                            source_id=event.message_id or event.key, at=event.at, live=live,
                        )
                    )
            elif event.channel_id in routing.help_channels and event.text.strip():
                _, opened = await open_question(
                    scope, member, event.text, source_id=event.key, channel_id=event.channel_id,
                    thread_id=event.message_id, at=event.at, live=live,
                )
                outcome.notices.extend(opened.notices)
                outcome.notices.extend(
                    Notice(NoticeKind.DM, member.external_id, reply) for reply in opened.replies
                )
            elif event.channel_id in routing.intro_channels:
                credits.append(
                    Credit(member.id, "introduction", scope.config.points.introduction, f"intro:m{member.id}", event.at)
                )
    outcome.extend(await credit(scope, credits))
    if not live:
        return Outcome()
    return outcome


async def _unseen(scope: Scope, events: Sequence[Event]) -> list[Event]:
    by_key = {e.key: e for e in events}
    rows = [{"community_id": scope.community_id, "event_key": key} for key in by_key]
    new = await insert_new(
        scope.session, ProcessedEvent, rows, ("community_id", "event_key"), returning=(ProcessedEvent.event_key,)
    )
    return [by_key[key] for (key,) in new]


async def _members(scope: Scope, events: list[Event]) -> dict[str, Member]:
    """Find or create every actor of the batch in a few statements."""
    actors: dict[str, tuple[Actor, Event]] = {}
    for event in sorted(events, key=lambda e: e.at):
        actors.setdefault(event.actor.external_id, (event.actor, event))
    found: dict[str, Member] = {}
    for chunk in chunks(list(actors)):
        rows = await scope.session.exec(
            select(Member).where(
                Member.community_id == scope.community_id,
                Member.platform == scope.community.platform,
                col(Member.external_id).in_(chunk),
            )
        )
        found.update({m.external_id: m for m in rows.all()})
    for external_id, (actor, first) in actors.items():
        if external_id in found:
            continue
        member = Member(
            community_id=scope.community_id,
            platform=scope.community.platform,
            external_id=external_id,
            display_name=actor.display_name or external_id,
            is_bot=actor.is_bot,
            is_manager=actor.is_admin or scope.config.managers.lists(scope.community.platform, external_id),
            joined_at=first.at,
            level_since=first.at,
        )
        scope.session.add(member)
        found[external_id] = member
    await scope.session.flush()
    return found


async def _question_in_thread(scope: Scope, event: Event) -> Question | None:
    return (
        await scope.session.exec(
            select(Question).where(
                Question.community_id == scope.community_id,
                Question.thread_id == event.thread_id,
            )
        )
    ).first()


def _welcome(scope: Scope, member: Member) -> Notice:
    first = next(iter(scope.config.quests_of(0)), None)
    quest = f" Your first quest: *{first.title}* — {first.description}" if first else ""
    text = (
        f"Welcome to {scope.community.name or 'the community'}!{quest}\n"
        "`/ladder quests` shows your path, `/ladder ask <question>` gets you help."
    )
    return Notice(NoticeKind.DM, member.external_id, Message(text=text, title="Welcome"))
