"""The write path for platform events: one batch, one transaction, each event recorded once.

Live adapters and the history importer share it. Events already seen (by key, in this batch or
in the ``processedevent`` table) are skipped before anything else is written; members and their
activity are then written with a few set-based statements per batch. A live batch goes on to run
the per-event use cases that talk to people (welcome, routing, answer DMs); a history batch
(``live=False``) records questions, answers and solves in bulk and tells nobody anything.
"""

import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, or_, text, update
from sqlmodel import col, select

from handlers import similar
from handlers.answers import CHECK_MARKS, on_reaction, record_reply
from handlers.ledger import Credit, credit
from handlers.routing import open_question
from handlers.scope import Scope
from handlers.types import Actor, Event, EventKind, Message, Notice, NoticeKind, Outcome
from models import (
    ActiveDay,
    Answer,
    Member,
    MemberStatus,
    ProcessedEvent,
    Question,
    QuestionStatus,
)
from models.queries import chunks, insert_ignoring_conflicts, insert_new

TEXT_LIMIT = 4000

log = logging.getLogger(__name__)


async def record(
    scope: Scope,
    events: Sequence[Event],
    *,
    live: bool = True,
    questions: Collection[str] = frozenset(),
) -> Outcome:
    """Record a batch of events in order; ``live=False`` (import) sends nothing to anyone.

    ``questions`` names the keys of messages a history importer recognised as questions (live,
    a new message in a help channel is a question).
    """
    fresh = [e for e in await _unseen(scope, events) if not e.actor.is_bot]
    if not fresh:
        return Outcome()
    fresh.sort(key=lambda e: e.at)
    ids = await _member_ids(scope, fresh, history=not live)
    await _touch_ids(
        scope,
        [(ids[e.actor.external_id], e.at) for e in fresh if e.kind is not EventKind.MEMBER_JOINED],
        live=live,
    )
    if live:
        for event in fresh:
            log.info(
                "%s in %s",
                event.kind.value,
                scope.community.external_id,
                extra={"community": scope.community.external_id, "kind": event.kind.value},
            )
        return await _live(scope, fresh, ids)
    await _history(scope, fresh, ids, questions)
    return Outcome()


def _is_sqlite(scope: Scope) -> bool:
    bind = scope.session.bind
    return bind is not None and bind.dialect.name == "sqlite"


async def _unseen(scope: Scope, events: Sequence[Event]) -> list[Event]:
    """Mark the batch's keys as processed in one statement; return the events not seen before."""
    by_key: dict[str, Event] = {}
    for event in events:
        by_key.setdefault(event.key, event)
    if not by_key:
        return []
    if _is_sqlite(scope):
        result = await scope.session.execute(
            text(
                "INSERT INTO processedevent (community_id, event_key) "
                "SELECT :community, value FROM json_each(:keys) WHERE true "
                "ON CONFLICT DO NOTHING RETURNING event_key"
            ),
            {"community": scope.community_id, "keys": json.dumps(list(by_key))},
        )
        new = set(result.scalars().all())
    else:
        rows = [{"community_id": scope.community_id, "event_key": key} for key in by_key]
        inserted = await insert_new(
            scope.session,
            ProcessedEvent,
            rows,
            ("community_id", "event_key"),
            returning=(ProcessedEvent.event_key,),
        )
        new = {key for (key,) in inserted}
    return [event for key, event in by_key.items() if key in new]


async def _member_ids(scope: Scope, events: list[Event], *, history: bool) -> dict[str, int]:
    """Find or create every actor of the batch; history moves ``joined_at`` to the first act."""
    first: dict[str, tuple[Actor, datetime]] = {}
    for event in events:
        first.setdefault(event.actor.external_id, (event.actor, event.at))
    ids: dict[str, int] = {}
    joined: dict[str, datetime] = {}
    for chunk in chunks(list(first)):
        rows = await scope.session.exec(
            select(Member.id, Member.external_id, Member.joined_at).where(
                Member.community_id == scope.community_id,
                Member.platform == scope.community.platform,
                col(Member.external_id).in_(chunk),
            )
        )
        for member_id, external_id, joined_at in rows.all():
            assert member_id is not None
            ids[external_id] = member_id
            joined[external_id] = joined_at
    platform, managers = scope.community.platform, scope.config.managers
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
            "is_manager": actor.is_admin or managers.lists(platform, external_id),
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
        ids.update({external_id: member_id for member_id, external_id in created})
    earlier = [
        {"member": ids[external_id], "at": at}
        for external_id, (_, at) in first.items()
        if external_id in joined and at < joined[external_id]
    ]
    if history and earlier:
        table = Member.__table__  # type: ignore[attr-defined]
        connection = await scope.session.connection()
        await connection.execute(
            update(table)
            .where(table.c.id == bindparam("member"), table.c.joined_at > bindparam("at"))
            .values(joined_at=bindparam("at")),
            earlier,
        )
    return ids


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
    await _insert_active_days(scope, sorted(days))
    table = Member.__table__  # type: ignore[attr-defined]
    connection = await scope.session.connection()
    await connection.execute(
        update(table)
        .where(
            table.c.id == bindparam("member"),
            or_(table.c.last_active_at.is_(None), table.c.last_active_at < bindparam("at")),
        )
        .values(last_active_at=bindparam("at")),
        [{"member": member_id, "at": at} for member_id, at in latest.items()],
    )
    if live:
        await connection.execute(
            update(table)
            .where(table.c.id.in_(list(latest)), table.c.status == MemberStatus.RESTING.value)
            .values(status=MemberStatus.ACTIVE.value)
        )


