"""The history half of the write path: an imported batch's questions, answers and solves.

:func:`handlers.ingest.record` with ``live=False`` hands the batch's new events here once members
and activity are written. Nothing here talks to anyone: questions are opened, replies become
answers and ✅ reactions solve, each kind written with one set-based statement per batch, and
credits go to the ledger without promotions (the importer evaluates levels once at the end).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import col, select

from handlers import similar
from handlers.answers import CHECK_MARKS
from handlers.ledger import Credit, credit
from handlers.scope import Scope
from handlers.types import Event, EventKind
from models import Answer, Member, Question, QuestionStatus
from models.queries import chunks, insert_new


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


async def record_history(
    scope: Scope, fresh: list[Event], ids: dict[str, int], questions: Collection[str]
) -> None:
    """Questions, answers, solves and introductions of a history batch, in set-based statements.

    ``fresh`` are the batch's new events in time order, ``ids`` their actors' member ids.
    """
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
                "text": event.text,
                "terms": similar.stored_terms(event.text),
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
                "text": event.text,
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
