"""Storing the rulebook's decisions: questions, answers and acceptances, set-based.

Live batches and imported ones are written by the same few statements per batch: one insert of
the new questions, one of the new answers, one update of the accepted answers and one of the
questions whose state moved (first response, solved). Questions that got their first response
or were solved stop escalating and close their helpers' assignments.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import col

from handlers.kernel import Scope
from handlers.routing._rulebook import Decisions, MemberInfo
from handlers.routing._similar import Terms
from handlers.routing._threads import ThreadState
from models import Answer, Assignment, Question, QuestionStatus
from models.queries import chunks, insert_new


async def write_decisions(
    scope: Scope, decisions: Decisions, members: dict[int, MemberInfo], terms: Terms | None = None
) -> None:
    """Store what the rulebook decided; every new question and answer gets its id (and its terms:
    ``terms`` is needed whenever the decisions open questions)."""
    await _insert_questions(scope, decisions, members, terms)
    await _insert_answers(scope, decisions)
    accepted = [a for a in decisions.accepted if a.answer.answer_id is not None]
    if accepted:
        connection = await scope.session.connection()
        table = Answer.__table__  # type: ignore[attr-defined]
        await connection.execute(
            update(table)
            .where(table.c.id == bindparam("answer"))
            .values(accepted_at=bindparam("at"), accepted_signal=bindparam("signal")),
            [{"answer": a.answer.answer_id, "at": a.at, "signal": a.signal.value} for a in accepted],
        )
    threads = {id(a.answer.thread): a.answer.thread for a in decisions.accepted}
    threads.update({id(a.thread): a.thread for a, _ in decisions.answered})
    changed = [t for t in threads.values() if t.changed and t.question_id is not None]
    await _update_questions(scope, changed, [t for t in changed if not t.new])


async def _insert_questions(
    scope: Scope, decisions: Decisions, members: dict[int, MemberInfo], terms: Terms | None
) -> None:
    if not decisions.opened:
        return
    assert terms is not None, "opening questions stores their terms"
    rows = []
    for thread, event in decisions.opened:
        info = members.get(thread.asker)
        rows.append(
            {
                "community_id": scope.community_id,
                "asker_id": thread.asker,
                "asker_level": info.level if info else 0,
                "text": event.text,
                "terms": terms.stored(event.text),
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
        returning=(Question.id, Question.source_id),
    )
    ids = {source: question_id for question_id, source in created}
    for thread, event in decisions.opened:
        thread.question_id = ids.get(event.key)
        thread.changed = thread.changed or thread.status != QuestionStatus.OPEN


async def _insert_answers(scope: Scope, decisions: Decisions) -> None:
    rows: list[dict[str, Any]] = []
    for answer, event in decisions.answered:
        if answer.thread.question_id is None:
            continue
        rows.append(
            {
                "question_id": answer.thread.question_id,
                "member_id": answer.author,
                "text": event.text,
                "source_id": answer.message_id,
                "created_at": answer.at,
                "accepted_at": None,
                "accepted_signal": None,
            }
        )
    if not rows:
        return
    created = await insert_new(
        scope.session,
        Answer,
        rows,
        ("question_id", "source_id"),
        returning=(Answer.id, Answer.question_id, Answer.source_id),
    )
    ids = {(question, source): answer_id for answer_id, question, source in created}
    for answer, _ in decisions.answered:
        answer.answer_id = ids.get((answer.thread.question_id or 0, answer.message_id))


async def _update_questions(
    scope: Scope, changed: Sequence[ThreadState], earlier: Sequence[ThreadState]
) -> None:
    """Store the questions' new state; those asked before this batch (``earlier``) that got an
    answer stop escalating and close their assignments (new ones have neither)."""
    if not changed:
        return
    for thread in changed:
        if thread.accepted_answer_id is None and thread.first_accepted is not None:
            thread.accepted_answer_id = thread.first_accepted.answer_id
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
                "question": t.question_id,
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
    settled = sorted(t.question_id for t in earlier if t.question_id and t.status != QuestionStatus.OPEN)
    for chunk in chunks(settled):
        await scope.session.execute(
            update(Question)
            .where(col(Question.id).in_(chunk), col(Question.next_escalation_at).is_not(None))
            .values(next_escalation_at=None)
        )
        await scope.session.execute(
            update(Assignment)
            .where(col(Assignment.question_id).in_(chunk), col(Assignment.open))
            .values(open=False)
        )