async def _insert_active_days(scope: Scope, days: list[tuple[int, date]]) -> None:
    if _is_sqlite(scope):
        await scope.session.execute(
            text(
                "INSERT INTO activeday (member_id, day) "
                "SELECT value ->> 0, value ->> 1 FROM json_each(:days) WHERE true "
                "ON CONFLICT DO NOTHING"
            ),
            {"days": json.dumps([(member_id, day.isoformat()) for member_id, day in days])},
        )
        return
    statement = insert_ignoring_conflicts(scope.session, ActiveDay, ("member_id", "day"))
    for chunk in chunks(days, 5000):
        await scope.session.execute(
            statement, [{"member_id": member_id, "day": day} for member_id, day in chunk]
        )


async def _live(scope: Scope, fresh: list[Event], ids: dict[str, int]) -> Outcome:
    """Run the per-event use cases of a live batch, which answer and notify people."""
    members: dict[int, Member] = {}
    for chunk in chunks(sorted(set(ids.values()))):
        rows = await scope.session.exec(select(Member).where(col(Member.id).in_(chunk)))
        members.update({m.id: m for m in rows.all() if m.id is not None})
    outcome = Outcome()
    routing = scope.config.routing
    credits: list[Credit] = []
    for event in fresh:
        member = members[ids[event.actor.external_id]]
        assert member.id is not None
        if event.kind is EventKind.MEMBER_JOINED:
            outcome.notices.append(_welcome(scope, member))
        elif event.kind is EventKind.REACTION and event.message_id:
            outcome.extend(await on_reaction(scope, member, event.message_id, event.text, event.at))
        elif event.kind is EventKind.MESSAGE:
            if event.thread_id and event.thread_id != event.message_id:
                question = await _question_in_thread(scope, event.thread_id)
                if question is not None:
                    outcome.extend(
                        await record_reply(
                            scope,
                            question,
                            member,
                            event.text,
                            source_id=event.message_id or event.key,
                            at=event.at,
                            live=True,
                        )
                    )
            elif event.channel_id in routing.help_channels and event.text.strip():
                _, opened = await open_question(
                    scope,
                    member,
                    event.text,
                    source_id=event.key,
                    channel_id=event.channel_id,
                    thread_id=event.message_id,
                    at=event.at,
                    live=True,
                )
                outcome.notices.extend(opened.notices)
                outcome.notices.extend(
                    Notice(NoticeKind.DM, member.external_id, reply) for reply in opened.replies
                )
            elif event.channel_id in routing.intro_channels:
                points = scope.config.points.introduction
                credits.append(Credit(member.id, "introduction", points, f"intro:m{member.id}", event.at))
    outcome.extend(await credit(scope, credits))
    return outcome


async def _question_in_thread(scope: Scope, thread_id: str) -> Question | None:
    return (
        await scope.session.exec(
            select(Question).where(
                Question.community_id == scope.community_id, Question.thread_id == thread_id
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


@dataclass(slots=True)
class _Thread:
    """A question's state while a history batch is replayed."""

    id: int
    asker_id: int
    status: str
    first_response_at: datetime | None
    first_responder_id: int | None = None
    answered_level: int | None = None
    solved_at: datetime | None = None
    accepted_answer_id: int | None = None
    changed: bool = False


async def _history(scope: Scope, fresh: list[Event], ids: dict[str, int], questions: Collection[str]) -> None:
    """Questions, answers, solves and introductions of a history batch, in set-based statements."""
    routing, points = scope.config.routing, scope.config.points
    openers: list[Event] = []
    replies: list[Event] = []
    checks: list[Event] = []
    credits: list[Credit] = []
    for event in fresh:
        member_id = ids[event.actor.external_id]
        if event.kind is EventKind.REACTION:
            if event.message_id and event.text in CHECK_MARKS:
                checks.append(event)
        elif event.kind is not EventKind.MESSAGE:
            continue
        elif event.thread_id and event.thread_id != event.message_id:
            replies.append(event)
        elif event.key in questions or (event.channel_id in routing.help_channels and event.text.strip()):
            openers.append(event)
        elif event.channel_id in routing.intro_channels:
            credits.append(
                Credit(member_id, "introduction", points.introduction, f"intro:m{member_id}", event.at)
            )
    if not (openers or replies or checks):
        await credit(scope, credits, promote=False)
        return
    info = await _member_info(scope, ids, openers + replies + checks)
    threads = await _open_questions(scope, openers, ids, info, credits)
    threads.update(await _threads(scope, {e.thread_id for e in replies if e.thread_id} - threads.keys()))
    answers = await _record_answers(scope, replies, ids, info, threads)
    await _solve(scope, checks, ids, info, threads, answers, credits)
    changed = [t for t in threads.values() if t.changed]
    if changed:
        table = Question.__table__  # type: ignore[attr-defined]
        connection = await scope.session.connection()
        await connection.execute(
            update(table)
            .where(table.c.id == bindparam("question"))
            .values(
                status=bindparam("status"),
                first_response_at=bindparam("first_at"),
                first_responder_id=bindparam("responder"),
                answered_level=bindparam("level"),
                solved_at=bindparam("solved_at"),
                accepted_answer_id=bindparam("accepted"),
            ),
            [
                {
                    "question": t.id,
                    "status": t.status,
                    "first_at": t.first_response_at,
                    "responder": t.first_responder_id,
                    "level": t.answered_level,
                    "solved_at": t.solved_at,
                    "accepted": t.accepted_answer_id,
                }
                for t in changed
            ],
        )
    await credit(scope, credits, promote=False)


async def _member_info(scope: Scope, ids: dict[str, int], events: list[Event]) -> dict[int, tuple[int, bool]]:
    """Level and manager flag of the members acting in the events that need them."""
    wanted = sorted({ids[e.actor.external_id] for e in events})
    info: dict[int, tuple[int, bool]] = {}
    for chunk in chunks(wanted):
        rows = await scope.session.exec(
            select(Member.id, Member.level, Member.is_manager).where(col(Member.id).in_(chunk))
        )
        info.update({member_id: (level, manager) for member_id, level, manager in rows.all() if member_id})
    return info


async def _open_questions(
    scope: Scope,
    openers: list[Event],
    ids: dict[str, int],
    info: dict[int, tuple[int, bool]],
    credits: list[Credit],
) -> dict[str, _Thread]:
    """Store the batch's questions; each thread id maps to its question's state."""
    if not openers:
        return {}
    rows = []
    for event in openers:
        asker = ids[event.actor.external_id]
        rows.append(
            {
                "community_id": scope.community_id,
                "asker_id": asker,
                "asker_level": info[asker][0],
                "text": event.text[:TEXT_LIMIT],
                "terms": " ".join(similar.terms(event.text))[:TEXT_LIMIT],
                "source_id": event.key,
                "channel_id": event.channel_id,
                "thread_id": event.message_id,
                "status": QuestionStatus.OPEN.value,
                "tier_index": 0,
                "escalations": 0,
                "exhausted": False,
                "asked_at": event.at,
                "next_escalation_at": None,
                "first_response_at": None,
                "first_responder_id": None,
                "answered_level": None,
                "solved_at": None,
                "accepted_answer_id": None,
            }
        )
    created = await insert_new(
        scope.session,
        Question,
        rows,
        ("community_id", "source_id"),
        returning=(Question.id, Question.thread_id, Question.asker_id, Question.asked_at),
    )
    asked = scope.config.points.question_asked
    threads: dict[str, _Thread] = {}
    for question_id, thread_id, asker_id, at in created:
        credits.append(Credit(asker_id, "question_asked", asked, f"asked:q{question_id}", at))
        if thread_id:
            threads[thread_id] = _Thread(question_id, asker_id, QuestionStatus.OPEN.value, None)
    return threads


async def _threads(scope: Scope, thread_ids: set[str]) -> dict[str, _Thread]:
    """The stored questions whose threads the batch replies in."""
    found: dict[str, _Thread] = {}
    for chunk in chunks(sorted(thread_ids)):
        rows = await scope.session.exec(
            select(Question).where(
                Question.community_id == scope.community_id, col(Question.thread_id).in_(chunk)
            )
        )
        for question in rows.all():
            if question.thread_id is not None:
                found[question.thread_id] = _state(question)
    return found


def _state(q: Question) -> _Thread:
    assert q.id is not None
    return _Thread(
        q.id,
        q.asker_id,
        q.status,
        q.first_response_at,
        q.first_responder_id,
        q.answered_level,
        q.solved_at,
        q.accepted_answer_id,
    )


async def _record_answers(
    scope: Scope,
    replies: list[Event],
    ids: dict[str, int],
    info: dict[int, tuple[int, bool]],
    threads: dict[str, _Thread],
) -> dict[str, tuple[int, int, int]]:
    """Store replies to questions as answers; return source id → (answer, question, author)."""
    rows: list[dict[str, Any]] = []
    for event in replies:
        thread = threads.get(event.thread_id or "")
        member_id = ids[event.actor.external_id]
        if thread is None or member_id == thread.asker_id:
            continue
        if thread.status == QuestionStatus.DEFLECTED:
            continue
        rows.append(
            {
                "question_id": thread.id,
                "member_id": member_id,
                "text": event.text[:TEXT_LIMIT],
                "source_id": event.message_id or event.key,
                "created_at": event.at,
            }
        )
        if thread.first_response_at is None:
            thread.first_response_at, thread.first_responder_id = event.at, member_id
            thread.answered_level = info[member_id][0]
            thread.changed = True
        if thread.status == QuestionStatus.OPEN:
            thread.status, thread.changed = QuestionStatus.ANSWERED.value, True
    if not rows:
        return {}
    created = await insert_new(
        scope.session,
        Answer,
        rows,
        ("question_id", "source_id"),
        returning=(Answer.id, Answer.source_id, Answer.question_id, Answer.member_id),
    )
    return {source: (answer_id, question, author) for answer_id, source, question, author in created}


async def _solve(
    scope: Scope,
    checks: list[Event],
    ids: dict[str, int],
    info: dict[int, tuple[int, bool]],
    threads: dict[str, _Thread],
    answers: dict[str, tuple[int, int, int]],
    credits: list[Credit],
) -> None:
    """A ✅ by the asker (or a manager) on an answer solves its question and credits its helpers."""
    if not checks:
        return
    unknown = sorted({e.message_id for e in checks if e.message_id and e.message_id not in answers})
    for chunk in chunks(unknown):
        rows = await scope.session.exec(
            select(Answer.id, Answer.source_id, Answer.question_id, Answer.member_id)
            .join(Question, col(Question.id) == col(Answer.question_id))
            .where(Question.community_id == scope.community_id, col(Answer.source_id).in_(chunk))
        )
        for answer_id, source, question, author in rows.all():
            if answer_id is not None:
                answers.setdefault(source, (answer_id, question, author))
    by_id = {t.id: t for t in threads.values()}
    missing = {answers[e.message_id][1] for e in checks if e.message_id in answers} - by_id.keys()
    if missing:
        stored = await scope.session.exec(select(Question).where(col(Question.id).in_(sorted(missing))))
        for stored_question in stored.all():
            state = _state(stored_question)
            by_id[state.id] = state
            threads[stored_question.thread_id or f"question:{state.id}"] = state
    solved: list[tuple[_Thread, int, int, datetime]] = []
    for event in checks:
        found = answers.get(event.message_id or "")
        if found is None:
            continue
        answer_id, question_id, author = found
        thread = by_id[question_id]
        reactor = ids[event.actor.external_id]
        if thread.status == QuestionStatus.SOLVED:
            continue
        if reactor != thread.asker_id and not info.get(reactor, (0, False))[1]:
            continue
        thread.status, thread.solved_at, thread.accepted_answer_id = (
            QuestionStatus.SOLVED.value,
            event.at,
            answer_id,
        )
        thread.changed = True
        solved.append((thread, answer_id, author, event.at))
    if not solved:
        return
    repliers: dict[int, set[int]] = {}
    for group in chunks([thread.id for thread, _, _, _ in solved]):
        pairs = await scope.session.exec(
            select(Answer.question_id, Answer.member_id).where(col(Answer.question_id).in_(group)).distinct()
        )
        for question_id, member_id in pairs.all():
            repliers.setdefault(question_id, set()).add(member_id)
    points = scope.config.points
    for thread, _, author, at in solved:
        qid = thread.id
        credits.append(Credit(author, "answer_accepted", points.answer_accepted, f"accepted:q{qid}", at))
        credits.extend(
            Credit(m, "answer_given", points.answer_given, f"given:q{qid}:m{m}", at)
            for m in sorted(repliers.get(qid, set()) - {author})
        )
